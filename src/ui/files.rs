//! The file side of the window: New / Open / Save / Save As, recent files, drag-and-drop, and the glue between
//! the file dialogs, the unsaved-changes prompt, export, paste-import and the yearly dialogs.
//!
//! File dialogs: a native dialog (rfd) runs on a worker thread so the window never freezes, and every dialog is
//! also an in-app window with a path field (文件路径) that always works — rfd cannot tell "no dialog could open"
//! (no XDG portal on a bare Linux) from "the clerk cancelled". `NIANBAO_NO_NATIVE_DIALOG=1` (and tests) use the
//! field only.
//!
//! [`FilesUi`] reads the document and returns [`FileAction`]s for the app to apply; it does the file I/O itself
//! through the library (`project`, `open`, `export`, `import`, `yearly`).

use crate::project::{DiskChange, DiskStamp};
use crate::report::Report;
use crate::template::CellIdx;
use crate::ui::conflict::{ConflictChoice, ConflictPrompt};
use crate::ui::export::ExportWindow;
use crate::ui::import::{DoubtsBanner, PasteWindow};
use crate::ui::prompt::{PromptChoice, UnsavedPrompt};
use crate::ui::yearly::{BreakdownView, MergeDialog, MergeEvent, NextYearDialog};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Environment variable that turns native file dialogs off (headless machines, tests).
pub const NO_NATIVE_DIALOG_ENV: &str = "NIANBAO_NO_NATIVE_DIALOG";

/// Whether native dialogs are turned off by [`NO_NATIVE_DIALOG_ENV`].
pub fn native_dialogs_disabled() -> bool {
    std::env::var_os(NO_NATIVE_DIALOG_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// What a chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open a report (project, JSON or text).
    Open,
    /// Save the project under a new name.
    SaveAs,
    /// Write the export.
    Export,
    /// Add unit reports to the 汇总 list.
    MergeUnits,
    /// Write the per-unit breakdown as CSV.
    BreakdownCsv,
}

/// Whether the dialog picks existing files or names a file to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogMode {
    /// One existing file.
    Open,
    /// Several existing files.
    OpenMany,
    /// A file to write.
    Save,
}

/// A file dialog to show.
#[derive(Clone, Debug)]
pub struct FileRequest {
    /// What the path is for.
    pub purpose: Purpose,
    /// Window title (Chinese).
    pub title: String,
    /// Open, open several, or save.
    pub mode: DialogMode,
    /// Filters of the native dialog: (name, extensions without dot).
    pub filters: Vec<(String, Vec<String>)>,
    /// File name suggested when saving.
    pub file_name: Option<String>,
    /// Folder the dialog starts in.
    pub directory: Option<PathBuf>,
    /// Extension added to a typed or chosen path that has none (saving).
    pub default_extension: Option<String>,
}

impl FileRequest {
    /// A request with no filters, name or folder.
    pub fn new(purpose: Purpose, title: impl Into<String>, mode: DialogMode) -> FileRequest {
        FileRequest {
            purpose,
            title: title.into(),
            mode,
            filters: Vec::new(),
            file_name: None,
            directory: None,
            default_extension: None,
        }
    }

    /// Adds a filter of the native dialog.
    #[must_use]
    pub fn filter(mut self, name: &str, extensions: &[&str]) -> FileRequest {
        self.filters
            .push((name.to_string(), extensions.iter().map(ToString::to_string).collect()));
        self
    }

    /// Suggests a file name and the folder of `near` (a file beside which to save).
    #[must_use]
    pub fn suggest(mut self, file_name: Option<String>, near: Option<&Path>) -> FileRequest {
        self.file_name = file_name;
        self.directory = near
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(default_folder);
        self
    }

    /// Sets the extension added to paths without one.
    #[must_use]
    pub fn default_extension(mut self, ext: &str) -> FileRequest {
        self.default_extension = Some(ext.to_string());
        self
    }

    /// Adds the default extension to `p` when it has none.
    fn complete(&self, p: PathBuf) -> PathBuf {
        match (&self.default_extension, p.extension()) {
            (Some(ext), None) => p.with_extension(ext),
            _ => p,
        }
    }
}

/// The folder a file is saved in when it has none yet: the clerk's documents folder (文档 / Documents), else
/// the home folder, else the current folder — always an absolute path, so the clerk sees where the file goes.
pub fn default_folder() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .filter(|h| h.is_absolute());
    if let Some(home) = home {
        let docs = ["文档", "Documents"].iter().map(|d| home.join(d)).find(|d| d.is_dir());
        return Some(docs.unwrap_or(home));
    }
    std::env::current_dir().ok()
}

/// Paths chosen in a file dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    /// What they are for.
    pub purpose: Purpose,
    /// The paths (one unless [`DialogMode::OpenMany`]).
    pub paths: Vec<PathBuf>,
}

/// One open file dialog: the in-app window, and maybe a native dialog on a worker thread.
struct ActiveDialog {
    request: FileRequest,
    field: String,
    native: Option<mpsc::Receiver<Option<Vec<PathBuf>>>>,
    note: Option<String>,
}

/// File dialogs: native on a worker thread, with the in-app path field always available.
#[derive(Default)]
pub struct FilePicker {
    active: Option<ActiveDialog>,
    native_disabled: bool,
}

impl FilePicker {
    /// A picker; native dialogs are off when [`NO_NATIVE_DIALOG_ENV`] is set.
    pub fn new() -> FilePicker {
        FilePicker {
            active: None,
            native_disabled: native_dialogs_disabled(),
        }
    }

    /// A picker that never opens a native dialog (tests).
    pub fn in_app_only() -> FilePicker {
        FilePicker {
            active: None,
            native_disabled: true,
        }
    }

    /// Whether a dialog is showing.
    pub fn is_open(&self) -> bool {
        self.active.is_some()
    }

    /// Shows a file dialog (replacing any open one). The native dialog starts at once on a worker thread.
    pub fn open(&mut self, ctx: &egui::Context, request: FileRequest) {
        let field = match (&request.directory, &request.file_name) {
            (Some(d), Some(n)) => d.join(n).display().to_string(),
            (None, Some(n)) => n.clone(),
            _ => String::new(),
        };
        let native = (!self.native_disabled).then(|| spawn_native(ctx, &request));
        self.active = Some(ActiveDialog {
            request,
            field,
            native,
            note: None,
        });
    }

    /// Closes the dialog without a choice.
    pub fn cancel(&mut self) {
        self.active = None;
    }

    /// Polls the native dialog and shows the in-app window. Returns the chosen paths once.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Picked> {
        let active = self.active.as_mut()?;
        if let Some(rx) = &active.native {
            match rx.try_recv() {
                Ok(Some(paths)) if !paths.is_empty() => {
                    let req = &active.request;
                    let picked = Picked {
                        purpose: req.purpose,
                        paths: paths.into_iter().map(|p| req.complete(p)).collect(),
                    };
                    self.active = None;
                    return Some(picked);
                }
                Ok(_) => {
                    active.native = None;
                    active.note = Some("没有选择文件。也可以在下面直接输入文件路径。".to_string());
                }
                Err(mpsc::TryRecvError::Empty) => {
                    // The worker wakes us when it is done; this is only a slow safety net.
                    ctx.request_repaint_after(Duration::from_millis(500));
                }
                Err(mpsc::TryRecvError::Disconnected) => active.native = None,
            }
        }
        let mut result = None;
        let mut close = false;
        let mut open = true;
        egui::Window::new(active.request.title.as_str())
            .id(egui::Id::unique("nianbao_file_dialog"))
            .collapsible(false)
            .resizable(true)
            .default_width(520.0)
            .open(&mut open)
            .show(ctx, |ui| {
                if active.native.is_some() {
                    ui.label("已打开系统文件对话框；如果没有看到，可以在下面输入文件路径。");
                }
                if let Some(note) = &active.note {
                    ui.label(note.as_str());
                }
                let many = active.request.mode == DialogMode::OpenMany;
                let label = ui.label(if many {
                    "文件路径（每行一个）"
                } else {
                    "文件路径"
                });
                let edit = if many {
                    egui::TextEdit::multiline(&mut active.field).desired_rows(4)
                } else {
                    egui::TextEdit::singleline(&mut active.field)
                };
                let resp = ui.add(edit.desired_width(f32::INFINITY)).labelled_by(label.id);
                let enter = !many && resp.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button("确定").clicked() || enter {
                        let paths: Vec<PathBuf> = active
                            .field
                            .lines()
                            .map(|l| l.trim().trim_matches('"'))
                            .filter(|l| !l.is_empty())
                            .map(|l| active.request.complete(PathBuf::from(l)))
                            .collect();
                        if paths.is_empty() {
                            active.note = Some("请输入文件路径。".to_string());
                        } else if let Some(missing) = (active.request.mode != DialogMode::Save)
                            .then(|| paths.iter().find(|p| !p.is_file()))
                            .flatten()
                        {
                            active.note = Some(format!("找不到文件：{}", missing.display()));
                        } else {
                            result = Some(Picked {
                                purpose: active.request.purpose,
                                paths,
                            });
                        }
                    }
                    if ui.button("取消").clicked() {
                        close = true;
                    }
                });
            });
        if result.is_some() || close || !open {
            // A native dialog still open is left to finish on its own; its answer is dropped.
            self.active = None;
        }
        result
    }
}

/// Runs the native dialog on a worker thread; the receiver gets `None` on cancel or when no dialog could open.
fn spawn_native(ctx: &egui::Context, request: &FileRequest) -> mpsc::Receiver<Option<Vec<PathBuf>>> {
    let (tx, rx) = mpsc::channel();
    let mut dialog = rfd::FileDialog::new().set_title(request.title.as_str());
    for (name, exts) in &request.filters {
        dialog = dialog.add_filter(name.as_str(), exts);
    }
    if let Some(d) = &request.directory {
        dialog = dialog.set_directory(d);
    }
    if let Some(n) = &request.file_name {
        dialog = dialog.set_file_name(n.as_str());
    }
    let mode = request.mode;
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("nianbao-file-dialog".into())
        .spawn(move || {
            let r = match mode {
                DialogMode::Open => dialog.pick_file().map(|p| vec![p]),
                DialogMode::OpenMany => dialog.pick_files(),
                DialogMode::Save => dialog.save_file().map(|p| vec![p]),
            };
            let _ = tx.send(r);
            ctx.request_repaint();
        });
    // No thread: the receiver reports Disconnected and the path field stays.
    drop(spawned);
    rx
}

/// How many recent files are kept.
pub const RECENT_MAX: usize = 10;

/// The last opened or saved files, newest first. The app keeps them in its settings between runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecentFiles {
    /// Newest first, at most [`RECENT_MAX`].
    pub paths: Vec<PathBuf>,
}

impl RecentFiles {
    /// A list from saved settings (cut to [`RECENT_MAX`]).
    pub fn from_paths(mut paths: Vec<PathBuf>) -> RecentFiles {
        paths.truncate(RECENT_MAX);
        RecentFiles { paths }
    }

    /// Puts `path` first (absolute where possible), drops duplicates and the oldest past [`RECENT_MAX`].
    pub fn push(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|q| q != &p);
        self.paths.insert(0, p);
        self.paths.truncate(RECENT_MAX);
    }

    /// Forgets `path` (it could not be opened).
    pub fn remove(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|q| q != &p && q != path);
    }
}

/// What the window's document looks like to the file side.
#[derive(Clone, Copy, Debug)]
pub struct DocState<'a> {
    /// The report.
    pub report: &'a Report,
    /// Where it is saved, if it is a project file.
    pub path: Option<&'a Path>,
    /// Changed since last saved.
    pub dirty: bool,
}

/// What the app must do to its document after the file side acted.
#[derive(Clone, Debug, PartialEq)]
pub enum FileAction {
    /// Replace the document (new, opened, imported, next year, 汇总). Clears undo.
    Replace {
        /// The new report.
        report: Box<Report>,
        /// Its project file, if it was opened from one.
        path: Option<PathBuf>,
        /// Unsaved from the start (imported, generated).
        dirty: bool,
    },
    /// Start a blank report (新建). Clears undo.
    NewBlank,
    /// The document was saved to this path.
    Saved(PathBuf),
    /// Move focus to this cell (a doubt was clicked).
    FocusCell(CellIdx),
}

/// A file operation started from a menu, a shortcut or a command.
#[derive(Clone, Debug, PartialEq)]
pub enum FileOp {
    /// 新建.
    New,
    /// 打开 (a path, or a dialog).
    Open(Option<PathBuf>),
    /// 保存.
    Save,
    /// 另存为 (a path, or a dialog).
    SaveAs(Option<PathBuf>),
    /// 导出 window.
    Export,
    /// 粘贴报告文本 window.
    PasteImport,
    /// 新建下一年度报告.
    NextYear,
    /// 汇总下级报告.
    Merge,
    /// 汇总明细 of the last 汇总.
    Breakdown,
    /// Close the window (asks first when there are unsaved changes).
    Quit,
}

/// An action that replaces or drops the document, so it waits for the unsaved-changes prompt.
#[derive(Clone, Debug)]
enum Guarded {
    New,
    Open(PathBuf),
    PickOpen,
    Replace {
        report: Box<Report>,
        doubts: Vec<crate::open::Doubt>,
        /// What to tell the clerk once the report is in the window (shown only then, after any prompt).
        notice: Option<String>,
    },
    Quit,
}

/// The whole file side of the window.
pub struct FilesUi {
    /// File dialogs.
    pub picker: FilePicker,
    /// Recent files.
    pub recent: RecentFiles,
    prompt: UnsavedPrompt<Guarded>,
    /// 覆盖 / 另存为 / 取消 when the file changed on disk; holds what runs after the save.
    conflict: ConflictPrompt<Option<Guarded>>,
    /// The project file as it was when opened or saved here (path, stamp): a save to that path first checks
    /// that no other program changed it since.
    stamp: Option<(PathBuf, DiskStamp)>,
    /// Waiting for a Save As to finish before continuing.
    after_save: Option<Guarded>,
    /// The export window.
    pub export: ExportWindow,
    /// The paste-report-text window.
    pub paste: PasteWindow,
    /// Doubts of the last import.
    pub banner: DoubtsBanner,
    next_year: NextYearDialog,
    merge: MergeDialog,
    breakdown: BreakdownView,
    /// Set once the clerk agreed to close: the next close request goes through.
    allow_close: bool,
    error: Option<String>,
    info: Option<String>,
}

impl FilesUi {
    /// The file side with this picker and recent list.
    pub fn new(picker: FilePicker, recent: RecentFiles) -> FilesUi {
        FilesUi {
            picker,
            recent,
            prompt: UnsavedPrompt::default(),
            conflict: ConflictPrompt::default(),
            stamp: None,
            after_save: None,
            export: ExportWindow::default(),
            paste: PasteWindow::default(),
            banner: DoubtsBanner::default(),
            next_year: NextYearDialog::default(),
            merge: MergeDialog::default(),
            breakdown: BreakdownView::default(),
            allow_close: false,
            error: None,
            info: None,
        }
    }

    /// For tests: no native dialogs, recent files in memory only.
    pub fn for_tests() -> FilesUi {
        FilesUi::new(FilePicker::in_app_only(), RecentFiles::default())
    }

    /// The error message showing, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether the unsaved-changes prompt is showing.
    pub fn prompt_open(&self) -> bool {
        self.prompt.is_open()
    }

    /// Whether the "file changed on disk" question is showing.
    pub fn conflict_open(&self) -> bool {
        self.conflict.is_open()
    }

    /// The 最近打开 submenu; returns the file chosen.
    pub fn recent_menu(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let mut chosen = None;
        ui.menu_button("最近打开", |ui| {
            if self.recent.paths.is_empty() {
                ui.label("（无）");
            }
            for p in &self.recent.paths {
                if ui.button(p.display().to_string()).clicked() {
                    chosen = Some(p.clone());
                    ui.close();
                }
            }
        });
        chosen
    }

    /// Whether a 汇总 was made in this session (its 汇总明细 can be shown).
    pub fn has_breakdown(&self) -> bool {
        self.breakdown.breakdown().is_some()
    }

    /// Starts a file operation. Returns what must happen to the document right away (usually nothing: most
    /// operations open a dialog first).
    pub fn start(&mut self, ctx: &egui::Context, op: FileOp, doc: DocState<'_>) -> Vec<FileAction> {
        // A new action: the last one's notice has been seen.
        self.info = None;
        match op {
            FileOp::New => self.guard(ctx, Guarded::New, doc),
            FileOp::Open(Some(p)) => self.guard(ctx, Guarded::Open(p), doc),
            FileOp::Open(None) => self.guard(ctx, Guarded::PickOpen, doc),
            FileOp::Save => {
                if let Some(p) = doc.path {
                    self.save_checked(p, doc.report, None, ctx)
                } else {
                    self.pick_save_as(ctx, doc);
                    Vec::new()
                }
            }
            FileOp::SaveAs(Some(p)) => self.save_to(&p, doc.report).into_iter().collect(),
            FileOp::SaveAs(None) => {
                self.pick_save_as(ctx, doc);
                Vec::new()
            }
            FileOp::Export => {
                self.export.open = true;
                Vec::new()
            }
            FileOp::PasteImport => {
                self.paste.open = true;
                Vec::new()
            }
            FileOp::NextYear => {
                self.next_year.open = true;
                Vec::new()
            }
            FileOp::Merge => {
                self.merge.open = true;
                Vec::new()
            }
            FileOp::Breakdown => {
                self.breakdown.open = self.breakdown.breakdown().is_some();
                Vec::new()
            }
            FileOp::Quit => self.guard(ctx, Guarded::Quit, doc),
        }
    }

    /// Runs `g` now if the document has no unsaved changes, else asks first.
    fn guard(&mut self, ctx: &egui::Context, g: Guarded, doc: DocState<'_>) -> Vec<FileAction> {
        if doc.dirty && !self.allow_close {
            let name = doc
                .path
                .and_then(Path::file_name)
                .map_or_else(|| doc.report.display_title(), |n| n.to_string_lossy().into_owned());
            self.prompt.ask(g, name);
            Vec::new()
        } else {
            self.run_guarded(ctx, g)
        }
    }

    /// Runs an action whose unsaved-changes question has been settled.
    fn run_guarded(&mut self, ctx: &egui::Context, g: Guarded) -> Vec<FileAction> {
        match g {
            Guarded::New => {
                self.banner.clear();
                self.stamp = None;
                vec![FileAction::NewBlank]
            }
            Guarded::Open(p) => self.open_path(&p),
            Guarded::PickOpen => {
                let req = FileRequest::new(Purpose::Open, "打开报告", DialogMode::Open)
                    .filter("年度报告", &["nianbao", "txt", "json"])
                    .filter("项目文件", &["nianbao"])
                    .filter("报告文本", &["txt"]);
                self.picker.open(ctx, req);
                Vec::new()
            }
            Guarded::Replace { report, doubts, notice } => {
                self.banner.set(doubts);
                self.info = notice;
                vec![FileAction::Replace {
                    report,
                    path: None,
                    dirty: true,
                }]
            }
            Guarded::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                Vec::new()
            }
        }
    }

    fn pick_save_as(&mut self, ctx: &egui::Context, doc: DocState<'_>) {
        let name = doc.path.and_then(Path::file_name).map_or_else(
            || format!("{}.nianbao", doc.report.display_title()),
            |n| n.to_string_lossy().into_owned(),
        );
        let req = FileRequest::new(Purpose::SaveAs, "另存为", DialogMode::Save)
            .filter("项目文件", &["nianbao"])
            .suggest(Some(name), doc.path)
            .default_extension("nianbao");
        self.picker.open(ctx, req);
    }

    /// Opens a file of any kind; a report text or JSON becomes an unsaved document (never saved over the input).
    fn open_path(&mut self, p: &Path) -> Vec<FileAction> {
        match crate::open::open_report(p) {
            Ok(opened) => {
                self.recent.push(p);
                let is_project = opened.kind == crate::open::FileKind::Project;
                // Stamped right after reading: a save later asks first if another program changed the file.
                self.stamp = is_project
                    .then(|| DiskStamp::of(p))
                    .flatten()
                    .map(|s| (p.to_path_buf(), s));
                self.banner.set(opened.doubts);
                vec![FileAction::Replace {
                    report: Box::new(opened.report),
                    path: is_project.then(|| p.to_path_buf()),
                    dirty: !is_project,
                }]
            }
            Err(e) => {
                self.recent.remove(p);
                self.error = Some(e.to_string());
                Vec::new()
            }
        }
    }

    /// Saves to the document's own file, unless another program changed or removed it since it was opened or
    /// saved here: then asks 覆盖 / 另存为 / 取消 first. `then` runs after a successful save.
    fn save_checked(
        &mut self,
        p: &Path,
        report: &Report,
        then: Option<Guarded>,
        ctx: &egui::Context,
    ) -> Vec<FileAction> {
        // A file never stamped here (e.g. a restored recovery copy) has no "before" to compare with.
        let change = match &self.stamp {
            Some((stamped, stamp)) if stamped == p => stamp.compare(p),
            _ => DiskChange::Unchanged,
        };
        if change == DiskChange::Unchanged {
            self.save_then(p, report, then, ctx)
        } else {
            self.conflict.ask(p, change, then);
            Vec::new()
        }
    }

    /// Saves, then runs `then` if the save worked.
    fn save_then(&mut self, p: &Path, report: &Report, then: Option<Guarded>, ctx: &egui::Context) -> Vec<FileAction> {
        let mut out: Vec<FileAction> = self.save_to(p, report).into_iter().collect();
        if let Some(g) = then
            && !out.is_empty()
        {
            out.extend(self.run_guarded(ctx, g));
        }
        out
    }

    /// Saves atomically; on success remembers the file and its stamp and returns [`FileAction::Saved`].
    fn save_to(&mut self, p: &Path, report: &Report) -> Option<FileAction> {
        match crate::project::save_stamped(p, report) {
            Ok(stamp) => {
                self.stamp = Some((p.to_path_buf(), stamp));
                self.recent.push(p);
                Some(FileAction::Saved(p.to_path_buf()))
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// Shows every window of the file side and handles drops and close requests. Call once per frame.
    pub fn show(&mut self, ctx: &egui::Context, doc: DocState<'_>) -> Vec<FileAction> {
        let mut out = Vec::new();

        // Closing the window with unsaved changes: stop it and ask.
        if ctx.input(|i| i.viewport().close_requested()) && doc.dirty && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if !self.prompt.is_open() {
                out.extend(self.guard(ctx, Guarded::Quit, doc));
            }
        }

        // Esc closes the frontmost window: the prompts handle it themselves (as 取消), then the file dialog,
        // the messages, the other windows.
        if !self.prompt.is_open() && !self.conflict.is_open() && self.any_window_open() && super::take_escape(ctx) {
            self.close_frontmost();
        }

        // A file dropped on the window opens like 打开.
        let dropped: Option<PathBuf> = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(p) = dropped {
            out.extend(self.guard(ctx, Guarded::Open(p), doc));
        }

        if let Some((choice, g)) = self.prompt.show(ctx) {
            match choice {
                PromptChoice::Save => {
                    if let Some(p) = doc.path {
                        out.extend(self.save_checked(p, doc.report, Some(g), ctx));
                    } else {
                        self.after_save = Some(g);
                        self.pick_save_as(ctx, doc);
                    }
                }
                PromptChoice::Discard => out.extend(self.run_guarded(ctx, g)),
                PromptChoice::Cancel => {}
            }
        }

        if let Some((choice, path, then)) = self.conflict.show(ctx) {
            match choice {
                ConflictChoice::Overwrite => out.extend(self.save_then(&path, doc.report, then, ctx)),
                ConflictChoice::SaveAs => {
                    self.after_save = then;
                    self.pick_save_as(ctx, doc);
                }
                // Not saved: whatever waited for the save (closing, opening another file) is dropped too.
                ConflictChoice::Cancel => {}
            }
        }

        let picker_was_open = self.picker.is_open();
        if let Some(picked) = self.picker.show(ctx) {
            out.extend(self.picked(ctx, picked, doc));
        } else if picker_was_open && !self.picker.is_open() {
            // Cancelled: a pending "save, then continue" is dropped with it.
            self.after_save = None;
        }

        if let Some(req) = self.export.show(ctx, doc.report, doc.path) {
            self.picker.open(ctx, req);
        }
        if let Some(imported) = self.paste.show(ctx) {
            let g = Guarded::Replace {
                report: Box::new(imported.report),
                doubts: imported.doubts,
                notice: None,
            };
            out.extend(self.guard(ctx, g, doc));
        }
        if let Some(next) = self.next_year.show(ctx, doc.report, doc.path) {
            let mut notes = next.notes;
            notes.extend(next.not_carried);
            let g = Guarded::Replace {
                report: Box::new(next.report),
                doubts: Vec::new(),
                notice: Some(notes.join("\n")),
            };
            out.extend(self.guard(ctx, g, doc));
        }
        match self.merge.show(ctx) {
            Some(MergeEvent::PickUnits) => {
                let req = FileRequest::new(Purpose::MergeUnits, "选择下级单位的报告", DialogMode::OpenMany)
                    .filter("年度报告", &["nianbao", "txt", "json"]);
                self.picker.open(ctx, req);
            }
            Some(MergeEvent::Merged { report, breakdown }) => {
                self.breakdown.set(*breakdown);
                let g = Guarded::Replace {
                    report,
                    doubts: Vec::new(),
                    notice: None,
                };
                out.extend(self.guard(ctx, g, doc));
            }
            None => {}
        }
        if let Some(req) = self.breakdown.show(ctx) {
            self.picker.open(ctx, req);
        }

        self.show_messages(ctx);
        out
    }

    /// Whether one of the file side's windows shows (then Esc belongs to it, not to the form).
    pub fn any_window_open(&self) -> bool {
        self.prompt.is_open()
            || self.conflict.is_open()
            || self.picker.is_open()
            || self.error.is_some()
            || self.info.is_some()
            || self.next_year.open
            || self.merge.open
            || self.paste.open
            || self.export.open
            || self.breakdown.open
    }

    /// Closes the frontmost window (Esc).
    fn close_frontmost(&mut self) {
        if self.picker.is_open() {
            self.picker.cancel();
            self.after_save = None;
        } else if self.error.is_some() {
            self.error = None;
        } else if self.info.is_some() {
            self.info = None;
        } else if self.next_year.open {
            self.next_year.open = false;
        } else if self.merge.open {
            self.merge.open = false;
        } else if self.paste.open {
            self.paste.open = false;
        } else if self.export.open {
            self.export.open = false;
        } else if self.breakdown.open {
            self.breakdown.open = false;
        }
    }

    /// The clerk went on working: a "完成" notice has been seen and goes away.
    pub fn dismiss_notice(&mut self) {
        self.info = None;
    }

    /// The doubts banner, to show at the top of the form. Returns a cell to jump to.
    pub fn banner(&mut self, ui: &mut egui::Ui) -> Option<FileAction> {
        self.banner.show(ui).map(FileAction::FocusCell)
    }

    fn picked(&mut self, ctx: &egui::Context, picked: Picked, doc: DocState<'_>) -> Vec<FileAction> {
        let Some(first) = picked.paths.first().cloned() else {
            return Vec::new();
        };
        match picked.purpose {
            Purpose::Open => self.open_path(&first),
            Purpose::SaveAs => {
                let mut out: Vec<FileAction> = self.save_to(&first, doc.report).into_iter().collect();
                if let Some(g) = self.after_save.take()
                    && !out.is_empty()
                {
                    out.extend(self.run_guarded(ctx, g));
                }
                out
            }
            Purpose::Export => {
                match self.export.write(&first, doc.report) {
                    Ok(()) => self.info = Some(format!("已导出到 {}", first.display())),
                    Err(e) => self.error = Some(e),
                }
                Vec::new()
            }
            Purpose::MergeUnits => {
                self.merge.add_files(picked.paths);
                Vec::new()
            }
            Purpose::BreakdownCsv => {
                if let Err(e) = self.breakdown.write_csv(&first) {
                    self.error = Some(e);
                } else {
                    self.info = Some(format!("已导出到 {}", first.display()));
                }
                Vec::new()
            }
        }
    }

    /// The error, else the notice: one at a time, and only once no question is waiting (a result never shows
    /// under, or together with, a prompt).
    fn show_messages(&mut self, ctx: &egui::Context) {
        if self.prompt.is_open() || self.conflict.is_open() || self.picker.is_open() {
            return;
        }
        let (slot, title, id) = if self.error.is_some() {
            (&mut self.error, "出错了", "nianbao_files_error")
        } else {
            (&mut self.info, "完成", "nianbao_files_info")
        };
        let Some(msg) = slot.as_ref() else { return };
        let mut open = true;
        let mut ok = false;
        super::dialog(ctx, title, id, &mut open)
            .resizable(false)
            .vscroll(false)
            .show(ctx, |ui| {
                ui.set_max_width(560.0);
                // The text scrolls; 确定 stays visible below it.
                let room = (ctx.content_rect().height() - 180.0).max(80.0);
                egui::ScrollArea::vertical().max_height(room).show(ui, |ui| {
                    ui.label(msg.as_str());
                });
                ui.add_space(6.0);
                ok = ui.button("确定").clicked();
            });
        if ok || !open {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_keep_ten_newest_without_duplicates() {
        let mut r = RecentFiles::default();
        for i in 0..12 {
            r.push(Path::new(&format!("/tmp/r{i}.nianbao")));
        }
        r.push(Path::new("/tmp/r5.nianbao"));
        assert_eq!(r.paths.len(), RECENT_MAX);
        assert_eq!(r.paths[0], PathBuf::from("/tmp/r5.nianbao"));
        assert_eq!(r.paths.iter().filter(|p| p.ends_with("r5.nianbao")).count(), 1);
        assert!(!r.paths.contains(&PathBuf::from("/tmp/r0.nianbao")));
    }

    #[test]
    fn recent_files_forget_what_cannot_be_opened() {
        let mut r = RecentFiles::from_paths((0..15).map(|i| PathBuf::from(format!("/tmp/r{i}"))).collect());
        assert_eq!(r.paths.len(), RECENT_MAX);
        r.remove(Path::new("/tmp/r3"));
        assert!(!r.paths.contains(&PathBuf::from("/tmp/r3")));
        assert_eq!(r.paths.len(), RECENT_MAX - 1);
    }

    #[test]
    fn default_extension_only_when_missing() {
        let req = FileRequest::new(Purpose::SaveAs, "x", DialogMode::Save).default_extension("nianbao");
        assert_eq!(req.complete("a".into()), PathBuf::from("a.nianbao"));
        assert_eq!(req.complete("a.txt".into()), PathBuf::from("a.txt"));
    }
}
