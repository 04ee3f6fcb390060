//! The file dialog the rest of the window asks for paths: the native dialog where the system has one, else
//! (none could open, it was closed without a choice, or `NIANBAO_FILE_DIALOG=builtin`) the in-app browser.
//! rfd cannot tell "no dialog could open" (no XDG portal on a bare Linux) from "the clerk cancelled", so a
//! native dialog that comes back empty hands over to the browser, which × / Esc / 取消 close.

use super::browser::Browser;
use super::browser_ui::{BrowserEvent, show_browser};
use super::native::{native_dialogs_disabled, spawn_native};
use super::request::{FileRequest, Picked};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// One open file dialog: a native dialog on a worker thread, or the in-app browser.
struct ActiveDialog {
    request: FileRequest,
    native: Option<mpsc::Receiver<Option<Vec<PathBuf>>>>,
    /// Why the browser shows instead of the native dialog.
    note: Option<String>,
    /// Made when first shown (it lists the folder), kept with what was typed until the dialog closes.
    browser: Option<Browser>,
}

/// File dialogs: native on a worker thread, else the in-app browser.
#[derive(Default)]
pub struct FilePicker {
    active: Option<ActiveDialog>,
    native_disabled: bool,
}

impl FilePicker {
    /// A picker; native dialogs are off when `NIANBAO_FILE_DIALOG=builtin` (or `NIANBAO_NO_NATIVE_DIALOG`).
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
        let native = (!self.native_disabled).then(|| spawn_native(ctx, &request));
        self.active = Some(ActiveDialog {
            request,
            native,
            note: None,
            browser: None,
        });
    }

    /// Closes the dialog without a choice.
    pub fn cancel(&mut self) {
        self.active = None;
    }

    /// Polls the native dialog, or shows the browser (its places include the folders of `recent` files).
    /// Returns the chosen paths once.
    pub fn show(&mut self, ctx: &egui::Context, recent: &[PathBuf]) -> Option<Picked> {
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
                    active.note = Some("系统文件对话框没有选择文件（或没能打开），可以在这里选择。".to_string());
                }
                Err(mpsc::TryRecvError::Empty) => {
                    // The worker wakes us when it is done; this is only a slow safety net.
                    ctx.request_repaint_after(Duration::from_millis(500));
                }
                Err(mpsc::TryRecvError::Disconnected) => {
                    active.native = None;
                    active.note = Some("系统文件对话框没能打开，请在这里选择。".to_string());
                }
            }
        }
        if active.native.is_some() {
            if waiting(ctx, &active.request.title) {
                // Its answer, if one still comes, is dropped with the receiver.
                active.native = None;
            }
            return None;
        }
        let browser = active
            .browser
            .get_or_insert_with(|| Browser::new(&active.request, recent));
        match show_browser(ctx, &active.request.title, active.note.as_deref(), browser) {
            BrowserEvent::None => None,
            BrowserEvent::Cancel => {
                self.active = None;
                None
            }
            BrowserEvent::Chosen(paths) => {
                let req = &active.request;
                let picked = Picked {
                    purpose: req.purpose,
                    paths: paths.into_iter().map(|p| req.complete(p)).collect(),
                };
                self.active = None;
                Some(picked)
            }
        }
    }
}

/// The small window shown while the native dialog is open; returns whether the clerk asked for the in-app
/// browser instead (for a dialog that opened behind the window or not at all).
fn waiting(ctx: &egui::Context, title: &str) -> bool {
    let mut switch = false;
    egui::Modal::new(egui::Id::unique("nianbao_file_dialog_waiting")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(title);
        ui.label("已打开系统文件对话框。如果没有看到它，可以改用程序内的文件浏览器。");
        ui.add_space(6.0);
        switch = ui.button("改用程序内的文件浏览器").clicked();
    });
    switch
}
