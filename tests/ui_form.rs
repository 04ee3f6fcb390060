//! Headless flows through the form (`egui_kittest`): typing by accessible label, totals and findings updating,
//! invalid entries, keyboard navigation, paste, undo/redo, clicking a finding.

// Test helpers may unwrap: a panic is a failing test (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::NianbaoApp;
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use nianbao::ui::form::cell_id;

fn harness(report: Report) -> Harness<'static, NianbaoApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 5000.0])
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), NianbaoApp::new(report));
    h.run();
    h
}

fn blank_2021() -> Report {
    Report::new(Edition::E2021, 2021, "某县人民政府")
}

fn label(id: &str) -> &'static str {
    Edition::E2021.template().cell(id).unwrap().label
}

fn idx(id: &str) -> usize {
    Edition::E2021.template().cell_index(id).unwrap()
}

fn value(h: &Harness<'_, NianbaoApp>, id: &str) -> Value {
    h.state().report().value(id).unwrap()
}

fn focused(h: &Harness<'_, NianbaoApp>) -> Option<egui::Id> {
    h.ctx.memory(egui::Memory::focused)
}

/// Focuses the cell by its accessible label and types `text` into it.
fn type_into(h: &mut Harness<'_, NianbaoApp>, id: &str, text: &str) {
    h.get_by_label(label(id)).focus();
    h.run();
    h.get_by_label(label(id)).type_text(text);
    h.run();
}

#[test]
fn typing_fills_the_cell_and_the_totals() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.granted.natural", "18");
    type_into(&mut h, "s3.partial.natural", "11");
    type_into(&mut h, "s3.partial.commercial", "1");
    assert_eq!(value(&h, "s3.granted.natural"), Value::Int(18));
    assert_eq!(value(&h, "s3.handled_total.natural"), Value::Int(29));
    assert_eq!(value(&h, "s3.partial.total"), Value::Int(12));
    assert_eq!(value(&h, "s3.handled_total.total"), Value::Int(30));
    assert!(h.state().doc.dirty);
    assert!(h.state().title().starts_with("未命名*"), "{}", h.state().title());
}

#[test]
fn full_width_digits_are_accepted() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "７３");
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(73));
}

#[test]
fn invalid_entry_is_kept_as_typed_and_listed_as_an_error() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "12件");
    // Kept in the report as typed (never dropped or changed), and listed with its reason in the findings panel.
    assert_eq!(value(&h, "s3.new.natural"), Value::Invalid("12件".into()));
    h.get_by_label_contains("「12件」不是数字");
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Invalid("12件".into()));
    assert_eq!(h.get_by_label(label("s3.new.natural")).value().as_deref(), Some("12件"));
    let errors = h
        .state()
        .findings()
        .iter()
        .filter(|f| f.cells == [idx("s3.new.natural")])
        .count();
    assert_eq!(errors, 1);
}

#[test]
fn bad_input_survives_save_and_reopen_and_shows_as_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("报告.nianbao");
    let mut h = harness(blank_2021());
    for (id, text) in [
        ("s3.new.natural", "2.5"),
        ("s3.new.commercial", "abc"),
        ("s3.new.research", "-3"),
    ] {
        type_into(&mut h, id, text);
    }
    h.state_mut()
        .push(nianbao::app::Command::File(nianbao::ui::files::FileOp::SaveAs(Some(
            file.clone(),
        ))));
    h.run();
    assert!(!h.state().doc.dirty, "saved");
    h.state_mut()
        .push(nianbao::app::Command::File(nianbao::ui::files::FileOp::New));
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Blank);
    h.state_mut()
        .push(nianbao::app::Command::File(nianbao::ui::files::FileOp::Open(Some(
            file,
        ))));
    h.run();
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Invalid("2.5".into()));
    assert_eq!(value(&h, "s3.new.commercial"), Value::Invalid("abc".into()));
    assert_eq!(value(&h, "s3.new.research"), Value::Int(-3));
    h.get_by_label_contains("这里只能填写整数");
    h.get_by_label_contains("「abc」不是数字");
    h.get_by_label_contains("件数不能是负数");
    assert_eq!(h.get_by_label(label("s3.new.natural")).value().as_deref(), Some("2.5"));
}

#[test]
fn a_blank_form_shows_progress_not_a_warning_per_cell_until_checked() {
    let mut h = harness(blank_2021());
    let total = Edition::E2021.template().cells.iter().filter(|c| !c.computed).count();
    h.get_by_label_contains(&format!("已填 0/{total} 格"));
    let summary = nianbao::checks::summarize(h.state().findings());
    assert!(summary.warnings < 10, "{} warnings on a blank form", summary.warnings);
    type_into(&mut h, "s3.new.natural", "5");
    h.get_by_label_contains(&format!("已填 1/{total} 格"));
    // 全面检查 (or an export) lists the blank cells.
    h.state_mut().push(nianbao::app::Command::CheckAll);
    h.run();
    let summary = nianbao::checks::summarize(h.state().findings());
    assert!(
        summary.warnings > total / 2,
        "{} warnings after 全面检查",
        summary.warnings
    );
}

#[test]
fn a_click_on_a_finding_focuses_the_wrong_cell_it_names() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.carried_in.research", "x");
    h.get_by_label(label("s4.review.upheld")).focus();
    h.run();
    h.get_by_label_contains("「x」不是数字").click();
    h.run();
    assert_eq!(focused(&h), Some(cell_id(idx("s3.carried_in.research"))));
}

#[test]
fn clicking_an_input_problem_focuses_its_cell() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "-1");
    h.get_by_label(label("s4.review.upheld")).focus();
    h.run();
    assert_eq!(focused(&h), Some(cell_id(idx("s4.review.upheld"))));
    h.query_all_by_label_contains("件数不能是负数").next().unwrap().click();
    h.run();
    assert_eq!(focused(&h), Some(cell_id(idx("s3.new.natural"))));
}

#[test]
fn tab_enter_and_arrows_move_like_a_spreadsheet() {
    let mut h = harness(blank_2021());
    h.get_by_label(label("s3.new.natural")).focus();
    h.run();
    let steps: &[(Modifiers, Key, &str)] = &[
        (Modifiers::NONE, Key::Tab, "s3.new.commercial"),
        (Modifiers::SHIFT, Key::Tab, "s3.new.natural"),
        (Modifiers::NONE, Key::ArrowDown, "s3.carried_in.natural"),
        (Modifiers::NONE, Key::ArrowUp, "s3.new.natural"),
        (Modifiers::NONE, Key::ArrowRight, "s3.new.commercial"),
        (Modifiers::NONE, Key::ArrowRight, "s3.new.research"),
        (Modifiers::NONE, Key::ArrowLeft, "s3.new.commercial"),
        // Enter goes down, Shift+Enter up (as in Excel and WPS).
        (Modifiers::NONE, Key::Enter, "s3.carried_in.commercial"),
        (Modifiers::SHIFT, Key::Enter, "s3.new.commercial"),
    ];
    for &(m, key, want) in steps {
        h.key_press_modifiers(m, key);
        h.run();
        assert_eq!(focused(&h), Some(cell_id(idx(want))), "{key:?} → {want}");
    }
    // Tab skips the computed total column: from 其他 to the next row's 自然人.
    h.get_by_label(label("s3.new.other_org")).focus();
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(focused(&h), Some(cell_id(idx("s3.carried_in.natural"))));
}

#[test]
fn pasting_a_tab_separated_row_fills_consecutive_cells_in_one_undo_step() {
    let mut h = harness(blank_2021());
    h.get_by_label(label("s3.new.natural")).focus();
    h.run();
    h.event(Event::Paste("73\t2\t0\t1\t0\t4\r\n".into()));
    h.run();
    let ids = ["natural", "commercial", "research", "nonprofit", "legal", "other_org"];
    let want = [73, 2, 0, 1, 0, 4];
    for (c, w) in ids.iter().zip(want) {
        assert_eq!(value(&h, &format!("s3.new.{c}")), Value::Int(w), "{c}");
    }
    assert_eq!(value(&h, "s3.new.total"), Value::Int(80));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    for c in ids {
        assert_eq!(value(&h, &format!("s3.new.{c}")), Value::Blank, "{c}");
    }
}

#[test]
fn pasting_a_block_fills_rows_below_skipping_totals() {
    let mut h = harness(blank_2021());
    h.get_by_label(label("s3.other_handling.other.natural")).focus();
    h.run();
    // Two lines: the second lands on 四 (carried_out), skipping the computed （七）总计 row.
    h.event(Event::Paste("1 2\n3 x\n".into()));
    h.run();
    assert_eq!(value(&h, "s3.other_handling.other.natural"), Value::Int(1));
    assert_eq!(value(&h, "s3.other_handling.other.commercial"), Value::Int(2));
    assert_eq!(value(&h, "s3.carried_out.natural"), Value::Int(3));
    assert_eq!(value(&h, "s3.carried_out.commercial"), Value::Invalid("x".into()));
}

#[test]
fn undo_and_redo_across_cells() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "5");
    type_into(&mut h, "s3.carried_in.natural", "2");
    assert_eq!(value(&h, "s3.new.total"), Value::Int(5));
    // Ctrl+Z with a cell focused undoes the report change, not just the field's text.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(value(&h, "s3.carried_in.natural"), Value::Blank);
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(5));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Blank);
    assert_eq!(value(&h, "s3.new.total"), Value::Blank);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(5));
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(value(&h, "s3.carried_in.natural"), Value::Int(2));
    // The field shows the restored value.
    assert_eq!(
        h.get_by_label(label("s3.carried_in.natural")).value().as_deref(),
        Some("2")
    );
}

#[test]
fn fill_blanks_with_zero_is_one_undo_step() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "5");
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::FillBlanksWithZero));
    h.run();
    assert_eq!(value(&h, "s3.denied.inquiry.legal"), Value::Int(0));
    assert_eq!(value(&h, "s3.new.total"), Value::Int(5));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(value(&h, "s3.denied.inquiry.legal"), Value::Blank);
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(5));
}

#[test]
fn published_totals_stay_until_the_clerk_uses_computed_ones() {
    let mut r = blank_2021();
    r.set_by_id("s3.granted.natural", Value::Int(3));
    r.set_by_id("s3.handled_total.natural", Value::Int(4)); // the publisher's arithmetic was wrong
    let mut h = harness(r);
    assert!(!h.state().doc.auto_totals);
    assert_eq!(value(&h, "s3.handled_total.natural"), Value::Int(4));
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::UseComputedTotals));
    h.run();
    assert_eq!(value(&h, "s3.handled_total.natural"), Value::Int(3));
}

#[test]
fn changing_the_year_across_editions_offers_to_switch() {
    let mut h = harness(Report::new(Edition::E2019, 2020, "某县人民政府"));
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::SetYear(2021)));
    h.run();
    assert_eq!(h.state().doc.edition_offer, Some(Edition::E2021));
    h.get_by_label_contains("切换到").click();
    h.run();
    assert_eq!(h.state().report().edition, Edition::E2021);
    assert_eq!(h.state().doc.edition_offer, None);
}

#[test]
fn findings_follow_the_typing_and_say_what_is_still_unaccounted() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "5");
    // Not a wall of red balance errors: one line per column saying how many are missing.
    h.get_by_label_contains("自然人列还有5件未计入办理结果");
    h.get_by_label_contains("总计列还有5件未计入办理结果");
    assert!(h.query_all_by_label_contains("错误：").next().is_none());
    type_into(&mut h, "s3.granted.natural", "3");
    h.get_by_label_contains("自然人列还有2件未计入办理结果");
    type_into(&mut h, "s3.carried_out.natural", "2");
    assert!(h.query_all_by_label_contains("未计入办理结果").next().is_none());
    assert!(h.state().findings().iter().all(|f| f.rule != "balance"));
    // Clicking the line jumps to the column's first cell.
    type_into(&mut h, "s3.carried_in.commercial", "1");
    h.get_by_label(label("s4.review.upheld")).focus();
    h.run();
    h.get_by_label_contains("商业企业列还有1件未计入办理结果").click();
    h.run();
    assert_eq!(focused(&h), Some(cell_id(idx("s3.new.commercial"))));
}

#[test]
fn clicking_a_finding_focuses_its_cell_and_warnings_can_be_acknowledged() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s2.rules.issued", "5");
    type_into(&mut h, "s2.rules.repealed", "0");
    type_into(&mut h, "s2.rules.in_force", "1");
    let f = h
        .state()
        .findings()
        .iter()
        .find(|f| f.rule == "in_force")
        .cloned()
        .expect("issued > in_force + repealed is a warning");
    h.get_by_label(label("s4.review.upheld")).focus();
    h.run();
    h.get_by_label_contains(&f.message).click();
    h.run();
    assert_eq!(focused(&h), Some(cell_id(f.cells[0])));
    // The cell is highlighted as part of a warning; 已核实 is saved in the report and clears the count.
    let before = nianbao::checks::summarize(h.state().findings());
    h.state_mut()
        .push(nianbao::app::Command::Edit(nianbao::document::Edit::Acknowledge(
            f.key(),
            true,
        )));
    h.run();
    assert!(h.state().report().acknowledged.contains(&f.key()));
    let after = nianbao::checks::summarize(h.state().findings());
    assert_eq!(after.warnings + 1, before.warnings);
    assert_eq!(after.acknowledged, before.acknowledged + 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!h.state().report().acknowledged.contains(&f.key()));
}

#[test]
fn typing_in_a_text_section_is_undone_by_the_text_field_itself_not_the_report_stack() {
    let mut h = harness(blank_2021());
    type_into(&mut h, "s3.new.natural", "5");
    let overview = nianbao::template::TextId::Overview.label();
    let role = egui::accesskit::Role::MultilineTextInput;
    h.get_by_role_and_label(role, overview).focus();
    h.run();
    h.get_by_role_and_label(role, overview).type_text("本年度");
    h.run();
    assert_eq!(h.state().report().texts.overview, "本年度");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    // The text field's undo ran; the cell typed before is untouched.
    assert_eq!(h.state().report().texts.overview, "");
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(5));
}

/// A report where 一、本年新收 · 自然人 holds 73 and · 商业企业 holds 3.
fn with_73() -> Report {
    let mut r = blank_2021();
    r.set_by_id("s3.new.natural", Value::Int(73));
    r.set_by_id("s3.new.commercial", Value::Int(3));
    r
}

#[test]
fn typing_into_a_filled_cell_replaces_its_content() {
    let mut h = harness(with_73());
    type_into(&mut h, "s3.new.natural", "5");
    assert_eq!(
        value(&h, "s3.new.natural"),
        Value::Int(5),
        "typing replaces, never appends"
    );
    // Tab onto the next cell (holding 3) and type 7: 7, not 37.
    h.key_press(Key::Tab);
    h.run();
    h.get_by_label(label("s3.new.commercial")).type_text("7");
    h.run();
    assert_eq!(value(&h, "s3.new.commercial"), Value::Int(7));
    // A second keystroke goes on from the first.
    h.get_by_label(label("s3.new.commercial")).type_text("2");
    h.run();
    assert_eq!(value(&h, "s3.new.commercial"), Value::Int(72));
    // The cell the clerk is on is framed.
    assert_eq!(h.state().form.focused(), Some(idx("s3.new.commercial")));
}

#[test]
fn f2_edits_in_place_and_arrows_then_move_the_caret() {
    let mut h = harness(with_73());
    h.get_by_label(label("s3.new.natural")).focus();
    h.run();
    h.key_press(Key::F2);
    h.run();
    assert_eq!(h.state().form.editing_in_place(), Some(idx("s3.new.natural")));
    h.get_by_label(label("s3.new.natural")).type_text("5");
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(735));
    h.key_press(Key::ArrowLeft);
    h.run();
    assert_eq!(
        focused(&h),
        Some(cell_id(idx("s3.new.natural"))),
        "ArrowLeft moves the caret"
    );
    h.get_by_label(label("s3.new.natural")).type_text("0");
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(7305));
    // Enter ends the edit and goes down.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(focused(&h), Some(cell_id(idx("s3.carried_in.natural"))));
    assert_eq!(h.state().form.editing_in_place(), None);
}

#[test]
fn esc_restores_what_the_cell_held_and_delete_clears_it() {
    let mut h = harness(with_73());
    type_into(&mut h, "s3.new.natural", "5x");
    assert_eq!(value(&h, "s3.new.natural"), Value::Invalid("5x".into()));
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(73));
    assert!(h.state().findings().iter().all(|f| f.cells != [idx("s3.new.natural")]));
    assert_eq!(focused(&h), Some(cell_id(idx("s3.new.natural"))), "Esc keeps the cell");
    assert_eq!(h.get_by_label(label("s3.new.natural")).value().as_deref(), Some("73"));
    // Typing after Esc replaces again.
    h.get_by_label(label("s3.new.natural")).type_text("6");
    h.run();
    assert_eq!(value(&h, "s3.new.natural"), Value::Int(6));
    h.key_press(Key::Tab);
    h.run();
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(value(&h, "s3.new.commercial"), Value::Blank);
    assert_eq!(focused(&h), Some(cell_id(idx("s3.new.commercial"))));
}

/// The whole window at the size of a common laptop screen.
fn laptop(report: Report) -> Harness<'static, NianbaoApp> {
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), NianbaoApp::new(report));
    h.run();
    h
}

/// The index and heading of the section whose heading starts with `prefix`.
fn section(prefix: &str) -> (usize, &'static str) {
    Edition::E2021
        .template()
        .sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.heading.starts_with(prefix))
        .map(|(i, s)| (i, s.heading))
        .unwrap()
}

#[test]
fn alt_f_opens_the_file_menu_and_menus_show_the_registrys_shortcuts() {
    let mut h = laptop(blank_2021());
    assert!(h.query_by_label_contains("另存为").is_none());
    h.key_press_modifiers(Modifiers::ALT, Key::F);
    h.run();
    h.run();
    h.get_by_label_contains("另存为");
    let save = nianbao::ui::command::UiCommand::SaveAs
        .shortcut(egui::os::OperatingSystem::Nix)
        .unwrap();
    h.get_by_label_contains(&nianbao::ui::command::shortcut_text(save));
}

#[test]
fn the_outline_jumps_to_section_three_and_pagedown_scrolls() {
    let mut h = laptop(blank_2021());
    let (i, heading) = section("三");
    let y = |h: &Harness<'_, NianbaoApp>| h.get_by_label(heading).rect().min.y;
    assert!(y(&h) > 768.0, "三 starts below the first screen");
    h.state_mut()
        .push(nianbao::app::Command::JumpTo(nianbao::ui::form::Part::Section(i)));
    h.run();
    h.run();
    assert!((0.0..200.0).contains(&y(&h)), "三 at the top after the jump: {}", y(&h));
    // PageUp goes back a screenful; a newly opened report starts at its top.
    let before = y(&h);
    h.key_press(Key::PageUp);
    h.run();
    assert!(y(&h) > before + 300.0, "PageUp scrolls: {before} → {}", y(&h));
    h.key_press(Key::PageDown);
    h.run();
    assert!(
        (y(&h) - before).abs() < 5.0,
        "PageDown scrolls back: {before} → {}",
        y(&h)
    );
    h.state_mut()
        .push(nianbao::app::Command::ReplaceDocument(Box::new(blank_2021()), None));
    h.run();
    h.run();
    assert!(y(&h) > 768.0, "a new document opens at its top");
}

#[test]
fn switching_the_edition_lists_the_numbers_that_will_not_fit_and_asks_first() {
    let t = Edition::E2021.template();
    let other = Edition::E2019.template();
    let lost = t
        .cells
        .iter()
        .position(|c| !c.computed && other.cell_index(c.id).is_none())
        .unwrap();
    let mut r = blank_2021();
    r.set(lost, Value::Int(7));
    let mut h = harness(r);
    h.state_mut().push(nianbao::app::Command::SwitchEdition(Edition::E2019));
    h.run();
    assert_eq!(
        h.state().report().edition,
        Edition::E2021,
        "not switched before the clerk agrees"
    );
    h.get_by_label_contains(&format!("{}：7", t.cells[lost].label));
    h.get_by_label("取消").click();
    h.run();
    assert_eq!(h.state().report().edition, Edition::E2021);
    h.state_mut().push(nianbao::app::Command::SwitchEdition(Edition::E2019));
    h.run();
    h.get_by_label("切换").click();
    h.run();
    assert_eq!(h.state().report().edition, Edition::E2019);
}

#[test]
fn import_doubts_are_grouped_and_each_goes_away_once_its_cells_are_edited() {
    use nianbao::open::Doubt;
    let doubt = |id: &str| Doubt {
        cells: vec![idx(id)],
        line: 3,
        source: "予以公开 1 2".into(),
        message: "这一行的数字不确定".into(),
    };
    let mut h = laptop(blank_2021());
    h.state_mut()
        .files
        .banner
        .set(vec![doubt("s3.granted.natural"), doubt("s3.granted.commercial")]);
    h.run();
    h.get_by_label_contains("存疑 2 个");
    // One line for the kind of doubt, not one line per doubt.
    h.get_by_label_contains("这一行的数字不确定（2 处）");
    type_into(&mut h, "s3.granted.natural", "1");
    assert_eq!(h.state().files.banner.doubts().len(), 1);
    h.get_by_label_contains("存疑 1 个");
    type_into(&mut h, "s3.granted.commercial", "2");
    assert!(h.state().files.banner.doubts().is_empty());
    assert!(h.query_by_label_contains("存疑").is_none());
}

/// The app in a plain egui context without an assistive technology (kittest always turns AccessKit on), at
/// 1366×768: the form then builds only the cells in view.
struct Plain {
    ctx: egui::Context,
    app: NianbaoApp,
    time: f64,
}

impl Plain {
    fn new(report: Report) -> Plain {
        let mut p = Plain {
            ctx: egui::Context::default(),
            app: NianbaoApp::new(report),
            time: 0.0,
        };
        p.frame(Vec::new());
        p
    }

    /// One frame with `events`, then frames without until the scrolling has come to rest.
    fn frame(&mut self, events: Vec<Event>) {
        self.one_frame(events);
        for _ in 0..20 {
            self.one_frame(Vec::new());
        }
    }

    fn one_frame(&mut self, events: Vec<Event>) {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            time: Some(self.time),
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1366.0, 768.0))),
            events,
            ..Default::default()
        };
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(input, |ui| app.show(ui));
        // No renderer here: the font atlas's updates go nowhere.
        output.textures_delta.clear();
    }

    /// Whether cell `id` has been built as a text field (egui keeps a field's state from its first frame).
    fn built(&self, id: &str) -> bool {
        egui::TextEdit::load_state(&self.ctx, cell_id(idx(id))).is_some()
    }

    /// Asserts that the focused widget lies within the 768 px of the screen.
    fn assert_focus_on_screen(&self, what: &str) {
        let id = self.ctx.memory(egui::Memory::focused).unwrap();
        let r = self.ctx.read_response(id).unwrap().rect;
        assert!(r.min.y > 0.0 && r.max.y < 768.0, "{what} is on screen: {r:?}");
    }
}

/// A press of `key` without modifiers.
fn pressed(key: Key) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

#[test]
fn without_an_assistive_technology_cells_out_of_view_are_built_once_focus_brings_them_there() {
    let mut p = Plain::new(blank_2021());
    assert!(
        p.ctx
            .accesskit_node_builder(egui::Id::unique("probe"), |_| ())
            .is_none()
    );
    assert!(p.built("s2.rules.issued"), "a cell on the first screen is a field");
    assert!(
        !p.built("s3.new.natural"),
        "a cell of 三, below the first screen, is not built"
    );

    // A finding (or the outline) asks for the cell: it is scrolled to, focused and takes the typing.
    p.app.form.focus(idx("s3.new.natural"));
    p.frame(Vec::new());
    assert_eq!(
        p.ctx.memory(egui::Memory::focused),
        Some(cell_id(idx("s3.new.natural")))
    );
    p.assert_focus_on_screen("the focused cell");
    p.frame(vec![Event::Text("42".into())]);
    assert_eq!(p.app.report().value("s3.new.natural").unwrap(), Value::Int(42));
    assert_eq!(p.app.report().value("s3.new.total").unwrap(), Value::Int(42));

    // Enter goes down row after row, past the bottom of the screen, into cells not built before.
    assert!(!p.built("s3.other_handling.other.natural"));
    for _ in 0..22 {
        p.frame(vec![pressed(Key::Enter)]);
    }
    let now = p.app.form.focused().unwrap();
    assert_eq!(p.ctx.memory(egui::Memory::focused), Some(cell_id(now)));
    let t = Edition::E2021.template();
    assert!(t.cells[now].row >= 22, "went down to row {} of 三", t.cells[now].row);
    assert!(p.built("s3.other_handling.other.natural"));
    p.assert_focus_on_screen("the cell Enter reached");
    p.frame(vec![Event::Text("7".into())]);
    assert_eq!(p.app.report().get(now), Value::Int(7));
}

#[test]
fn tab_from_the_long_text_lands_on_the_first_cell_and_brings_it_into_view() {
    use nianbao::template::TextId;
    let mut report = blank_2021();
    // A long 一、总体情况 pushes the tables below the first screen.
    *report.texts.get_mut(TextId::Overview) = "本年度工作情况。\n".repeat(40);
    let mut p = Plain::new(report);
    let first = idx("s2.rules.issued");
    assert!(!p.built("s2.rules.issued"), "the first cell starts out of view");
    p.ctx
        .memory_mut(|m| m.request_focus(nianbao::ui::form::text_id(TextId::Overview)));
    p.frame(Vec::new());
    p.frame(vec![pressed(Key::Tab)]);
    assert_eq!(p.ctx.memory(egui::Memory::focused), Some(cell_id(first)));
    p.assert_focus_on_screen("the cell Tab reached");
    p.frame(vec![Event::Text("5".into())]);
    assert_eq!(p.app.report().get(first), Value::Int(5));
}
