//! The in-app file browser's state, without egui: the folder shown, its entries (folders first, then files of
//! the right kinds, by name), the places column, the name box and what 打开 / 保存 does with them. Used when
//! the native dialog is unavailable or fails to open; the window is drawn by `browser_ui`.

use super::request::{DialogMode, FileRequest};
use std::path::{Path, PathBuf};

/// One entry of the folder shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name as shown (Chinese names as they are; bytes that are not UTF-8 replaced).
    pub name: String,
    /// The full path.
    pub path: PathBuf,
    /// A folder (entered on double-click), else a file.
    pub is_dir: bool,
}

/// A place in the left column: a well-known folder, a recently used folder or a drive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// What the column shows.
    pub label: String,
    /// The folder.
    pub path: PathBuf,
}

/// A choice of file kinds: a name and extensions without the dot (none: every file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kind {
    /// Shown in the kind chooser.
    pub name: String,
    /// Extensions, lower case; empty means 所有文件.
    pub extensions: Vec<String>,
}

impl Kind {
    /// Whether a file called `name` is of this kind.
    fn admits(&self, name: &str) -> bool {
        self.extensions.is_empty()
            || Path::new(name)
                .extension()
                .is_some_and(|e| self.extensions.iter().any(|x| e.eq_ignore_ascii_case(x.as_str())))
    }
}

/// What 打开 / 保存 (or a double-click, or Enter) came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to return yet: the browser went into a folder, or shows an error or a question.
    Stay,
    /// These files were chosen.
    Chosen(Vec<PathBuf>),
}

/// The browser's state.
#[derive(Clone, Debug)]
pub struct Browser {
    mode: DialogMode,
    default_extension: Option<String>,
    folder: PathBuf,
    entries: Vec<Entry>,
    /// The kinds to choose from; the last is 所有文件.
    pub kinds: Vec<Kind>,
    /// The kind shown (index into [`Browser::kinds`]).
    pub kind: usize,
    /// The path bar's text (the folder shown, or what the clerk is typing there).
    pub location: String,
    /// The name box: a file name in the folder shown or a full path; for several files one per line.
    pub name: String,
    /// The name box holds what a click on a file put there (replaced when going elsewhere), not typed text.
    name_from_click: bool,
    /// Names of the files selected in the list.
    selected: Vec<PathBuf>,
    /// An error to show inside the window (Chinese).
    pub error: Option<String>,
    /// A file that 保存 would replace, waiting for 替换 / 取消.
    overwrite: Option<PathBuf>,
    places: Vec<Place>,
    /// The name box takes the keyboard when the window opens for saving (the clerk names the file first).
    focus_name: bool,
}

impl Browser {
    /// A browser for `request`, starting in its folder (else the folder of the newest recent file, else the
    /// documents folder), with `recent` files' folders among the places.
    pub fn new(request: &FileRequest, recent: &[PathBuf]) -> Browser {
        let mut kinds: Vec<Kind> = request
            .filters
            .iter()
            .map(|(name, exts)| Kind {
                name: format!(
                    "{name}（{}）",
                    exts.iter().map(|e| format!("*.{e}")).collect::<Vec<_>>().join(" ")
                ),
                extensions: exts.iter().map(|e| e.to_ascii_lowercase()).collect(),
            })
            .collect();
        kinds.push(Kind {
            name: "所有文件".to_string(),
            extensions: Vec::new(),
        });
        let start = request
            .directory
            .clone()
            .filter(|d| d.is_dir())
            .or_else(|| {
                recent
                    .iter()
                    .filter_map(|p| p.parent())
                    .find(|d| d.is_dir())
                    .map(Path::to_path_buf)
            })
            .or_else(super::default_folder)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut b = Browser {
            mode: request.mode,
            default_extension: request.default_extension.clone(),
            folder: start.clone(),
            entries: Vec::new(),
            kinds,
            kind: 0,
            location: start.display().to_string(),
            name: if request.mode == DialogMode::Save {
                request.file_name.clone().unwrap_or_default()
            } else {
                String::new()
            },
            name_from_click: false,
            selected: Vec::new(),
            error: None,
            overwrite: None,
            places: places(recent),
            focus_name: request.mode == DialogMode::Save,
        };
        b.go(&start);
        b
    }

    /// Open, open several, or save.
    pub fn mode(&self) -> DialogMode {
        self.mode
    }

    /// The folder shown.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The places column.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The entries shown: folders first, then files of the chosen kind, each group by name.
    pub fn visible(&self) -> impl Iterator<Item = &Entry> {
        let kind = self.kinds.get(self.kind);
        self.entries
            .iter()
            .filter(move |e| e.is_dir || kind.is_none_or(|k| k.admits(&e.name)))
    }

    /// Whether `entry` is selected.
    pub fn is_selected(&self, entry: &Entry) -> bool {
        self.selected.contains(&entry.path)
    }

    /// Whether the name box should take the keyboard now (once, when the window opens for saving).
    pub fn take_name_focus(&mut self) -> bool {
        std::mem::take(&mut self.focus_name)
    }

    /// The file 保存 would replace, while the question is showing.
    pub fn overwrite_question(&self) -> Option<&Path> {
        self.overwrite.as_deref()
    }

    /// Shows `dir`. An unreadable folder leaves the browser where it was (the path bar as typed), with the reason
    /// in [`Browser::error`]. A name the clerk typed stays in the name box.
    pub fn go(&mut self, dir: &Path) {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        match list(&dir) {
            Ok(entries) => {
                self.entries = entries;
                self.folder.clone_from(&dir);
                self.error = None;
                self.selected.clear();
                self.overwrite = None;
                if self.name_from_click {
                    self.name.clear();
                    self.name_from_click = false;
                }
                self.location = self.folder.display().to_string();
            }
            Err(e) => {
                self.error = Some(format!(
                    "无法打开文件夹「{}」：{}",
                    dir.display(),
                    crate::project::io_reason(&e)
                ));
            }
        }
    }

    /// 上一级: the parent folder.
    pub fn up(&mut self) {
        if let Some(parent) = self.folder.parent().map(Path::to_path_buf) {
            self.go(&parent);
        }
    }

    /// Reads the folder shown again (another program may have changed it).
    pub fn refresh(&mut self) {
        let folder = self.folder.clone();
        self.go(&folder);
    }

    /// Enter in the path bar: a folder is shown; a file is chosen (open) or named (save); else an error.
    pub fn submit_location(&mut self) -> Outcome {
        let typed = PathBuf::from(self.location.trim().trim_matches('"'));
        if typed.as_os_str().is_empty() {
            self.location = self.folder.display().to_string();
            return Outcome::Stay;
        }
        let typed = if typed.is_absolute() {
            typed
        } else {
            self.folder.join(typed)
        };
        if typed.is_dir() {
            self.go(&typed);
            return Outcome::Stay;
        }
        if let (Some(parent), Some(file)) = (typed.parent(), typed.file_name())
            && (typed.is_file() || self.mode == DialogMode::Save)
            && parent.is_dir()
        {
            self.go(parent);
            self.name = file.to_string_lossy().into_owned();
            self.name_from_click = false;
            return self.confirm();
        }
        self.error = Some(format!("找不到文件夹：{}", typed.display()));
        Outcome::Stay
    }

    /// A click on an entry: selects it (several, one click each, when opening several files) and puts a file's
    /// name in the name box.
    pub fn click(&mut self, entry: &Entry) {
        self.overwrite = None;
        if self.mode == DialogMode::OpenMany && !entry.is_dir {
            if let Some(i) = self.selected.iter().position(|p| p == &entry.path) {
                self.selected.remove(i);
            } else {
                self.selected.push(entry.path.clone());
            }
        } else {
            self.selected = vec![entry.path.clone()];
        }
        if !entry.is_dir {
            let names: Vec<String> = self
                .selected
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            self.name = names.join("\n");
            self.name_from_click = true;
        }
    }

    /// A double-click on an entry: a folder is entered, a file chosen.
    pub fn activate(&mut self, entry: &Entry) -> Outcome {
        if entry.is_dir {
            self.go(&entry.path);
            Outcome::Stay
        } else {
            self.selected = vec![entry.path.clone()];
            self.name.clone_from(&entry.name);
            self.name_from_click = true;
            self.confirm()
        }
    }

    /// The clerk typed in the name box: what is there now is theirs, kept when navigating.
    pub fn name_typed(&mut self) {
        self.name_from_click = false;
        self.overwrite = None;
    }

    /// 打开 / 保存 / Enter: the name box resolved against the folder shown. A folder there is entered; a missing
    /// file (opening) or an empty name is an error; saving over an existing file asks first.
    pub fn confirm(&mut self) -> Outcome {
        let paths: Vec<PathBuf> = self
            .name
            .lines()
            .map(|l| l.trim().trim_matches('"'))
            .filter(|l| !l.is_empty())
            .map(|l| self.resolve(l))
            .collect();
        if paths.is_empty() {
            // A selected folder and an empty name: 打开 enters the folder, as in the system dialogs.
            if let Some(dir) = self.selected.first().filter(|p| p.is_dir()).cloned() {
                self.go(&dir);
                return Outcome::Stay;
            }
            self.error = Some(if self.mode == DialogMode::Save {
                "请输入文件名。".to_string()
            } else {
                "请选择文件。".to_string()
            });
            return Outcome::Stay;
        }
        if let [only] = paths.as_slice()
            && only.is_dir()
        {
            let only = only.clone();
            self.go(&only);
            // The folder's name was a way to get there, not a file name.
            self.name.clear();
            return Outcome::Stay;
        }
        if self.mode == DialogMode::Save {
            let target = match (&self.default_extension, paths[0].extension()) {
                (Some(ext), None) => paths[0].with_extension(ext),
                _ => paths[0].clone(),
            };
            if !target.parent().is_some_and(Path::is_dir) {
                self.error = Some(format!(
                    "文件夹不存在：{}",
                    target.parent().unwrap_or(&target).display()
                ));
                return Outcome::Stay;
            }
            if target.is_dir() {
                self.error = Some(format!("这是一个文件夹：{}", target.display()));
                return Outcome::Stay;
            }
            if target.exists() && self.overwrite.as_ref() != Some(&target) {
                self.error = None;
                self.overwrite = Some(target);
                return Outcome::Stay;
            }
            self.overwrite = None;
            return Outcome::Chosen(vec![target]);
        }
        if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
            self.error = Some(format!("找不到文件：{}", missing.display()));
            return Outcome::Stay;
        }
        Outcome::Chosen(paths)
    }

    /// The answer to 「已存在，要替换吗？」: 替换 chooses the file, 取消 keeps the browser open.
    pub fn answer_overwrite(&mut self, replace: bool) -> Outcome {
        match self.overwrite.take() {
            Some(p) if replace => Outcome::Chosen(vec![p]),
            _ => Outcome::Stay,
        }
    }

    fn resolve(&self, name: &str) -> PathBuf {
        let p = PathBuf::from(name);
        if p.is_absolute() { p } else { self.folder.join(p) }
    }
}

/// The entries of `dir`: hidden ones (a leading dot) left out, folders first, then by name.
fn list(dir: &Path) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for item in std::fs::read_dir(dir)? {
        // An entry that vanished or cannot be read while listing is simply not shown.
        let Ok(item) = item else { continue };
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = item.path();
        // Follows links: a link to a folder is entered like a folder.
        let is_dir = path.is_dir();
        entries.push(Entry { name, path, is_dir });
    }
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(entries)
}

/// The places column: 主目录, 桌面, 文档, 下载 (those that exist), the folders of recent files, and on Windows
/// the drives.
fn places(recent: &[PathBuf]) -> Vec<Place> {
    let mut out: Vec<Place> = Vec::new();
    let mut add = |label: String, path: &Path| {
        if path.is_dir() && !out.iter().any(|p| p.path == path) {
            out.push(Place {
                label,
                path: path.to_path_buf(),
            });
        }
    };
    if let Some(dirs) = directories::UserDirs::new() {
        add("主目录".to_string(), dirs.home_dir());
        let home = dirs.home_dir();
        for (label, dir, usual) in [
            ("桌面", dirs.desktop_dir(), "Desktop"),
            ("文档", dirs.document_dir(), "Documents"),
            ("下载", dirs.download_dir(), "Downloads"),
        ] {
            // Without XDG user-dirs (a bare Linux) `directories` knows none: the usual names under home then.
            let fallback = [home.join(label), home.join(usual)].into_iter().find(|d| d.is_dir());
            if let Some(d) = dir.map(Path::to_path_buf).or(fallback) {
                add(label.to_string(), &d);
            }
        }
    }
    for dir in recent.iter().filter_map(|p| p.parent()) {
        let label = dir
            .file_name()
            .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        add(label, dir);
    }
    if cfg!(windows) {
        for letter in 'A'..='Z' {
            let drive = PathBuf::from(format!("{letter}:\\"));
            add(format!("{letter}: 盘"), &drive);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::request::Purpose;
    use super::*;
    use std::fs;

    fn open_request(dir: &Path) -> FileRequest {
        let mut r = FileRequest::new(Purpose::Open, "打开报告", DialogMode::Open)
            .filter("年度报告", crate::ui::files::request::REPORT_EXTENSIONS);
        r.directory = Some(dir.to_path_buf());
        r
    }

    fn save_request(dir: &Path, name: &str) -> FileRequest {
        let mut r = FileRequest::new(Purpose::SaveAs, "另存为", DialogMode::Save)
            .filter("项目文件", &["nianbao"])
            .default_extension("nianbao");
        r.directory = Some(dir.to_path_buf());
        r.file_name = Some(name.to_string());
        r
    }

    /// A folder with Chinese names: two folders, reports of several kinds and files of other kinds.
    fn tree() -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        fs::create_dir(d.join("乙 单位")).unwrap();
        fs::create_dir(d.join("Archive")).unwrap();
        fs::create_dir(d.join("甲单位")).unwrap();
        fs::write(d.join("甲单位").join("2024年报告.nianbao"), "x").unwrap();
        for f in [
            "辉县 2025年度报告.nianbao",
            "b.TXT",
            "a.docx",
            "照片.png",
            "notes.md",
            ".hidden.nianbao",
        ] {
            fs::write(d.join(f), "x").unwrap();
        }
        t
    }

    fn names(b: &Browser) -> Vec<String> {
        b.visible().map(|e| e.name.clone()).collect()
    }

    fn entry(b: &Browser, name: &str) -> Entry {
        b.visible().find(|e| e.name == name).cloned().unwrap()
    }

    #[test]
    fn lists_folders_first_then_files_of_the_right_kinds_by_name() {
        let t = tree();
        let mut b = Browser::new(&open_request(t.path()), &[]);
        assert_eq!(b.folder(), t.path());
        assert!(b.error.is_none(), "{:?}", b.error);
        assert_eq!(
            names(&b),
            [
                "Archive",
                "乙 单位",
                "甲单位",
                "a.docx",
                "b.TXT",
                "辉县 2025年度报告.nianbao"
            ]
        );
        // 所有文件 shows the other kinds too; hidden files stay hidden.
        b.kind = b.kinds.len() - 1;
        assert_eq!(b.kinds[b.kind].name, "所有文件");
        assert_eq!(
            names(&b),
            [
                "Archive",
                "乙 单位",
                "甲单位",
                "a.docx",
                "b.TXT",
                "notes.md",
                "照片.png",
                "辉县 2025年度报告.nianbao"
            ]
        );
    }

    #[test]
    fn double_click_enters_a_folder_and_chooses_a_file() {
        let t = tree();
        let mut b = Browser::new(&open_request(t.path()), &[]);
        let dir = entry(&b, "甲单位");
        assert_eq!(b.activate(&dir), Outcome::Stay);
        assert_eq!(b.folder(), t.path().join("甲单位"));
        assert_eq!(b.location, t.path().join("甲单位").display().to_string());
        assert_eq!(names(&b), ["2024年报告.nianbao"]);
        let file = entry(&b, "2024年报告.nianbao");
        assert_eq!(
            b.activate(&file),
            Outcome::Chosen(vec![t.path().join("甲单位").join("2024年报告.nianbao")])
        );
        b.up();
        assert_eq!(b.folder(), t.path());
    }

    #[test]
    fn click_then_confirm_chooses_and_a_missing_file_is_an_error() {
        let t = tree();
        let mut b = Browser::new(&open_request(t.path()), &[]);
        assert_eq!(b.confirm(), Outcome::Stay);
        assert_eq!(b.error.as_deref(), Some("请选择文件。"));
        let f = entry(&b, "辉县 2025年度报告.nianbao");
        b.click(&f);
        assert!(b.is_selected(&f));
        assert_eq!(b.name, "辉县 2025年度报告.nianbao");
        assert_eq!(b.confirm(), Outcome::Chosen(vec![f.path.clone()]));
        b.name = "没有这个.nianbao".into();
        b.name_typed();
        assert_eq!(b.confirm(), Outcome::Stay);
        assert!(
            b.error.as_deref().is_some_and(|e| e.starts_with("找不到文件：")),
            "{:?}",
            b.error
        );
    }

    #[test]
    fn several_files_are_picked_one_click_each() {
        let t = tree();
        let mut req = open_request(t.path());
        req.mode = DialogMode::OpenMany;
        let mut b = Browser::new(&req, &[]);
        let a = entry(&b, "a.docx");
        let h = entry(&b, "辉县 2025年度报告.nianbao");
        b.click(&a);
        b.click(&h);
        assert_eq!(b.name, "a.docx\n辉县 2025年度报告.nianbao");
        b.click(&a);
        assert_eq!(b.name, "辉县 2025年度报告.nianbao");
        b.click(&a);
        assert_eq!(b.confirm(), Outcome::Chosen(vec![h.path.clone(), a.path.clone()]));
    }

    #[test]
    fn a_typed_save_name_survives_navigating_and_gets_the_extension() {
        let t = tree();
        let mut b = Browser::new(&save_request(t.path(), "报告.nianbao"), &[]);
        assert_eq!(b.name, "报告.nianbao");
        b.name = "新的 报告".into();
        b.name_typed();
        let dir = entry(&b, "乙 单位");
        b.activate(&dir);
        b.up();
        b.activate(&dir);
        assert_eq!(b.name, "新的 报告");
        assert_eq!(
            b.confirm(),
            Outcome::Chosen(vec![t.path().join("乙 单位").join("新的 报告.nianbao")])
        );
    }

    #[test]
    fn saving_over_an_existing_file_asks_first() {
        let t = tree();
        let mut b = Browser::new(&save_request(t.path(), "辉县 2025年度报告"), &[]);
        let target = t.path().join("辉县 2025年度报告.nianbao");
        assert_eq!(b.confirm(), Outcome::Stay);
        assert_eq!(b.overwrite_question(), Some(target.as_path()));
        assert_eq!(b.answer_overwrite(false), Outcome::Stay);
        assert_eq!(b.overwrite_question(), None);
        assert_eq!(b.name, "辉县 2025年度报告", "取消 keeps the name");
        b.confirm();
        assert_eq!(b.answer_overwrite(true), Outcome::Chosen(vec![target]));
    }

    #[test]
    fn the_path_bar_goes_to_a_typed_folder_and_names_a_typed_file() {
        let t = tree();
        let mut b = Browser::new(&save_request(t.path(), "x.nianbao"), &[]);
        b.location = t.path().join("甲单位").display().to_string();
        assert_eq!(b.submit_location(), Outcome::Stay);
        assert_eq!(b.folder(), t.path().join("甲单位"));
        assert_eq!(b.name, "x.nianbao", "the name box is kept");
        b.location = t.path().join("乙 单位").join("新.nianbao").display().to_string();
        assert_eq!(
            b.submit_location(),
            Outcome::Chosen(vec![t.path().join("乙 单位").join("新.nianbao")])
        );
        b.location = t.path().join("没有").join("这里").display().to_string();
        assert_eq!(b.submit_location(), Outcome::Stay);
        assert!(
            b.error.as_deref().is_some_and(|e| e.starts_with("找不到文件夹：")),
            "{:?}",
            b.error
        );
    }

    #[test]
    fn an_unreadable_folder_is_an_error_and_the_browser_stays() {
        let t = tree();
        let mut b = Browser::new(&open_request(t.path()), &[]);
        // A file where a folder is expected cannot be listed, whatever the user's rights.
        b.go(&t.path().join("a.docx"));
        assert_eq!(b.folder(), t.path());
        assert!(
            b.error.as_deref().is_some_and(|e| e.starts_with("无法打开文件夹")),
            "{:?}",
            b.error
        );
        assert_eq!(names(&b).len(), 6);
    }

    #[test]
    fn recent_folders_are_places_and_the_start_when_none_is_asked() {
        let t = tree();
        let recent = vec![t.path().join("甲单位").join("2024年报告.nianbao")];
        let b = Browser::new(&FileRequest::new(Purpose::Open, "打开报告", DialogMode::Open), &recent);
        assert_eq!(b.folder(), t.path().join("甲单位"));
        assert!(
            b.places()
                .iter()
                .any(|p| p.label == "甲单位" && p.path == t.path().join("甲单位")),
            "{:?}",
            b.places()
        );
    }
}
