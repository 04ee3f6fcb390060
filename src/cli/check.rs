//! `nianbao check FILE… [--json] [--previous LAST]`: runs every check and prints the findings per file.
//!
//! Text output (stdout), per file: a summary line, then one line per finding with its rule id. With `--json`:
//! one JSON document, the object of `interfaces.md` when one file is checked, an array of those objects (in the
//! order given) when several are; a file that could not be read is `{"file": …, "error": "…"}` there.
//! Exit status: 2 if a file could not be read (the others are still checked), else 1 if an error was found,
//! else 0 (warnings alone do not fail).

use super::{CheckArgs, EXIT_FAILURE, EXIT_PROBLEMS, fail};
use crate::checks::{self, Finding, Summary};
use crate::open::{self, FileKind, Opened};
use crate::report::Report;
use crate::template::Severity;
use serde_json::{Value as Json, json};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Runs the subcommand.
pub fn run(args: &CheckArgs) -> ExitCode {
    let previous = match &args.previous {
        Some(p) => match open::open_report(p) {
            Ok(o) => Some(o.report),
            Err(e) => return fail(&format!("无法读取上一年度的报告：{e}")),
        },
        None => None,
    };
    let mut status = 0u8;
    // Streamed: each file's result is written as soon as it is known, so memory does not grow with the batch.
    let mut out = super::out::Stdout::new();
    let array = args.json && args.files.len() != 1;
    if array {
        out.push("[\n");
    }
    for (n, path) in args.files.iter().enumerate() {
        let doc = match open::open_report(path) {
            Ok(opened) => {
                let last = previous.clone().or_else(|| opened.report.previous_report());
                let findings = checks::check(&opened.report, last.as_ref());
                let counts = checks::summarize(&findings);
                if counts.errors > 0 {
                    status = status.max(EXIT_PROBLEMS);
                }
                if !args.json {
                    let mut text = String::new();
                    write_text(&mut text, path, &opened, &findings, counts);
                    out.push(&text);
                    continue;
                }
                file_json(path, &opened.report, &findings, counts)
            }
            Err(e) => {
                status = EXIT_FAILURE;
                eprintln!("nianbao：{e}");
                if !args.json {
                    out.push(&format!("{}：无法读取\n\n", path.display()));
                    continue;
                }
                json!({ "file": path.display().to_string(), "error": e.to_string() })
            }
        };
        // Serialising a `serde_json::Value` cannot fail.
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        if array {
            // The array as `to_string_pretty` would write it: each element indented by two spaces.
            out.push(if n == 0 { "  " } else { ",\n  " });
            out.push(&text.replace('\n', "\n  "));
        } else {
            out.push(&text);
        }
    }
    if array {
        out.push(if args.files.is_empty() { "]\n" } else { "\n]\n" });
    } else if args.json {
        out.push("\n");
    }
    if let Err(msg) = out.finish() {
        return fail(&msg);
    }
    ExitCode::from(status)
}

/// The Chinese name of a finding's kind: the word of [`Severity::label`], the one the window uses too.
fn severity_name(f: &Finding) -> String {
    let word = f.severity.label();
    match (f.severity, f.acknowledged) {
        (Severity::Warning, true) => format!("{word}（已核实）"),
        _ => word.to_string(),
    }
}

/// The human-readable block of one file.
fn write_text(out: &mut String, path: &Path, opened: &Opened, findings: &[Finding], counts: Summary) {
    let source = match opened.kind {
        FileKind::Project => String::new(),
        FileKind::Json => "（JSON 报告）".to_string(),
        FileKind::Text if opened.doubts.is_empty() => "（从报告文本读取）".to_string(),
        FileKind::Text => format!("（从报告文本读取，{} 处存疑）", opened.doubts.len()),
        FileKind::Word if opened.doubts.is_empty() => "（从 Word 文档读取）".to_string(),
        FileKind::Word => format!("（从 Word 文档读取，{} 处存疑）", opened.doubts.len()),
        FileKind::Pdf if opened.doubts.is_empty() => "（从 PDF 读取）".to_string(),
        FileKind::Pdf => format!("（从 PDF 读取，{} 处存疑）", opened.doubts.len()),
    };
    let _ = write!(out, "{}{source}：", path.display());
    if findings.is_empty() {
        let _ = writeln!(out, "没有发现问题");
    } else {
        let (error, warning) = (Severity::Error.label(), Severity::Warning.label());
        let _ = write!(out, "{} 个{error}，{} 个{warning}", counts.errors, counts.warnings);
        if counts.acknowledged > 0 {
            let _ = write!(out, "，{} 个{warning}已核实", counts.acknowledged);
        }
        out.push('\n');
    }
    for f in findings {
        let _ = writeln!(out, "  {} [{}] {}", severity_name(f), f.rule, f.message);
    }
    for d in &opened.doubts {
        let _ = writeln!(out, "  存疑 {d}");
    }
    out.push('\n');
}

/// The `check --json` object of one file (`interfaces.md`).
fn file_json(path: &Path, report: &Report, findings: &[Finding], counts: Summary) -> Json {
    let t = report.template();
    let findings: Vec<Json> = findings.iter().map(|f| f.to_json(t)).collect();
    json!({
        "file": path.display().to_string(),
        "errors": counts.errors,
        "warnings": counts.warnings,
        "acknowledged": counts.acknowledged,
        "findings": findings,
    })
}
