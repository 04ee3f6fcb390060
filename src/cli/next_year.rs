//! `nianbao next-year FILE -o OUT`: starts next year's report from this one.

use crate::project;
use crate::yearly;
use std::process::ExitCode;

/// Runs the subcommand: 0 when written, 2 when the input cannot be read or the output cannot be written.
pub fn run(args: &super::NextYearArgs) -> ExitCode {
    let this = match super::merge::read_report(&args.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let path = args.file.to_string_lossy();
    let next = match yearly::next_year(&this, Some(&path)) {
        Ok(n) => n,
        Err(e) => return super::fail(&e.to_string()),
    };
    if let Err(e) = project::save(&args.output, &next.report) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let mut out = super::out::Stdout::new();
    out.line(format_args!(
        "已新建{}年度报告：{}（《{}》）",
        next.report.year,
        args.output.display(),
        next.report.template().name
    ));
    for n in &next.notes {
        out.line(format_args!("  {n}"));
    }
    if !next.not_carried.is_empty() {
        out.line("以下上一年度已填写的栏目未带入：");
        for n in &next.not_carried {
            out.line(format_args!("  {n}"));
        }
    }
    match out.finish() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => super::fail(&msg),
    }
}
