//! The file dialog the rest of the window asks for paths: the native dialog, and the in-app window.

use super::native::{native_dialogs_disabled, spawn_native};
use super::request::{DialogMode, FileRequest, Picked};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

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
