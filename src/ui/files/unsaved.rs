//! The unsaved-changes machine: actions that replace or drop the document wait for 保存 / 不保存 / 取消, and
//! saving checks first that no other program changed the file (覆盖 / 另存为 / 取消).

use super::request::{DialogMode, FileRequest, Purpose};
use super::{DocState, FileAction, FilesUi};
use crate::project::{DiskChange, DiskStamp};
use crate::report::Report;
use std::path::{Path, PathBuf};

/// An action that replaces or drops the document, so it waits for the unsaved-changes prompt.
#[derive(Clone, Debug)]
pub(super) enum Guarded {
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

impl FilesUi {
    /// Runs `g` now if the document has no unsaved changes, else asks first.
    pub(super) fn guard(&mut self, ctx: &egui::Context, g: Guarded, doc: DocState<'_>) -> Vec<FileAction> {
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
    pub(super) fn run_guarded(&mut self, ctx: &egui::Context, g: Guarded) -> Vec<FileAction> {
        match g {
            Guarded::New => {
                self.banner.clear();
                self.stamp = None;
                vec![FileAction::NewBlank]
            }
            Guarded::Open(p) => self.open_path(&p),
            Guarded::PickOpen => {
                let req = FileRequest::new(Purpose::Open, "打开报告", DialogMode::Open)
                    .filter("年度报告", super::request::REPORT_EXTENSIONS)
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

    pub(super) fn pick_save_as(&mut self, ctx: &egui::Context, doc: DocState<'_>) {
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
    pub(super) fn open_path(&mut self, p: &Path) -> Vec<FileAction> {
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
    pub(super) fn save_checked(
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
    pub(super) fn save_then(
        &mut self,
        p: &Path,
        report: &Report,
        then: Option<Guarded>,
        ctx: &egui::Context,
    ) -> Vec<FileAction> {
        let mut out: Vec<FileAction> = self.save_to(p, report).into_iter().collect();
        if let Some(g) = then
            && !out.is_empty()
        {
            out.extend(self.run_guarded(ctx, g));
        }
        out
    }

    /// Saves atomically; on success remembers the file and its stamp and returns [`FileAction::Saved`].
    pub(super) fn save_to(&mut self, p: &Path, report: &Report) -> Option<FileAction> {
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
}
