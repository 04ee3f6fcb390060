//! 汇总 speed: merging 10,000 generated unit reports (issue 5 asks for under a second), with and without
//! running every unit's own checks for the breakdown.

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, ValueKind};
use nianbao::yearly::{self, MergeOptions};
use rust_decimal::Decimal;
use std::hint::black_box;

const UNITS: usize = 10_000;

/// `UNITS` reports of the 2021 edition, every input cell filled with small varied numbers, totals computed.
fn inputs() -> Vec<(String, Report)> {
    let t = Edition::E2021.template();
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    (0..UNITS)
        .map(|u| {
            let name = format!("第{u}号单位");
            let mut r = Report::new(Edition::E2021, 2024, name.clone());
            for (i, c) in t.cells.iter().enumerate() {
                if c.computed {
                    continue;
                }
                let n = (next() % 40) as i64;
                r.cells[i] = match c.kind {
                    ValueKind::Money => Value::Money(Decimal::new(n * 12_345, 4)),
                    _ => Value::Int(n),
                };
            }
            r.fill_totals();
            (name, r)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let mut g = c.benchmark_group("merge_10000");
    g.sample_size(10);
    g.bench_function("sum_only", |b| {
        b.iter(|| {
            yearly::merge_with(
                black_box(&inputs),
                "某市人民政府",
                MergeOptions {
                    run_checks: false,
                    ..MergeOptions::default()
                },
            )
        });
    });
    g.bench_function("with_unit_checks", |b| {
        b.iter(|| yearly::merge_with(black_box(&inputs), "某市人民政府", MergeOptions::default()));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
