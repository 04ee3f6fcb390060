//! `checks::check` never panics, whatever the cells, texts and year, with or without last year's report, and
//! its output keeps its promises (order, counts, JSON shape).

use nianbao::checks::{Finding, check, summarize, unaccounted};
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, Severity};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Blank),
        (0i64..1000).prop_map(Value::Int),
        any::<i64>().prop_map(Value::Int),
        Just(Value::Int(i64::MAX)),
        Just(Value::Int(i64::MIN)),
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Value::Money(Decimal::new(m, s))),
        Just(Value::Money(Decimal::MAX)),
        Just(Value::Money(Decimal::MIN)),
    ]
}

/// Texts built from pieces that the narrative and fee rules look for.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("收到政府信息公开申请"),
        Just("受理依申请公开"),
        Just("行政复议"),
        Just("行政诉讼"),
        Just("共"),
        Just("为"),
        Just("："),
        Just("件"),
        Just("，"),
        Just("。"),
        Just("\n"),
        Just("1,2"),
        Just("９"),
        Just("99999999999999999999999"),
        Just("收费通知"),
        Just("信息处理费"),
        Just("未收取"),
        Just("."),
        Just("a"),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn report() -> impl Strategy<Value = Report> {
    (
        prop_oneof![Just(Edition::E2019), Just(Edition::E2021)],
        2015i32..2030,
        text(),
        text(),
    )
        .prop_flat_map(|(e, year, overview, other)| {
            let n = e.template().cells.len();
            (proptest::collection::vec(value(), n), Just((e, year, overview, other)))
        })
        .prop_map(|(cells, (e, year, overview, other))| {
            let mut r = Report::new(e, year, "某机关");
            r.cells = cells;
            r.texts.overview = overview;
            r.texts.other = other;
            r
        })
}

fn sorted(f: &[Finding]) -> bool {
    f.windows(2)
        .all(|w| (w[0].severity, w[0].cells.first()) <= (w[1].severity, w[1].cells.first()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn check_never_panics(r in report(), prev in proptest::option::of(report()), ack in any::<bool>()) {
        let mut r = r;
        if ack {
            // Acknowledge everything once: errors must stay unacknowledged.
            for f in check(&r, prev.as_ref()) {
                r.acknowledged.insert(f.key());
            }
        }
        let f = check(&r, prev.as_ref());
        prop_assert!(sorted(&f));
        let s = summarize(&f);
        prop_assert_eq!(s.errors + s.warnings + s.acknowledged, f.len());
        prop_assert_eq!(s.errors, f.iter().filter(|f| f.severity == Severity::Error).count());
        if ack {
            prop_assert_eq!(s.warnings, 0);
        }
        for x in &f {
            prop_assert!(!x.message.is_empty());
            let j = x.to_json(r.template());
            prop_assert_eq!(j["cells"].as_array().map(Vec::len), Some(x.cells.len()));
        }
        let _ = unaccounted(&r);
    }
}

#[test]
fn a_fresh_report_is_all_blank_warnings() {
    for e in Edition::ALL {
        let year = e.template().first_year;
        let r = Report::new(e, year, "某机关");
        let f = check(&r, None);
        // Only `blank` (one per input) and `fee_report` (2021: section 六 is empty) — no errors.
        assert_eq!(summarize(&f).errors, 0, "{e:?}");
        assert!(f.iter().all(|f| f.rule == "blank" || f.rule == "fee_report"), "{f:#?}");
        assert_eq!(unaccounted(&r), None);
    }
}
