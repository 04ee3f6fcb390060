//! The export window's previews (issue 14): the text preview lays the official grid out so its columns line
//! up; the HTML page is not shown as source but offered as 「在浏览器中打开」.

// Test helpers may unwrap: a panic is a failing test (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use nianbao::ui::export::ExportWindow;

struct State {
    window: ExportWindow,
    report: Report,
}

fn report() -> Report {
    let mut r = Report::new(Edition::E2021, 2025, "某县人民政府");
    r.fill_blanks_with_zero();
    for (id, v) in [
        ("s2.rules.in_force", 777),
        ("s2.normative.in_force", 88),
        ("s3.new.natural", 4321),
        ("s3.carried_in.natural", 56),
        ("s3.granted.natural", 4377),
    ] {
        assert!(r.set_by_id(id, Value::Int(v)), "{id}");
    }
    r.fill_totals();
    r
}

fn harness() -> Harness<'static, State> {
    let mut window = ExportWindow::default();
    window.open = true;
    let mut h = Harness::builder().with_size([1366.0, 768.0]).build_ui_state(
        |ui, s: &mut State| {
            let ctx = ui.ctx().clone();
            nianbao::ui::fonts::install_fonts(&ctx);
            s.window.show(&ctx, &s.report, None, 0);
        },
        State {
            window,
            report: report(),
        },
    );
    h.run();
    h
}

/// Where the leftmost label `text` starts (a figure can also be in the row's 总计 column further right).
fn left(h: &Harness<'_, State>, text: &str) -> f32 {
    h.get_all_by_label(text)
        .map(|n| n.rect().min.x)
        .fold(f32::INFINITY, f32::min)
}

#[test]
fn the_text_preview_lines_the_grid_up() {
    let h = harness();
    // Section 二: the 现行有效件数 column holds 777 (规章) and 88 (行政规范性文件), one above the other.
    let column = left(&h, "现行有效件数");
    for value in ["777", "88"] {
        assert!(
            (left(&h, value) - column).abs() < 1.0,
            "{value} at x {} under 现行有效件数 at x {column}",
            left(&h, value)
        );
    }
    // Section 三: 自然人 holds 4321 (new) and 56 (carried over from last year), whose labels differ in width.
    let (a, b) = (left(&h, "4321"), left(&h, "56"));
    assert!((a - b).abs() < 1.0, "4321 at x {a}, 56 at x {b}");
    // The columns are not piled on each other: 本年制发件数 comes before 现行有效件数.
    assert!(left(&h, "本年制发件数") < column);
}

#[test]
fn the_html_preview_offers_the_browser_instead_of_the_source() {
    let mut h = harness();
    h.get_by_label("网页").click();
    h.run();
    let button = h.get_by_label("在浏览器中打开");
    assert!(
        button.rect().max.y <= 768.0,
        "the button is on screen: {:?}",
        button.rect()
    );
    for source in ["<!DOCTYPE", "<html", "<table"] {
        assert!(
            h.query_by_label_contains(source).is_none(),
            "no HTML source ({source}) in the window"
        );
    }
    // Back to the text: the grid again, no button.
    h.get_by_label("文本").click();
    h.run();
    assert!(h.query_by_label("在浏览器中打开").is_none());
    assert!(left(&h, "777").is_finite());
}
