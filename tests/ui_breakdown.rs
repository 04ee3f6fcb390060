//! The 汇总明细 window (issue 14): a real table (`egui_extras`) of each unit's figures, inside a 1366×768
//! screen, closed with Esc and reopened from the 文件 menu; and the 汇总 dialog drops a stale message when its
//! file list changes.

// Test helpers may unwrap: a panic is a failing test (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Command, NianbaoApp};
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use std::path::PathBuf;

const SCREEN: [f32; 2] = [1366.0, 768.0];

/// A unit's report: `natural` new applications, all granted, so the unit's own checks pass.
fn unit(agency: &str, natural: i64) -> Report {
    let mut r = Report::new(Edition::E2021, 2025, agency);
    r.fill_blanks_with_zero();
    r.texts.other = "本年度未收取信息处理费。".to_string();
    assert!(r.set_by_id("s3.new.natural", Value::Int(natural)));
    assert!(r.set_by_id("s3.granted.natural", Value::Int(natural)));
    r.fill_totals();
    r
}

fn laptop() -> Harness<'static, NianbaoApp> {
    let mut app = NianbaoApp::new(Report::new(Edition::E2021, 2025, "某市人民政府"));
    app.files = nianbao::ui::files::FilesUi::for_tests();
    let mut h = Harness::builder()
        .with_size(SCREEN)
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    h.run();
    h
}

/// Opens 汇总下级报告 and adds `paths` through the in-app file dialog.
fn add_units(h: &mut Harness<'_, NianbaoApp>, paths: &[PathBuf]) {
    if h.query_by_label("添加报告…").is_none() {
        h.state_mut().push(Command::File(nianbao::ui::files::FileOp::Merge));
        h.run();
    }
    h.get_by_label("添加报告…").click();
    h.run();
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    h.get_by_label("文件名（每行一个）")
        .set_text_value_accesskit(&list.join("\n"));
    h.run();
    h.get_by_label("打开").click();
    h.run();
}

fn merge(h: &mut Harness<'_, NianbaoApp>) {
    h.get_by_label("汇总后的机关名称")
        .set_text_value_accesskit("某市人民政府");
    h.run();
    h.get_by_label("汇总").click();
    h.run();
    h.run();
}

/// The node labelled `text` in the table's first column (the form behind the window names its cells the same
/// way): the one that starts where the 单元格 header starts.
fn in_first_column(h: &Harness<'_, NianbaoApp>, text: &str) -> Option<egui::Rect> {
    let left = h.get_by_label("单元格").rect().min.x;
    h.query_all_by_label(text)
        .map(|n| n.rect())
        .find(|r| (r.min.x - left).abs() < 2.0)
}

fn inside_screen(r: egui::Rect) -> bool {
    r.min.x >= 0.0 && r.min.y >= 0.0 && r.max.x <= SCREEN[0] && r.max.y <= SCREEN[1]
}

#[test]
fn breakdown_is_a_table_of_each_units_numbers_closes_with_esc_and_reopens_from_the_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, (name, n)) in [("甲局", 1234), ("乙局", 5678)].into_iter().enumerate() {
        let p = dir.path().join(format!("u{i}.nianbao"));
        nianbao::project::save(&p, &unit(name, n)).unwrap();
        paths.push(p);
    }
    let mut h = laptop();
    add_units(&mut h, &paths);
    merge(&mut h);
    assert_eq!(h.state().report().value("s3.new.natural"), Some(Value::Int(6912)));

    // The header and each unit's figure, right-aligned in its column, all on the laptop screen.
    let label = Edition::E2021.template().cell("s3.new.natural").unwrap().label;
    let check = |h: &Harness<'_, NianbaoApp>| {
        for text in ["单元格", "汇总数", "甲局", "乙局", "1234", "5678"] {
            let r = h.get_by_label(text).rect();
            assert!(inside_screen(r), "{text} at {r:?}");
        }
        let row = in_first_column(h, label).expect("the cell's row");
        assert!(inside_screen(row), "{label} at {row:?}");
        let a = h.get_by_label("1234").rect();
        assert!(
            (a.center().y - row.center().y).abs() < 2.0,
            "1234 {a:?} on the row of {label} {row:?}"
        );
        // 6912 is also in the form behind the window: the table's one is in the 汇总数 column.
        let total = h.get_by_label("汇总数").rect();
        let sums: Vec<egui::Rect> = h.get_all_by_label("6912").map(|n| n.rect()).collect();
        assert!(
            sums.iter().any(|r| (r.max.x - total.max.x).abs() < 2.0),
            "6912 right-aligned under 汇总数 {total:?}: {sums:?}"
        );
        // Numbers end at their column's right edge, as the header does.
        let (a, a_head) = (h.get_by_label("1234").rect(), h.get_by_label("甲局").rect());
        let (b, b_head) = (h.get_by_label("5678").rect(), h.get_by_label("乙局").rect());
        assert!((a.max.x - a_head.max.x).abs() < 2.0, "1234 {a:?} under 甲局 {a_head:?}");
        assert!((b.max.x - b_head.max.x).abs() < 2.0, "5678 {b:?} under 乙局 {b_head:?}");
        assert!(a.max.x < b.min.x, "甲局's column before 乙局's");
    };
    check(&h);

    // Esc closes it.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("汇总数").is_none(), "Esc closes 汇总明细");

    // 文件 → 汇总明细 brings it back.
    h.get_by_label(nianbao::ui::command::Menu::File.title()).click();
    h.run();
    h.get_by_label("汇总明细").click();
    h.run();
    h.run();
    check(&h);
}

#[test]
fn the_header_stays_while_the_rows_scroll() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("u.nianbao");
    nianbao::project::save(&p, &unit("甲局", 3)).unwrap();
    let mut h = laptop();
    add_units(&mut h, &[p]);
    merge(&mut h);
    // Every cell, filled or not: more rows than the window holds.
    h.get_by_label("只显示有数字的单元格").click();
    h.run();
    let t = Edition::E2021.template();
    let first = t.cells[0].label;
    let header = h.get_by_label("汇总数").rect();
    let row = in_first_column(&h, first).expect("the first row");
    assert!(
        row.min.y > header.max.y - 1.0,
        "first row {row:?} below the header {header:?}"
    );
    // Scroll the table's body with the mouse wheel (the hover shows a tooltip: let it settle).
    h.hover_at(row.center());
    h.run_steps(10);
    for _ in 0..5 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -200.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run_steps(10);
    }
    let header_after = h.get_by_label("汇总数").rect();
    assert!(
        (header_after.min.y - header.min.y).abs() < 1.0,
        "the header stays: {header:?} → {header_after:?}"
    );
    let gone = in_first_column(&h, first).is_none_or(|r| r.max.y <= header_after.max.y + 1.0);
    assert!(gone, "the first row scrolled away under the header");
}

#[test]
fn removing_a_file_drops_the_message_about_the_old_list() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.nianbao");
    nianbao::project::save(&good, &unit("甲局", 3)).unwrap();
    // Another year: the merge refuses the list.
    let odd = dir.path().join("odd.nianbao");
    let mut other = unit("乙局", 4);
    other.year = 2024;
    nianbao::project::save(&odd, &other).unwrap();

    let mut h = laptop();
    add_units(&mut h, &[good.clone(), odd.clone()]);
    merge(&mut h);
    assert!(
        h.query_by_label("汇总下级报告").is_some() && h.query_by_label("汇总数").is_none(),
        "not merged: the dialog stays"
    );
    assert!(
        h.query_by_label_contains("不能一起汇总").is_some(),
        "the message about the odd year"
    );

    // Remove the odd file (the second 移除): the message about it goes.
    h.get_all_by_label("移除").nth(1).unwrap().click();
    h.run();
    assert!(
        h.query_by_label_contains("不能一起汇总").is_none(),
        "the message about the removed file went away"
    );
    // And the remaining list merges.
    h.get_by_label("汇总").click();
    h.run();
    h.run();
    assert!(h.query_by_label("汇总数").is_some());
    assert_eq!(h.state().report().value("s3.new.natural"), Some(Value::Int(3)));
}
