//! `nianbao next-year`. STUB: being written.

use std::process::ExitCode;

/// Runs the subcommand.
pub fn run(args: &super::NextYearArgs) -> ExitCode {
    let _ = args;
    eprintln!("尚未实现");
    ExitCode::from(2)
}
