//! The file dialog the rest of the window asks for paths: the native dialog where the system has one, else
//! (none could open, it was closed without a choice, or `NIANBAO_FILE_DIALOG=builtin`) the in-app browser.
//! rfd cannot tell "no dialog could open" (no XDG portal on a bare Linux) from "the clerk cancelled": an
//! empty answer that comes at once (a dialog that never showed) hands over to the browser; one that comes after
//! the dialog was up for a while is the clerk's 取消, and nothing more opens.

use super::browser::Browser;
use super::browser_ui::{BrowserEvent, show_browser};
use super::native::{native_dialogs_disabled, spawn_native};
use super::request::{FileRequest, Picked};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// An empty answer of the native dialog sooner than this after it was asked for means it never showed: no
/// person cancels a file dialog that fast, and a missing portal answers in milliseconds.
const NEVER_SHOWN: Duration = Duration::from_millis(1500);

/// Whether an empty answer of the native dialog, `after` it was asked for, was the clerk's cancel (rather than
/// a dialog that could not open).
fn cancelled_by_the_clerk(after: Duration) -> bool {
    after >= NEVER_SHOWN
}

/// One open file dialog: a native dialog on a worker thread, or the in-app browser.
struct ActiveDialog {
    request: FileRequest,
    native: Option<mpsc::Receiver<Option<Vec<PathBuf>>>>,
    /// When the native dialog was asked for.
    started: Instant,
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
            started: Instant::now(),
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
                Ok(_) if cancelled_by_the_clerk(active.started.elapsed()) => {
                    self.active = None;
                    return None;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_answer_at_once_is_a_dialog_that_never_showed() {
        for (ms, cancel) in [(0, false), (40, false), (1499, false), (1500, true), (8000, true)] {
            assert_eq!(cancelled_by_the_clerk(Duration::from_millis(ms)), cancel, "{ms} ms");
        }
    }
}
