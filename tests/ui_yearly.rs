//! The cross-year checks run live in the window on a report started from last year's (issue 5), and last
//! year's 现行有效件数 is shown beside this year's.

// Test helpers may unwrap: a panic is a failing test (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::NianbaoApp;
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use nianbao::yearly::next_year;

fn last_year() -> Report {
    let mut r = Report::new(Edition::E2021, 2021, "某县人民政府");
    r.set_by_id("s3.carried_out.natural", Value::Int(9));
    r.set_by_id("s2.normative.in_force", Value::Int(67));
    r.fill_totals();
    r
}

fn harness(report: Report) -> Harness<'static, NianbaoApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 5000.0])
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), NianbaoApp::new(report));
    h.run();
    h
}

fn label(id: &str) -> &'static str {
    Edition::E2021.template().cell(id).unwrap().label
}

fn rules(h: &Harness<'_, NianbaoApp>) -> Vec<&'static str> {
    h.state().findings().iter().map(|f| f.rule).collect()
}

#[test]
fn carry_over_warning_fires_live_when_the_carried_figure_is_changed() {
    let next = next_year(&last_year(), None).report;
    assert_eq!(next.value("s3.carried_in.natural"), Some(Value::Int(9)));
    let mut h = harness(next);
    assert!(!rules(&h).contains(&"carry_over"), "{:?}", rules(&h));

    let cell = label("s3.carried_in.natural");
    h.get_by_label(cell).focus();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.get_by_label(cell).type_text("8");
    h.run();
    assert_eq!(h.state().report().value("s3.carried_in.natural"), Some(Value::Int(8)));
    assert!(rules(&h).contains(&"carry_over"), "{:?}", rules(&h));
}

#[test]
fn last_years_in_force_is_shown_beside_this_years() {
    let next = next_year(&last_year(), None).report;
    let h = harness(next);
    // Painted in the cell, and in the cell's hover text.
    h.get_by_label_contains("上年67");
}
