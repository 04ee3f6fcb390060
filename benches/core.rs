//! Speed of the library's hot paths on a full report (issue 6): checks + totals after one cell edit, plain-text,
//! JSON and Word export, project file save + load (in memory and on disk). Import has its own bench
//! (`benches/import.rs`), 汇总 too (`benches/merge.rs`).
//!
//! Run with `cargo bench --bench core`; the figures and targets are in `BENCHMARKS.md`.

// Benchmark code, like test code, may unwrap: a failure here is a broken fixture, reported at once.
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::checks;
use nianbao::export::{docx, json, text};
use nianbao::project;
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, ValueKind};
use std::hint::black_box;
use std::time::Duration;

/// The first input (non-computed) integer cell of section 三, the table the clerk edits most and the one with
/// the most relations: an edit there touches the most totals and checks.
fn edited_cell(r: &Report) -> usize {
    let t = r.template();
    t.cells
        .iter()
        .position(|c| !c.computed && c.kind == ValueKind::Count && c.id.starts_with("s3."))
        .or_else(|| t.cells.iter().position(|c| !c.computed))
        .unwrap_or(0)
}

/// What the window does after the clerk types one number: set the cell, refill the totals, run every check.
fn edit_then_check(c: &mut Criterion) {
    let mut g = c.benchmark_group("edit_one_cell");
    g.measurement_time(Duration::from_secs(3));
    for edition in [Edition::E2021, Edition::E2019] {
        let mut report = common::full_report(edition);
        let cell = edited_cell(&report);
        let mut n: i64 = 0;
        g.bench_function(format!("totals_and_checks_{}", edition.id()), |b| {
            b.iter(|| {
                // A different value every time, so that nothing can be skipped as "unchanged".
                n = (n + 1) % 97;
                report.set(cell, Value::Int(n));
                report.fill_totals();
                black_box(checks::check(black_box(&report), None))
            });
        });
        // With last year's report: the cross-year checks run too.
        let previous = common::full_report(edition);
        g.bench_function(format!("totals_and_checks_with_previous_{}", edition.id()), |b| {
            b.iter(|| {
                n = (n + 1) % 97;
                report.set(cell, Value::Int(n));
                report.fill_totals();
                black_box(checks::check(black_box(&report), Some(&previous)))
            });
        });
    }
    let report = common::full_report(Edition::E2021);
    g.bench_function("checks_only_2021", |b| {
        b.iter(|| black_box(checks::check(black_box(&report), None)));
    });
    let mut report = common::full_report(Edition::E2021);
    g.bench_function("fill_totals_only_2021", |b| {
        b.iter(|| {
            report.fill_totals();
            black_box(&report);
        });
    });
    g.finish();
}

fn exports(c: &mut Criterion) {
    let mut g = c.benchmark_group("export");
    g.measurement_time(Duration::from_secs(3));
    for edition in [Edition::E2021, Edition::E2019] {
        let report = common::full_report(edition);
        g.bench_function(format!("text_{}", edition.id()), |b| {
            b.iter(|| black_box(text::to_text(black_box(&report))));
        });
        g.bench_function(format!("text_gb18030_crlf_{}", edition.id()), |b| {
            b.iter(|| {
                let s = text::to_text(black_box(&report));
                black_box(text::encode(&s, text::Encoding::Gb18030, text::LineEnd::CrLf))
            });
        });
        g.bench_function(format!("json_{}", edition.id()), |b| {
            b.iter(|| black_box(json::to_json_string(black_box(&report))));
        });
        // The whole .docx package: XML of every part, deflated into the zip.
        g.bench_function(format!("docx_{}", edition.id()), |b| {
            b.iter(|| black_box(docx::to_docx(black_box(&report))));
        });
    }
    g.finish();
}

fn project_file(c: &mut Criterion) {
    let mut g = c.benchmark_group("project");
    g.measurement_time(Duration::from_secs(3));
    let report = common::full_report(Edition::E2021);
    g.bench_function("to_string_from_str_2021", |b| {
        b.iter(|| {
            let s = project::to_string(black_box(&report)).unwrap();
            black_box(project::from_str(&s).unwrap())
        });
    });
    // On disk: the atomic save (temporary file, fsync, rename) and the load, as the window does them.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.nianbao");
    g.bench_function("save_load_disk_2021", |b| {
        b.iter(|| {
            project::save(&path, black_box(&report)).unwrap();
            black_box(project::load(&path).unwrap())
        });
    });
    // The two halves apart: the save's cost is its two fsyncs (file, then folder), which keep the previous file
    // intact if the power fails; the load is a read and a parse.
    g.bench_function("save_disk_2021", |b| {
        b.iter(|| project::save(&path, black_box(&report)).unwrap());
    });
    g.bench_function("load_disk_2021", |b| {
        b.iter(|| black_box(project::load(&path).unwrap()));
    });
    g.finish();
}

criterion_group!(benches, edit_then_check, exports, project_file);
criterion_main!(benches);
