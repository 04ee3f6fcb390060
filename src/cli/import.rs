//! `nianbao import REPORT.txt [-o OUT.nianbao] [--json]`: reads a published report's text (or a Word document,
//! or a PDF).
//!
//! Exit status: 0 every cell placed, 1 placed with doubts (listed on stderr, or in the JSON), 2 not a report
//! or unreadable.

use super::{EXIT_PROBLEMS, fail};
use crate::import::Imported;
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;

/// Runs the subcommand.
pub fn run(args: &super::ImportArgs) -> ExitCode {
    let bytes = match crate::project::read_file(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(&e.to_string()),
    };
    // A Word document is read through its paragraphs and tables, a PDF through its pages' text; anything else
    // is a text.
    let imported = crate::import::import_bytes(&bytes).map_err(|e| e.to_string());
    let Imported { report, doubts } = match imported {
        Ok(i) => i,
        Err(e) => return fail(&format!("「{}」{e}", args.file.display())),
    };
    if let Some(out) = &args.output
        && let Err(e) = crate::project::save(out, &report)
    {
        return fail(&e.to_string());
    }
    let t = report.template();
    if args.json {
        let doubts: Vec<serde_json::Value> = doubts
            .iter()
            .map(|d| {
                let cells: Vec<&str> = d.cells.iter().filter_map(|&c| t.cells.get(c)).map(|c| c.id).collect();
                json!({ "cells": cells, "line": d.line, "source": d.source, "message": d.message })
            })
            .collect();
        let out = json!({ "report": crate::export::json::to_json(&report), "doubts": doubts });
        // Serialising a `serde_json::Value` cannot fail.
        let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
        s.push('\n');
        if let Err(msg) = super::out::write_bytes(s.as_bytes()) {
            return fail(&msg);
        }
    } else {
        let doubtful = doubts
            .iter()
            .flat_map(|d| &d.cells)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        // A closed stderr (`… 2>&1 | head`) is not worth a panic.
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "已读取「{}」：{}，{}年，{}；共 {} 个单元格，存疑 {doubtful} 个{}",
            args.file.display(),
            if report.agency.is_empty() {
                "（机关名称不详）"
            } else {
                &report.agency
            },
            report.year,
            report.edition,
            t.cells.len(),
            args.output
                .as_ref()
                .map_or(String::new(), |o| format!("，已保存到「{}」", o.display())),
        );
        for d in &doubts {
            let _ = writeln!(err, "存疑：{d}");
        }
    }
    if doubts.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    }
}
