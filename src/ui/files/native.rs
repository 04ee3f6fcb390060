//! The native file dialog (rfd), run on a worker thread so the window never freezes.

use super::request::{DialogMode, FileRequest};
use std::path::PathBuf;
use std::sync::mpsc;

/// Environment variable choosing the file dialog: `builtin` always uses the in-app browser (tests, the Xvfb
/// smoke, a system whose dialog misbehaves); anything else tries the native dialog first.
pub const FILE_DIALOG_ENV: &str = "NIANBAO_FILE_DIALOG";

/// Older switch with the same effect as `NIANBAO_FILE_DIALOG=builtin` (any value but empty or `0`).
pub const NO_NATIVE_DIALOG_ENV: &str = "NIANBAO_NO_NATIVE_DIALOG";

/// Whether native dialogs are turned off by [`FILE_DIALOG_ENV`] or [`NO_NATIVE_DIALOG_ENV`].
pub fn native_dialogs_disabled() -> bool {
    std::env::var_os(FILE_DIALOG_ENV).is_some_and(|v| v.eq_ignore_ascii_case("builtin"))
        || std::env::var_os(NO_NATIVE_DIALOG_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Runs the native dialog on a worker thread; the receiver gets `None` on cancel or when no dialog could open.
pub(super) fn spawn_native(ctx: &egui::Context, request: &FileRequest) -> mpsc::Receiver<Option<Vec<PathBuf>>> {
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
