//! `nianbao merge FILE… --agency NAME -o OUT`: 汇总 of subordinate units' reports, with a breakdown CSV.

use crate::open;
use crate::project;
use crate::report::Report;
use crate::yearly::{self, MergeOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads an input report (project file, JSON report, or published report text imported on the fly); says so
/// on stderr when an imported text had places the import was not sure of.
pub(super) fn read_report(path: &Path) -> Result<Report, String> {
    let opened = open::open_report(path).map_err(|e| e.to_string())?;
    if opened.kind.is_imported() && !opened.doubts.is_empty() {
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

/// Runs the subcommand: 0 when written, 2 on an unreadable input, the same report given twice, mixed
/// editions/years, or a write failure.
///
/// The inputs are read one at a time and added to the sum as they come, their findings set aside in a
/// temporary file: ten thousand reports merge in a few tens of megabytes.
pub fn run(args: &super::MergeArgs) -> ExitCode {
    if let Err(e) = crate::fields::check_one_line(&args.agency) {
        return super::fail(&format!("汇总后的机关名称（--agency）{e}"));
    }
    let mut spill = match yearly::FindingSpill::new() {
        Ok(s) => s,
        Err(e) => return super::fail(&format!("无法建立临时文件：{}", crate::fsio::io_reason(&e))),
    };
    let mut sum = yearly::Merger::new(MergeOptions {
        run_checks: true,
        keep_findings: false,
    });
    let mut unreadable = false;
    let mut seen = Seen::default();
    for (i, path) in args.files.iter().enumerate() {
        let r = match read_report(path) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("nianbao：{e}");
                unreadable = true;
                continue;
            }
        };
        if let Some(first) = seen.duplicate_of(i, path, &r) {
            eprintln!(
                "nianbao：「{}」与「{}」{}，同一份报告不能汇总两次",
                path.display(),
                args.files[first.0].display(),
                first.1
            );
            unreadable = true;
            continue;
        }
        if unreadable {
            // Nothing will be written: the rest are only read, to name every file that cannot be.
            continue;
        }
        match sum.add(r.agency.trim().to_string(), &r) {
            Ok(findings) => {
                let pushed = spill.push(sum.units_mut().len() - 1, r.edition, &findings);
                if let Err(e) = pushed {
                    return super::fail(&format!("无法写入临时文件：{}", crate::fsio::io_reason(&e)));
                }
            }
            Err(e) => {
                eprintln!("nianbao：{}：{e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    if unreadable {
        eprintln!("nianbao：有文件无法读取或重复，没有汇总。");
        return ExitCode::from(2);
    }
    name_units(sum.units_mut(), &args.files);
    let merged = match sum.finish(&args.agency) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("nianbao：{e}");
            return ExitCode::from(2);
        }
    };
    let text = match project::to_string(&merged.report) {
        Ok(t) => t,
        Err(e) => return super::fail(&e.to_string()),
    };
    let csv_path = breakdown_path(&args.output);
    // One id in both files: a kill between the two renames leaves files whose ids differ, which a person or a
    // script can see.
    let stamp = format!("{}|{:?}|", std::process::id(), std::time::SystemTime::now());
    let id = format!(
        "{:016x}",
        crate::fsio::fingerprint(stamp.as_bytes()) ^ crate::fsio::fingerprint(text.as_bytes())
    );
    let text = format!(
        "// 汇总编号：{id}（与「{}」末行的编号相同）\n{text}",
        file_name(&csv_path)
    );
    let b = &merged.breakdown;
    let write_csv = |w: &mut dyn std::io::Write| {
        b.write_csv(w, |w| spill.write_to(w, &b.units))?;
        write!(w, "\r\n汇总编号,{id}\r\n")
    };
    if let Err((path, e)) = crate::fsio::write_pair_with((&args.output, text.as_bytes()), &csv_path, write_csv) {
        return super::fail(&format!(
            "无法保存「{}」：{e}（原有的汇总文件和明细均未被改动）",
            path.display()
        ));
    }
    print_summary(&merged, &args.output, &csv_path, &id)
}

/// What the command says when the pair is written: how many units, the two files, their shared id, and the
/// units whose own report has errors.
fn print_summary(merged: &yearly::Merged, output: &Path, csv_path: &Path, id: &str) -> ExitCode {
    let b = &merged.breakdown;
    let mut out = super::out::Stdout::new();
    out.line(format_args!(
        "已汇总{}个单位的{}年度报告：{}",
        b.units.len(),
        merged.report.year,
        output.display()
    ));
    out.line(format_args!(
        "各单位明细（可用 Excel/WPS 打开）：{}",
        csv_path.display()
    ));
    out.line(format_args!("汇总编号：{id}（两个文件中相同）"));
    let failing = b.failing_units();
    if !failing.is_empty() {
        out.line("以下单位的报告有错误，请退回核对：");
        for u in failing {
            out.line(format_args!("  {}：{}个错误", b.units[u], b.errors(u)));
        }
    }
    match out.finish() {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => super::fail(&msg),
    }
}

/// The inputs read so far, to refuse the same report twice: the same file (by its real path, so a link or
/// `./a` is the same as `a`) or the same agency, year and content in two files.
#[derive(Default)]
struct Seen {
    paths: HashMap<PathBuf, usize>,
    contents: HashMap<(u64, u64), usize>,
}

impl Seen {
    /// The earlier input `report` at `path` repeats, with how; records it otherwise.
    fn duplicate_of(&mut self, index: usize, path: &Path, report: &Report) -> Option<(usize, &'static str)> {
        if let Ok(real) = std::fs::canonicalize(path) {
            if let Some(&first) = self.paths.get(&real) {
                return Some((first, "是同一个文件"));
            }
            self.paths.insert(real, index);
        }
        // Two std hashes of the whole project text (agency, year, every cell and text): 128 bits, so that two
        // different reports are never taken for one.
        let text = project::to_string(report).unwrap_or_default();
        let key = (
            crate::fsio::fingerprint(text.as_bytes()),
            crate::fsio::fingerprint(format!("\u{1}{text}").as_bytes()),
        );
        if let Some(&first) = self.contents.get(&key) {
            return Some((first, "是同一份报告（机关、年度和内容都相同）"));
        }
        self.contents.insert(key, index);
        None
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
}

/// Unit names: the agency, else the file name; a name used twice gets its file name added.
fn name_units(names: &mut [String], files: &[PathBuf]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for name in names.iter() {
        *seen.entry(name.clone()).or_default() += 1;
    }
    for (name, path) in names.iter_mut().zip(files) {
        if name.is_empty() {
            *name = file_name(path);
        } else if seen.get(name.as_str()).copied().unwrap_or(0) > 1 {
            *name = format!("{name}（{}）", file_name(path));
        }
    }
}
