//! The file side of the window: New / Open / Save / Save As, recent files, drag-and-drop, and the glue between
//! the file dialogs, the unsaved-changes prompt, export, paste-import and the yearly dialogs.
//!
//! File dialogs: the native dialog (rfd) on a worker thread so the window never freezes; where it cannot open
//! or comes back empty, and always with `NIANBAO_FILE_DIALOG=builtin` (and in tests), the in-app browser
//! (`browser.rs` its state, `browser_ui.rs` its window; see `picker.rs`).
//!
//! [`FilesUi`] reads the document and returns [`FileAction`]s for the app to apply; it does the file I/O itself
//! through the library (`project`, `open`, `export`, `import`, `yearly`).

mod browser;
mod browser_ui;
mod native;
mod outcome;
mod picker;
mod recent;
mod request;
mod unsaved;

pub use native::{FILE_DIALOG_ENV, NO_NATIVE_DIALOG_ENV, native_dialogs_disabled};
pub use picker::FilePicker;
pub use recent::{RECENT_MAX, RecentFiles};
pub use request::{DialogMode, FileRequest, Picked, Purpose, default_folder};

use crate::project::DiskStamp;
use crate::report::Report;
use crate::template::CellIdx;
use crate::ui::conflict::{ConflictChoice, ConflictPrompt};
use crate::ui::export::ExportWindow;
use crate::ui::import::{DoubtsBanner, PasteWindow};
use crate::ui::prompt::{PromptChoice, UnsavedPrompt};
use crate::ui::yearly::{BreakdownView, MergeDialog, MergeEvent, NextYearDialog};
use std::path::{Path, PathBuf};
use unsaved::Guarded;

/// What the window's document looks like to the file side.
#[derive(Clone, Copy, Debug)]
pub struct DocState<'a> {
    /// The report.
    pub report: &'a Report,
    /// Where it is saved, if it is a project file.
    pub path: Option<&'a Path>,
    /// Changed since last saved.
    pub dirty: bool,
    /// Errors among the window's findings (the export asks before writing a report that has some).
    pub errors: usize,
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
        if let Some(picked) = self.picker.show(ctx, &self.recent.paths) {
            out.extend(self.picked(ctx, picked, doc));
        } else if picker_was_open && !self.picker.is_open() {
            // Cancelled: a pending "save, then continue" is dropped with it.
            self.after_save = None;
        }

        if let Some(req) = self.export.show(ctx, doc.report, doc.path, doc.errors) {
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
                    .filter("年度报告", request::REPORT_EXTENSIONS);
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
}
