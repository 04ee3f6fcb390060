//! Next year's report and 汇总 (merge): library and command line.

// Test helpers (outside #[test] fns) unwrap too: a panic there is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use nianbao::checks::{self, Finding};
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, TextId, ValueKind};
use nianbao::yearly::{self, DRAFT_MARKER, MergeError, MergeOptions, PreviousSummary};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small deterministic generator (no dependency, same numbers on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// A report with every input cell filled (a few blank when `blanks`), totals computed, all four texts.
fn generated(edition: Edition, year: i32, agency: &str, seed: u64, blanks: bool) -> Report {
    let mut rng = Lcg(seed);
    let mut r = Report::new(edition, year, agency);
    let t = r.template();
    for (i, c) in t.cells.iter().enumerate() {
        if c.computed || (blanks && rng.next().is_multiple_of(7)) {
            continue;
        }
        let n = (rng.next() % 50) as i64;
        r.cells[i] = match c.kind {
            ValueKind::Count => Value::Int(n),
            ValueKind::Signed => Value::Int(n - 25),
            ValueKind::Money => Value::Money(Decimal::new(rng.next() as i64 % 100_000_000, 4)),
        };
    }
    r.fill_totals();
    for id in TextId::ALL {
        *r.texts.get_mut(id) = format!("{agency}{year}年的{}。\n第二段。", id.label());
    }
    r
}

fn rules(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

#[test]
fn next_year_within_the_2021_edition() {
    let this = generated(Edition::E2021, 2022, "某县人民政府", 1, false);
    let next = yearly::next_year(&this, Some("2022.nianbao")).unwrap();
    let r = &next.report;
    assert_eq!(
        (r.edition, r.year, r.agency.as_str()),
        (Edition::E2021, 2023, "某县人民政府")
    );
    assert!(next.not_carried.is_empty(), "{:?}", next.not_carried);
    let t = r.template();
    for c in t.cells {
        let got = r.value(c.id).unwrap();
        if let Some(col) = c.id.strip_prefix("s3.carried_in.") {
            assert_eq!(got, this.value(&format!("s3.carried_out.{col}")).unwrap(), "{}", c.id);
        } else {
            // This year's figures are never copied (in_force included: it is shown beside, not carried).
            assert_eq!(got, Value::Blank, "{}", c.id);
        }
    }
    for id in TextId::ALL {
        let text = r.texts.get(id);
        assert_eq!(text, format!("{DRAFT_MARKER}\n{}", this.texts.get(id)), "{id:?}");
        assert_eq!(yearly::strip_draft_marker(text), this.texts.get(id));
    }
    let prev = r.previous.as_ref().unwrap();
    assert_eq!(prev, &PreviousSummary::of(&this, Some("2022.nianbao".into())));
    // Last year's 现行有效件数 is there to show beside this year's.
    let in_force = t.cell_index("s2.rules.in_force").unwrap();
    assert_eq!(yearly::last_year_value(r, in_force), this.value("s2.rules.in_force"));
    // Starting the year after from an untouched draft does not mark the texts twice.
    let again = yearly::next_year(r, None).unwrap();
    assert_eq!(again.report.texts.overview, r.texts.overview);
}

#[test]
fn next_year_within_the_2019_edition_moves_prev_items_on() {
    let this = generated(Edition::E2019, 2019, "某市人民政府", 2, false);
    let next = yearly::next_year(&this, None).unwrap();
    let r = &next.report;
    assert_eq!((r.edition, r.year), (Edition::E2019, 2020));
    assert!(next.not_carried.is_empty());
    for row in [
        "s2.licensing",
        "s2.other_services",
        "s2.penalty",
        "s2.coercion",
        "s2.fees",
    ] {
        let prev = this.value(&format!("{row}.prev_items")).unwrap().as_int().unwrap();
        let change = this.value(&format!("{row}.change")).unwrap().as_int().unwrap();
        assert_eq!(
            r.value(&format!("{row}.prev_items")),
            Some(Value::Int(prev + change)),
            "{row}"
        );
        assert_eq!(r.value(&format!("{row}.change")), Some(Value::Blank), "{row}");
        assert_eq!(
            r.value(&format!("{row}.decisions")).unwrap_or(Value::Blank),
            Value::Blank,
            "{row}"
        );
    }
    assert_eq!(r.value("s3.carried_in.natural"), this.value("s3.carried_out.natural"));
    assert_eq!(r.value("s3.carried_in.total"), this.value("s3.carried_out.total"));
    assert_eq!(r.value("s2.procurement.amount"), Some(Value::Blank));
}

#[test]
fn next_year_2020_moves_to_the_2021_edition() {
    let mut this = generated(Edition::E2019, 2020, "焦作市人民政府", 3, false);
    this.title = "焦作市人民政府2020年政府信息公开工作年度报告".into();
    // One 2019-only cell left blank: it must not be listed as dropped.
    this.set_by_id("s2.procurement.amount", Value::Blank);
    let next = yearly::next_year(&this, Some("jiaozuo-2020.nianbao")).unwrap();
    let r = &next.report;
    assert_eq!((r.edition, r.year), (Edition::E2021, 2021));
    assert_eq!(r.display_title(), "焦作市人民政府2021年政府信息公开工作年度报告");
    assert_eq!(r.cells.len(), Edition::E2021.template().cells.len());
    for col in [
        "natural",
        "commercial",
        "research",
        "nonprofit",
        "legal",
        "other_org",
        "total",
    ] {
        assert_eq!(
            r.value(&format!("s3.carried_in.{col}")),
            this.value(&format!("s3.carried_out.{col}")),
            "{col}"
        );
    }
    // A cell of the same meaning in both editions is not copied either: it is this year's figure.
    assert_eq!(r.value("s2.licensing.decisions"), Some(Value::Blank));
    // Not carried: every filled-in 2019-only cell, named; the blank one is not mentioned.
    let t19 = Edition::E2019.template();
    let t21 = Edition::E2021.template();
    let dropped: Vec<&str> = t19
        .cells
        .iter()
        .filter(|c| t21.cell_index(c.id).is_none() && !this.value(c.id).unwrap().is_blank())
        .map(|c| c.label)
        .collect();
    assert!(dropped.len() >= 20, "{dropped:?}");
    assert_eq!(next.not_carried.len(), dropped.len());
    for (note, label) in next.not_carried.iter().zip(&dropped) {
        assert!(note.contains(label), "{note} / {label}");
    }
    assert!(next.not_carried.iter().any(|n| n.contains("采购项目数量")));
    assert!(!next.not_carried.iter().any(|n| n.contains("采购总金额")));
    assert!(
        next.notes.iter().any(|n| n.contains("国办公开办函〔2021〕30号")),
        "{:?}",
        next.notes
    );
    // The predecessor keeps its own edition, so the cross-year rules can look its cells up by id.
    let prev = r.previous.as_ref().unwrap();
    assert_eq!(prev.edition, Edition::E2019);
    assert_eq!(prev.to_report().cells, this.cells);
}

/// A next-year report filled in consistently with its predecessor: no cross-year warning; then one number
/// changed at a time: its warning fires, naming the cell.
#[test]
fn carry_over_warnings_fire_when_a_number_is_changed() {
    let last = generated(Edition::E2021, 2022, "某县人民政府", 4, false);
    let mut r = yearly::next_year(&last, None).unwrap().report;
    // Fill this year consistently: in_force = last year's + issued − repealed.
    for row in ["s2.rules", "s2.normative"] {
        let last_in_force = last.value(&format!("{row}.in_force")).unwrap().as_int().unwrap();
        r.set_by_id(&format!("{row}.issued"), Value::Int(3));
        r.set_by_id(&format!("{row}.repealed"), Value::Int(1));
        r.set_by_id(&format!("{row}.in_force"), Value::Int(last_in_force + 2));
    }
    let prev = r.previous.as_ref().unwrap().to_report();
    let cross = ["carry_over", "in_force_carry", "prev_items_carry", "same_as_last_year"];
    let base = checks::check(&r, Some(&prev));
    assert!(!rules(&base).iter().any(|id| cross.contains(id)), "{base:?}");

    let mut changed = r.clone();
    let cell = changed.template().cell_index("s3.carried_in.natural").unwrap();
    let was = changed.cells[cell].as_int().unwrap();
    changed.cells[cell] = Value::Int(was + 1);
    changed.fill_totals();
    let f = checks::check(&changed, Some(&prev));
    let carry: Vec<_> = f.iter().filter(|f| f.rule == "carry_over").collect();
    assert_eq!(carry.len(), 1, "{f:?}");
    assert!(carry[0].cells.contains(&cell));

    let mut changed = r.clone();
    let cell = changed.template().cell_index("s2.normative.in_force").unwrap();
    let was = changed.cells[cell].as_int().unwrap();
    changed.cells[cell] = Value::Int(was + 5);
    let f = checks::check(&changed, Some(&prev));
    let carry: Vec<_> = f.iter().filter(|f| f.rule == "in_force_carry").collect();
    assert_eq!(carry.len(), 1, "{f:?}");
    assert!(carry[0].cells.contains(&cell));

    // 2019 edition: prev_items changed by hand.
    let last = generated(Edition::E2019, 2019, "某县人民政府", 5, false);
    let r = yearly::next_year(&last, None).unwrap().report;
    let prev = r.previous.as_ref().unwrap().to_report();
    assert!(!rules(&checks::check(&r, Some(&prev))).contains(&"prev_items_carry"));
    let mut changed = r.clone();
    let cell = changed.template().cell_index("s2.fees.prev_items").unwrap();
    let was = changed.cells[cell].as_int().unwrap();
    changed.cells[cell] = Value::Int(was + 1);
    let f = checks::check(&changed, Some(&prev));
    let carry: Vec<_> = f.iter().filter(|f| f.rule == "prev_items_carry").collect();
    assert_eq!(carry.len(), 1, "{f:?}");
    assert!(carry[0].cells.contains(&cell));
}

/// The sum of every unit's value of each cell, computed here cell id by cell id.
fn expected_sum(units: &[(String, Report)], id: &str) -> Value {
    let values: Vec<Value> = units.iter().map(|(_, r)| r.value(id).unwrap()).collect();
    if values.iter().all(Value::is_blank) {
        return Value::Blank;
    }
    if values.iter().any(|v| matches!(v, Value::Money(_))) {
        return Value::Money(values.iter().map(Value::as_decimal).sum());
    }
    Value::Int(values.iter().filter_map(Value::as_int).sum())
}

fn units(edition: Edition, year: i32, n: u64, blanks: bool) -> Vec<(String, Report)> {
    (0..n)
        .map(|i| {
            let name = format!("第{i}镇人民政府");
            let r = generated(edition, year, &name, 100 + i, blanks);
            (name, r)
        })
        .collect()
}

#[test]
fn merge_equals_the_sum_computed_independently() {
    for (edition, year) in [(Edition::E2021, 2024), (Edition::E2019, 2020)] {
        let inputs = units(edition, year, 37, true);
        let m = yearly::merge(&inputs, "某县人民政府").unwrap();
        let r = &m.report;
        assert_eq!((r.edition, r.year, r.agency.as_str()), (edition, year, "某县人民政府"));
        for c in edition.template().cells {
            assert_eq!(r.value(c.id).unwrap(), expected_sum(&inputs, c.id), "{}", c.id);
        }
        assert!(r.totals_are_computed());
        assert!(r.texts.overview.contains("共37个单位"));
        assert!(r.texts.overview.contains("第0镇人民政府、第1镇人民政府"));
        assert!(r.texts.problems.is_empty() && r.texts.other.is_empty());
        assert_eq!(m.breakdown.units.len(), 37);
        let i = edition.template().cell_index("s3.new.natural").unwrap();
        let from_units: Vec<Value> = m.breakdown.cell_values(i).collect();
        let direct: Vec<Value> = inputs.iter().map(|(_, r)| r.cells[i].clone()).collect();
        assert_eq!(from_units, direct);
    }
}

#[test]
fn mixed_editions_or_years_are_refused_naming_the_odd_unit() {
    let mut inputs = units(Edition::E2021, 2021, 3, false);
    inputs.insert(
        2,
        ("老格式镇".into(), generated(Edition::E2019, 2020, "老格式镇", 9, false)),
    );
    let err = yearly::merge(&inputs, "某县").unwrap_err();
    assert!(matches!(err, MergeError::Mixed { index: 2, .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("老格式镇") && msg.contains("2020") && msg.contains("第0镇人民政府"),
        "{msg}"
    );

    let mut inputs = units(Edition::E2021, 2021, 2, false);
    inputs.push(("明年镇".into(), generated(Edition::E2021, 2022, "明年镇", 9, false)));
    let err = yearly::merge(&inputs, "某县").unwrap_err();
    assert!(
        matches!(
            err,
            MergeError::Mixed {
                index: 2,
                year: 2022,
                first_year: 2021,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn breakdown_names_the_units_that_fail_their_checks() {
    let mut inputs = units(Edition::E2021, 2023, 3, false);
    // Unit 1's balance is broken: one more new application than it accounts for.
    let r = &mut inputs[1].1;
    let cell = r.template().cell_index("s3.new.natural").unwrap();
    r.cells[cell] = Value::Int(r.cells[cell].as_int().unwrap() + 1);
    r.fill_totals();
    let m = yearly::merge(&inputs, "某县").unwrap();
    let b = &m.breakdown;
    assert!(b.failing_units().contains(&1), "{:?}", b.findings[1]);
    assert!(b.findings_for_cell(cell).any(|(u, f)| u == 1 && f.rule == "balance"));
    let csv = b.to_csv();
    assert!(csv.contains("第1镇人民政府,错误,balance"), "{csv}");
    assert!(csv.contains(&format!("\r\n第1镇人民政府,{},", b.errors(1))), "{csv}");
    // A unit that carried its figures over wrongly from its own last year's report is caught too.
    let last = generated(Edition::E2021, 2022, "第2镇人民政府", 77, false);
    let mut r = yearly::next_year(&last, None).unwrap().report;
    r.cells = inputs[2].1.cells.clone();
    inputs[2].1 = r;
    let m = yearly::merge(&inputs, "某县").unwrap();
    assert!(
        m.breakdown.findings[2].iter().any(|f| f.rule == "carry_over"),
        "{:?}",
        m.breakdown.findings[2]
    );
    assert!(!m.breakdown.findings[0].iter().any(|f| f.rule == "carry_over"));

    let quick = yearly::merge_with(
        &inputs,
        "某县",
        MergeOptions {
            run_checks: false,
            ..MergeOptions::default()
        },
    )
    .unwrap();
    assert_eq!(quick.report, m.report);
    assert!(quick.breakdown.failing_units().is_empty());
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1)", path.display()));
    assert!(
        want == actual,
        "{} differs; rerun with UPDATE_GOLDEN=1 after checking the change",
        path.display()
    );
}

#[test]
fn breakdown_csv_golden() {
    let mut a = Report::new(Edition::E2021, 2023, "甲镇");
    a.set_by_id("s2.fees.amount", Value::Money(Decimal::new(123_720_506, 4)));
    a.set_by_id("s3.new.natural", Value::Int(5));
    a.set_by_id("s3.granted.natural", Value::Int(5));
    let mut b = Report::new(Edition::E2021, 2023, "乙镇，含\"开发区\"");
    b.set_by_id("s2.fees.amount", Value::Money(Decimal::new(1, 0)));
    b.set_by_id("s3.new.natural", Value::Int(0));
    a.fill_totals();
    b.fill_totals();
    let inputs = vec![("甲镇".to_string(), a), (b.agency.clone(), b)];
    let m = yearly::merge_with(
        &inputs,
        "某县",
        MergeOptions {
            run_checks: false,
            ..MergeOptions::default()
        },
    )
    .unwrap();
    let csv = m.breakdown.to_csv();
    assert!(csv.starts_with("\u{feff}单元格编号,单元格名称,汇总数,甲镇,\"乙镇，含\"\"开发区\"\"\"\r\n"));
    assert!(csv.contains("s2.fees.amount,"), "{csv}");
    assert!(csv.contains(",12373.0506,12372.0506,1.0000\r\n"), "{csv}");
    assert!(csv.contains(",5,5,0\r\n"), "{csv}");
    golden("merge_breakdown.csv", &csv);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the values (blank, 0, large), the merge is the cell-by-cell sum and never panics.
    #[test]
    fn merge_is_the_cellwise_sum(values in prop::collection::vec(prop::collection::vec(prop::option::of(0_i64..1_000_000_000), 25..=25), 1..6)) {
        let t = Edition::E2021.template();
        let inputs: Vec<(String, Report)> = values.iter().enumerate().map(|(u, vs)| {
            let mut r = Report::new(Edition::E2021, 2023, format!("单位{u}"));
            // Spread the 25 generated values over the input cells, cycling.
            for (k, i) in (0..t.cells.len()).filter(|&i| !t.cells[i].computed).enumerate() {
                r.cells[i] = match (vs[k % vs.len()], t.cells[i].kind) {
                    (None, _) => Value::Blank,
                    (Some(x), ValueKind::Money) => Value::Money(Decimal::new(x, 4)),
                    (Some(x), _) => Value::Int(x),
                };
            }
            r.fill_totals();
            (format!("单位{u}"), r)
        }).collect();
        let m = yearly::merge_with(&inputs, "某县", MergeOptions { run_checks: false, ..MergeOptions::default() }).unwrap();
        for c in t.cells {
            prop_assert_eq!(m.report.value(c.id).unwrap(), expected_sum(&inputs, c.id), "{}", c.id);
        }
    }
}

// ---- command line ----

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
}

fn save(dir: &Path, name: &str, r: &Report) -> PathBuf {
    let p = dir.join(name);
    nianbao::project::save(&p, r).unwrap();
    p
}

#[test]
fn cli_next_year_writes_the_new_project() {
    let dir = tempfile::tempdir().unwrap();
    let this = generated(Edition::E2019, 2020, "某县人民政府", 7, false);
    let input = save(dir.path(), "2020.nianbao", &this);
    let out = dir.path().join("2021.nianbao");
    let o = bin().arg("next-year").arg(&input).arg("-o").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("未带入"), "{stdout}");
    let r = nianbao::project::load(&out).unwrap();
    assert_eq!((r.edition, r.year), (Edition::E2021, 2021));
    assert_eq!(r.value("s3.carried_in.natural"), this.value("s3.carried_out.natural"));
    assert!(r.texts.overview.starts_with(DRAFT_MARKER));
    // The project file keeps the predecessor, so `nianbao check` and the window run the cross-year rules.
    assert_eq!(
        r.previous,
        Some(PreviousSummary::of(&this, Some(input.to_string_lossy().into_owned())))
    );

    let o = bin()
        .arg("next-year")
        .arg(dir.path().join("missing.nianbao"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_merge_writes_report_and_breakdown_and_refuses_mixes() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = units(Edition::E2021, 2023, 3, false);
    let paths: Vec<PathBuf> = inputs
        .iter()
        .enumerate()
        .map(|(i, (_, r))| save(dir.path(), &format!("u{i}.nianbao"), r))
        .collect();
    let out = dir.path().join("county.nianbao");
    let o = bin()
        .arg("merge")
        .args(&paths)
        .args(["--agency", "某县人民政府", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("county.nianbao.breakdown.csv"), "{stdout}");
    let r = nianbao::project::load(&out).unwrap();
    assert_eq!(r.agency, "某县人民政府");
    assert_eq!(r.value("s3.new.natural"), Some(expected_sum(&inputs, "s3.new.natural")));
    let csv = std::fs::read_to_string(dir.path().join("county.nianbao.breakdown.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("第2镇人民政府"));

    let odd = save(
        dir.path(),
        "odd.nianbao",
        &generated(Edition::E2019, 2020, "老镇", 1, false),
    );
    let o = bin()
        .arg("merge")
        .args(&paths)
        .arg(&odd)
        .args(["--agency", "某县", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr.contains("odd.nianbao") && stderr.contains("老镇"), "{stderr}");

    let o = bin()
        .arg("merge")
        .arg(&paths[0])
        .arg(dir.path().join("nope.nianbao"))
        .args(["--agency", "某县", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

// ---- sums past what a decimal holds ----

/// Values at the edge of `Decimal`: its extremes, huge fractions, and ordinary figures beside them.
fn extreme_value(kind: ValueKind) -> BoxedStrategy<Value> {
    let huge = prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        (any::<i128>(), 0u32..=28)
            .prop_map(|(m, s)| Decimal::try_from_i128_with_scale(m >> 32, s).unwrap_or(Decimal::MAX)),
        Just("50000000000000000000000000000.0000".parse::<Decimal>().unwrap()),
        Just("7922816251426433759354395033.5".parse::<Decimal>().unwrap()),
    ];
    match kind {
        ValueKind::Money => prop_oneof![Just(Value::Blank), huge.prop_map(Value::Money)].boxed(),
        _ => prop_oneof![
            Just(Value::Blank),
            any::<i64>().prop_map(Value::Int),
            Just(Value::Int(i64::MAX)),
            Just(Value::Int(i64::MIN)),
            huge.prop_map(move |d| Value::Money(d).for_kind(kind)),
        ]
        .boxed(),
    }
}

/// A report of `edition` whose input cells hold extreme values.
fn extreme_report(edition: Edition) -> impl Strategy<Value = Report> {
    let t = edition.template();
    let cells: Vec<BoxedStrategy<Value>> = t.cells.iter().map(|c| extreme_value(c.kind)).collect();
    cells.prop_map(move |cells| {
        let mut r = Report::new(edition, if edition == Edition::E2019 { 2020 } else { 2021 }, "某县");
        r.cells = cells;
        r
    })
}

fn any_extreme_report() -> impl Strategy<Value = Report> {
    prop_oneof![Just(Edition::E2019), Just(Edition::E2021)].prop_flat_map(extreme_report)
}

/// Reproduced first: `nianbao merge` of two units whose `s2.fees.amount` is 5×10²⁸ exited 101 ("Addition
/// overflowed" in `merge_with`). Now a Chinese error naming the cell.
#[test]
fn merging_amounts_past_a_decimal_is_a_chinese_error() {
    let mut a = Report::new(Edition::E2021, 2021, "甲");
    a.set_by_id(
        "s2.fees.amount",
        Value::Money("50000000000000000000000000000.0000".parse().unwrap()),
    );
    // Two units (not the same report twice, which `merge` refuses for its own reason).
    let mut b = a.clone();
    b.agency = "乙".to_string();
    let units = vec![("甲".to_string(), a), ("乙".to_string(), b)];
    let e = yearly::merge(&units, "某县").unwrap_err();
    assert!(matches!(e, MergeError::TooLarge { .. }), "{e:?}");
    let label = Edition::E2021.template().cell("s2.fees.amount").unwrap().label;
    assert!(e.to_string().contains(label) && e.to_string().contains("过大"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = units
        .iter()
        .enumerate()
        .map(|(i, (_, r))| save(dir.path(), &format!("u{i}.nianbao"), r))
        .collect();
    let o = bin()
        .arg("merge")
        .args(&paths)
        .args(["--agency", "某县人民政府", "-o"])
        .arg(dir.path().join("county.nianbao"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(101), "panicked: {stderr}");
    assert_ne!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("过大"), "{stderr}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Extreme values never panic totals, checks, merge or next year; an overflow is an error or a finding.
    #[test]
    fn extreme_values_never_panic(a in any_extreme_report(), b in any_extreme_report()) {
        let mut a = a;
        a.fill_totals();
        let _ = checks::check(&a, None);
        match yearly::next_year(&a, None) {
            Ok(next) => { let _ = checks::check(&next.report, Some(&a)); }
            Err(e) => prop_assert_eq!(e, yearly::NextYearError::LastYear(i32::MAX)),
        }
        let b = Report { edition: a.edition, year: a.year, ..b };
        let mut b = if b.cells.len() == a.cells.len() { b } else { a.clone() };
        b.fill_totals();
        let units = vec![("甲".to_string(), a), ("乙".to_string(), b)];
        match yearly::merge(&units, "某县") {
            Ok(m) => { let _ = checks::check(&m.report, None); }
            Err(e) => prop_assert!(matches!(e, MergeError::TooLarge { .. }), "{e:?}"),
        }
    }
}

/// A cell value as a unit can hold it: `arb_value`'s numbers, plus what the clerk may have left wrong (text, a
/// fraction in a count cell, a negative count, a number past `i64`, money past 4 places).
fn any_cell_value(kind: ValueKind) -> BoxedStrategy<Value> {
    let odd = prop::sample::select(vec![
        "abc",
        "2.5",
        "-3",
        "99999999999999999999999",
        "1.23456",
        "１２",
        "－",
    ])
    .prop_map(move |s| Value::from_input(kind, s));
    prop_oneof![4 => common::arb_value(kind), 1 => odd].boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The breakdown keeps what each unit reported, exactly (it stores the cells as text to stay small).
    #[test]
    fn breakdown_keeps_every_unit_value(cells in prop::collection::vec(
        Edition::E2021.template().cells.iter().map(|c| any_cell_value(c.kind)).collect::<Vec<_>>(), 1..4)) {
        let inputs: Vec<(String, Report)> = cells.iter().enumerate().map(|(u, cs)| {
            let mut r = Report::new(Edition::E2021, 2023, format!("单位{u}"));
            r.cells.clone_from(cs);
            (format!("单位{u}"), r)
        }).collect();
        let m = yearly::merge_with(&inputs, "某县", MergeOptions { run_checks: false, ..MergeOptions::default() });
        // Huge values may not add up (a Chinese error); when they do, every unit's cells are kept.
        if let Ok(m) = m {
            for (u, (_, r)) in inputs.iter().enumerate() {
                prop_assert_eq!(&m.breakdown.unit_values(u), &r.cells, "unit {}", u);
            }
        }
    }
}

/// The command line's breakdown (findings set aside in a temporary file as the units are read, names given at
/// the end) is byte for byte the breakdown the window writes from the findings it keeps.
#[test]
fn spilled_breakdown_csv_equals_the_kept_one() {
    let mut inputs = Vec::new();
    for (u, name) in ["甲镇", "=1+1", "乙镇，含\"开发区\""].iter().enumerate() {
        let mut r = generated(Edition::E2021, 2023, name, 7 + u as u64, true);
        r.set_by_id("s3.new.natural", Value::from_input(ValueKind::Count, "2.5"));
        inputs.push((name.to_string(), r));
    }
    let kept = yearly::merge(&inputs, "某县").unwrap();
    assert!(
        kept.breakdown.findings.iter().all(|f| !f.is_empty()),
        "every unit has findings to spill"
    );

    let mut merger = yearly::Merger::new(MergeOptions {
        keep_findings: false,
        ..MergeOptions::default()
    });
    let mut spill = yearly::FindingSpill::new().unwrap();
    for (u, (name, r)) in inputs.iter().enumerate() {
        // Names as the command line has them before the duplicates are renamed: changed at the end.
        let findings = merger.add(format!("临时{u}"), r).unwrap();
        spill.push(u, r.edition, &findings).unwrap();
        let _ = name;
    }
    for (slot, (name, _)) in merger.units_mut().iter_mut().zip(&inputs) {
        slot.clone_from(name);
    }
    let streamed = merger.finish("某县").unwrap();
    assert!(
        streamed.breakdown.findings.iter().all(Vec::is_empty),
        "findings not kept"
    );
    assert_eq!(streamed.breakdown.summary(1), kept.breakdown.summary(1));
    let mut csv = Vec::new();
    let b = &streamed.breakdown;
    b.write_csv(&mut csv, |w| spill.write_to(w, &b.units)).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap(), kept.breakdown.to_csv());
}
