//! `nianbao new`: writes a blank project for an agency and a year.

use super::{NewArgs, fail};
use crate::project;
use crate::report::Report;
use crate::template::Edition;
use std::process::ExitCode;

/// Runs the subcommand: 0 when written, 2 on bad arguments or when the file cannot be written.
pub fn run(args: &NewArgs) -> ExitCode {
    match make(args) {
        Ok(report) => match project::save(&args.output, &report) {
            Ok(()) => {
                eprintln!(
                    "已新建{}（{}，{}年度）：{}",
                    report.display_title(),
                    report.edition,
                    report.year,
                    args.output.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        },
        Err(msg) => fail(&msg),
    }
}

/// The blank report the arguments ask for, or why they are wrong.
fn make(args: &NewArgs) -> Result<Report, String> {
    let known = Edition::ALL.map(Edition::id).join("、");
    let Some(edition) = Edition::from_id(&args.edition) else {
        return Err(format!(
            "没有「{}」这一格式版本：可用的版本有 {known}",
            args.edition.trim()
        ));
    };
    if !Edition::ALL.iter().any(|e| e.template().covers_year(args.year)) {
        return Err(format!(
            "年度 {} 不在支持范围内：nianbao 支持 {} 年度起的报告",
            args.year,
            Edition::ALL[0].template().first_year
        ));
    }
    if !edition.template().covers_year(args.year) {
        let right = Edition::for_year(args.year);
        return Err(format!(
            "{}年度的报告应使用{}（--edition {}），而不是{}",
            args.year,
            right,
            right.id(),
            edition
        ));
    }
    let agency = args.agency.trim();
    if agency.is_empty() {
        return Err("机关名称（--agency）不能为空".to_string());
    }
    crate::fields::check_one_line(agency).map_err(|e| format!("机关名称（--agency）{e}"))?;
    if args.output.exists() && !args.force {
        return Err(format!(
            "「{}」已存在：为免覆盖已填写的报告，请换一个文件名，或加 --force 覆盖",
            args.output.display()
        ));
    }
    Ok(Report::new(edition, args.year, agency))
}
