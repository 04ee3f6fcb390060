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
    let next = next_year(&last_year(), None).unwrap().report;
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
    let next = next_year(&last_year(), None).unwrap().report;
    let h = harness(next);
    // Painted in the cell, and in the cell's hover text.
    h.get_by_label_contains("上年67");
}

/// The whole window at the size of a common laptop screen, on a report with unsaved changes.
fn laptop(report: Report) -> Harness<'static, NianbaoApp> {
    let mut app = NianbaoApp::new(report);
    app.files = nianbao::ui::files::FilesUi::for_tests();
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    h.run();
    h
}

#[test]
fn next_year_result_comes_after_the_prompt_fits_the_screen_and_closes_with_esc() {
    let mut last = last_year();
    // Many notes: every text carried over as a draft.
    last.texts.overview = "概述".into();
    let mut h = laptop(last);
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::SetAgency(
            "某县人民政府办公室".into(),
        )));
    h.run();
    assert!(h.state().doc.dirty);
    let ctx = h.ctx.clone();
    h.state_mut().files.start(
        &ctx,
        nianbao::ui::files::FileOp::NextYear,
        nianbao::ui::files::DocState {
            report: &last_year(),
            path: None,
            dirty: true,
            errors: 0,
        },
    );
    h.run();
    h.get_by_label("新建").click();
    h.run();
    // First the unsaved-changes question, alone: no result window under it.
    assert!(h.state().files.prompt_open());
    assert!(h.query_by_label_contains("完成").is_none());
    h.get_by_label("不保存").click();
    h.run();
    h.run();
    assert_eq!(h.state().report().year, 2022);
    // Now the result: inside the 1366×768 window, with its 确定 visible.
    let ok = h.get_by_label("确定").rect();
    assert!(
        ok.max.y <= 768.0 && ok.max.x <= 1366.0 && ok.min.y >= 0.0,
        "确定 at {ok:?}"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("确定").is_none(), "Esc closes the result");
    assert!(!h.state().files.any_window_open());
}

#[test]
fn a_notice_goes_away_with_the_next_edit() {
    let mut h = laptop(last_year());
    let ctx = h.ctx.clone();
    h.state_mut().files.start(
        &ctx,
        nianbao::ui::files::FileOp::NextYear,
        nianbao::ui::files::DocState {
            report: &last_year(),
            path: None,
            dirty: false,
            errors: 0,
        },
    );
    h.run();
    h.get_by_label("新建").click();
    h.run();
    h.run();
    assert!(h.query_by_label("确定").is_some());
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::SetCell(
            Edition::E2021.template().cell_index("s3.new.natural").unwrap(),
            Value::Int(1),
        )));
    h.run();
    assert!(h.query_by_label("确定").is_none());
}

#[test]
fn a_draft_marker_left_in_a_carried_over_text_is_a_warning_until_rewritten() {
    let mut last = last_year();
    last.texts.overview = "本年度共收到申请9件。".into();
    let next = next_year(&last, None).unwrap().report;
    let mut h = harness(next);
    let draft: Vec<_> = h
        .state()
        .findings()
        .iter()
        .filter(|f| f.rule == "draft")
        .cloned()
        .collect();
    assert_eq!(draft.len(), 1, "{:?}", rules(&h));
    assert_eq!(draft[0].severity, nianbao::template::Severity::Warning);
    h.get_by_label_contains("还留有草稿标记");
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::SetText(
            nianbao::template::TextId::Overview,
            "本年度共收到申请12件。".into(),
        )));
    h.run();
    assert!(!rules(&h).contains(&"draft"), "{:?}", rules(&h));
}

/// A report of the last year a report can have (which the window's year field does not let one type, but a
/// file can hold): 新建 in the 新建下一年度报告 dialog says why not and gives no report.
#[test]
fn next_year_of_the_last_year_is_refused_in_the_dialog() {
    let mut last = last_year();
    last.year = i32::MAX;
    let mut dialog = nianbao::ui::yearly::NextYearDialog::default();
    dialog.open = true;
    let made = std::cell::Cell::new(false);
    let mut h = Harness::builder().with_size([1366.0, 768.0]).build_ui(|ui| {
        nianbao::ui::fonts::install_fonts(ui.ctx());
        if dialog.show(ui.ctx(), &last, None).is_some() {
            made.set(true);
        }
    });
    h.run();
    h.get_by_label("新建").click();
    h.run();
    h.run();
    h.get_by_label_contains("已是能表示的最后一年");
    assert!(!made.get(), "no report made");
}
