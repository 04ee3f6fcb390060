//! The eframe window. STUB: being written (issue 3).

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the window, on `file` if given. Returns when the window is closed.
pub fn run_window(file: Option<PathBuf>) -> ExitCode {
    drop(file);
    eprintln!("nianbao: 窗口尚在开发中。");
    ExitCode::SUCCESS
}
