//! `nianbao merge FILE… --agency NAME -o OUT`: 汇总 of subordinate units' reports, with a breakdown CSV.

use crate::open::{self, FileKind};
use crate::project;
use crate::report::Report;
use crate::yearly::{self, MergeError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads an input report (project file, JSON report, or published report text imported on the fly); says so
/// on stderr when an imported text had places the import was not sure of.
pub(super) fn read_report(path: &Path) -> Result<Report, String> {
    let opened = open::open_report(path).map_err(|e| e.to_string())?;
    if matches!(opened.kind, FileKind::Text | FileKind::Word) && !opened.doubts.is_empty() {
        eprintln!(
            "「{}」按报告文本读入，有{}处不能确定，请用 nianbao import 核对。",
            path.display(),
            opened.doubts.len()
        );
    }
    Ok(opened.report)
}

/// The breakdown CSV written beside the output: `OUT.breakdown.csv`.
pub fn breakdown_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".breakdown.csv");
    PathBuf::from(name)
}

/// Runs the subcommand: 0 when written, 2 on an unreadable input, mixed editions/years, or a write failure.
pub fn run(args: &super::MergeArgs) -> ExitCode {
    let mut inputs = Vec::with_capacity(args.files.len());
    let mut unreadable = false;
    for path in &args.files {
        match read_report(path) {
            Ok(r) => inputs.push((r.agency.trim().to_string(), r)),
            Err(e) => {
                eprintln!("{e}");
                unreadable = true;
            }
        }
    }
    if unreadable {
        eprintln!("有文件无法读取，没有汇总。");
        return ExitCode::from(2);
    }
    name_units(&mut inputs, &args.files);
    let merged = match yearly::merge(&inputs, &args.agency) {
        Ok(m) => m,
        Err(e) => {
            match &e {
                MergeError::Mixed { index, .. } => eprintln!("{}：{e}", args.files[*index].display()),
                MergeError::Empty => eprintln!("{e}"),
            }
            return ExitCode::from(2);
        }
    };
    if let Err(e) = project::save(&args.output, &merged.report) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let csv_path = breakdown_path(&args.output);
    if let Err(e) = project::write_atomic(&csv_path, merged.breakdown.to_csv().as_bytes()) {
        eprintln!("无法写入「{}」：{}", csv_path.display(), project::io_reason(&e));
        return ExitCode::from(2);
    }
    let b = &merged.breakdown;
    println!(
        "已汇总{}个单位的{}年度报告：{}",
        b.units.len(),
        merged.report.year,
        args.output.display()
    );
    println!("各单位明细（可用 Excel/WPS 打开）：{}", csv_path.display());
    let failing = b.failing_units();
    if !failing.is_empty() {
        println!("以下单位的报告有错误，请退回核对：");
        for u in failing {
            println!("  {}：{}个错误", b.units[u], b.errors(u));
        }
    }
    ExitCode::SUCCESS
}

/// Unit names: the agency, else the file name; a name used twice gets its file name added.
fn name_units(inputs: &mut [(String, Report)], files: &[PathBuf]) {
    let file_name = |p: &Path| {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (name, _) in inputs.iter() {
        *seen.entry(name.clone()).or_default() += 1;
    }
    for ((name, _), path) in inputs.iter_mut().zip(files) {
        if name.is_empty() {
            *name = file_name(path);
        } else if seen.get(name.as_str()).copied().unwrap_or(0) > 1 {
            *name = format!("{name}（{}）", file_name(path));
        }
    }
}
