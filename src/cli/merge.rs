//! `nianbao merge`. STUB: being written.

use std::process::ExitCode;

/// Runs the subcommand.
pub fn run(args: &super::MergeArgs) -> ExitCode {
    let _ = args;
    eprintln!("尚未实现");
    ExitCode::from(2)
}
