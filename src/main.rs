//! The `nianbao` binary: the window, and the command line over the same library.

use std::process::ExitCode;

fn main() -> ExitCode {
    // First thing: the first-frame timing (NIANBAO_FIRST_FRAME) counts from here.
    nianbao::app::PROCESS_START.get_or_init(std::time::Instant::now);
    let cli = match nianbao::cli::args::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match nianbao::cli::run(&cli) {
        Some(code) => code,
        None => nianbao::app::run_window(cli.file),
    }
}
