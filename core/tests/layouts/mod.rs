//! Generated reports and the layouts a clerk meets them in, shared by `import_layouts_prop.rs` and the
//! `import_dump` example (which prints what the importer reads from many of them, to compare two builds).
//!
//! Use with `mod layouts;` from a test, `#[path = "../tests/layouts/mod.rs"] mod layouts;` from an example.

// Each user takes a different part of this module.
#![allow(dead_code)]

use nianbao_core::export::{Grid, grid, paragraphs, text};
use nianbao_core::report::{Report, Texts, Value};
use nianbao_core::template::{Edition, ValueKind};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A value of `kind`: sometimes blank, small or very large (up to 12 digits), money with 4 places.
pub fn arb_value(kind: ValueKind) -> BoxedStrategy<Value> {
    let n = prop_oneof![4 => 0i64..20, 2 => 0i64..100_000, 1 => 0i64..1_000_000_000_000];
    match kind {
        ValueKind::Count => prop_oneof![1 => Just(Value::Blank), 6 => n.prop_map(Value::Int)].boxed(),
        ValueKind::Signed => {
            prop_oneof![1 => Just(Value::Blank), 6 => (-1_000_000i64..1_000_000).prop_map(Value::Int)].boxed()
        }
        ValueKind::Money => prop_oneof![
            1 => Just(Value::Blank),
            6 => (0i64..10_000_000_000_000).prop_map(|n| Value::Money(Decimal::new(n, 4)))
        ]
        .boxed(),
    }
}

/// A report of either edition: cells as generated, totals computed, then now and then one total published
/// wrong (off by `1..=9`).
pub fn arb_report() -> impl Strategy<Value = Report> {
    prop::sample::select(Edition::ALL.to_vec())
        .prop_flat_map(|e| {
            let t = e.template();
            let cells: Vec<BoxedStrategy<Value>> = t.cells.iter().map(|c| arb_value(c.kind)).collect();
            let wrong = prop::option::weighted(0.3, (0..t.cells.len(), 1i64..10));
            (Just(e), cells, wrong)
        })
        .prop_map(|(e, cells, wrong)| {
            let year = if e == Edition::E2019 { 2020 } else { 2022 };
            let mut r = Report::new(e, year, "某县人民政府");
            r.cells = cells;
            r.fill_totals();
            let t = r.template();
            if let Some((at, by)) = wrong {
                // The computed cell nearest `at`: a total the publisher added wrong.
                let total = (at..t.cells.len()).chain(0..at).find(|&c| t.cells[c].computed);
                if let Some(c) = total
                    && let Value::Int(n) = r.cells[c]
                {
                    r.cells[c] = Value::Int(n + by);
                }
            }
            r.texts = Texts {
                preamble: "本报告根据条例编制。".to_owned(),
                overview: "全年主动公开信息。".to_owned(),
                problems: "公开工作仍有不足。".to_owned(),
                other: "无。".to_owned(),
            };
            r
        })
}

/// Whether a line of the official text is a table line.
pub fn is_grid_line(line: &str) -> bool {
    line.contains('\t')
}

/// Pipe tables: every grid line `| a | b |`, a rule line after each table's first line.
pub fn pipe(r: &Report) -> String {
    let mut out = String::new();
    let mut in_table = false;
    for line in text::to_text(r).lines() {
        if is_grid_line(line) {
            let fields: Vec<&str> = line.split('\t').collect();
            let _ = writeln!(out, "| {} |", fields.join(" | "));
            if !in_table {
                let _ = writeln!(out, "|{}", "---|".repeat(fields.len()));
            }
            in_table = true;
        } else {
            in_table = false;
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A table's cells in document order as the page has them: each merged cell once, in its first line, and an
/// empty cell for each grid position no cell covers.
pub fn page_cells(g: &Grid) -> Vec<&str> {
    let mut covered = vec![vec![false; g.width]; g.lines];
    for it in &g.items {
        for line in covered.iter_mut().skip(it.row).take(it.rowspan) {
            for slot in line.iter_mut().skip(it.col).take(it.colspan) {
                *slot = true;
            }
        }
    }
    let mut out = Vec::new();
    for (line, covered_line) in covered.iter().enumerate() {
        for (col, &is_covered) in covered_line.iter().enumerate() {
            if let Some(it) = g.items.iter().find(|it| it.row == line && it.col == col) {
                out.push(it.text.as_str());
            } else if !is_covered {
                out.push("");
            }
        }
    }
    out
}

/// The page's blocks in order: (text, whether it is a table cell).
pub fn blocks(r: &Report) -> Vec<(String, bool)> {
    let t = r.template();
    let mut out: Vec<(String, bool)> = vec![(r.display_title(), false)];
    let para = |out: &mut Vec<(String, bool)>, s: &str| {
        out.extend(paragraphs(s).map(|p| (p.trim().to_owned(), false)));
    };
    para(&mut out, &r.texts.preamble);
    for section in t.sections {
        out.push((section.heading.to_owned(), false));
        if let Some(id) = section.text {
            para(&mut out, r.texts.get(id));
        }
        for &ti in section.tables {
            let g = grid(r, &t.tables[ti]);
            out.extend(page_cells(&g).into_iter().map(|c| (c.to_owned(), true)));
        }
    }
    out
}

/// One paragraph or table cell per line, empty cells as empty lines.
pub fn one_cell_per_line(r: &Report) -> String {
    let mut out = String::new();
    for (b, _) in blocks(r) {
        out.push_str(&b);
        out.push('\n');
    }
    out
}

/// The whole page on one line: blocks joined by one space, a table's cells run together with nothing between.
pub fn collapsed(r: &Report) -> String {
    let mut out = String::new();
    let mut last_cell = false;
    for (b, cell) in blocks(r) {
        if !(out.is_empty() || cell && last_cell) {
            out.push(' ');
        }
        out.push_str(&b);
        last_cell = cell;
    }
    out
}

/// The TAB grid with the tabs gone: each table line its label and its cells run together.
pub fn run_together(r: &Report) -> String {
    text::to_text(r).replace('\t', "")
}

/// The TAB grid with one number left out of every table line that has two or more (the `n`th, counted from
/// the line's first number and wrapping): a column dropped as the 辉县 sample has it.
pub fn dropped_number(r: &Report, n: usize) -> String {
    let mut out = String::new();
    for line in text::to_text(r).lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let numbers: Vec<usize> = (0..fields.len())
            .filter(|&i| {
                !fields[i].is_empty() && fields[i].bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            })
            .collect();
        if numbers.len() < 2 {
            out.push_str(line);
        } else {
            let drop = numbers[n % numbers.len()];
            let kept: Vec<&str> = (0..fields.len()).filter(|&i| i != drop).map(|i| fields[i]).collect();
            out.push_str(&kept.join("\t"));
        }
        out.push('\n');
    }
    out
}
