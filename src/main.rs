//! The `nianbao` binary: the window, and the command line over the same library.

use clap::Parser;
use nianbao::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match nianbao::cli::run(&cli) {
        Some(code) => code,
        None => nianbao::app::run_window(cli.file),
    }
}
