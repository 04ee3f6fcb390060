//! The in-app file browser (issue 14) in the real window at 1366×768, driven headless with `egui_kittest`: a
//! folder with Chinese names is listed, a double-click or 打开 opens a report, Esc and × close, a typed save name
//! survives browsing into a folder, saving over a file asks first, and the path bar goes where it is told.

#![allow(clippy::unwrap_used)]

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Command, NianbaoApp};
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use nianbao::ui::files::FilesUi;
use std::path::{Path, PathBuf};

const REPORT: &str = "辉县 2025年度报告.nianbao";

/// The window at the size of the clerks' laptops, the browser always (never a native dialog), and `recent` as
/// the recent-files list (the browser starts in the folder of the newest).
fn harness(recent: &[PathBuf]) -> Harness<'static, NianbaoApp> {
    let mut app = NianbaoApp::new(Report::new(Edition::E2021, 2025, ""));
    app.files = FilesUi::for_tests();
    for p in recent.iter().rev() {
        app.files.recent.push(p);
    }
    let mut h = Harness::builder()
        .with_size([1366.0, 768.0])
        // A frame per input event: at kittest's default 4 fps two clicks are too far apart to be a double click.
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(nianbao::ui::fonts::install_fonts)
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    h.run();
    h
}

/// A folder with a report under a Chinese name, a sub-folder, a file of another kind and an older report (the
/// recent file that makes the browser start here). Returns the folder, the report and the older one.
fn folder() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("信息公开 科");
    std::fs::create_dir_all(d.join("乙 单位")).unwrap();
    std::fs::write(d.join("照片.png"), b"\x89PNG").unwrap();
    let mut r = Report::new(Edition::E2021, 2025, "辉县人民政府");
    assert!(r.set_by_id("s3.new.natural", Value::Int(7)));
    r.fill_totals();
    let file = d.join(REPORT);
    nianbao::project::save(&file, &r).unwrap();
    let old = d.join("2024年报告.nianbao");
    nianbao::project::save(&old, &Report::new(Edition::E2021, 2024, "辉县人民政府")).unwrap();
    (t, file, old)
}

/// Two clicks in quick succession, half a second after any click before (which would make them a triple click).
fn double_click(h: &mut Harness<'_, NianbaoApp>, label: &str) {
    for _ in 0..30 {
        h.step();
    }
    let node = h.get_by_label(label);
    node.click();
    node.click();
    h.run();
}

/// Types `dir` into the path bar and presses Enter.
fn go_to(h: &mut Harness<'_, NianbaoApp>, dir: &Path) {
    h.get_by_label("位置").focus();
    h.run();
    h.get_by_label("位置")
        .set_text_value_accesskit(&dir.display().to_string());
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

fn browser_open(h: &Harness<'_, NianbaoApp>) -> bool {
    h.state().files.picker.is_open()
}

/// Within the 1366×768 screen.
fn on_screen(h: &Harness<'_, NianbaoApp>, label: &str) -> bool {
    let r = h.get_by_label(label).rect();
    r.min.x >= 0.0 && r.min.y >= 0.0 && r.max.x <= 1366.0 && r.max.y <= 768.0
}

#[test]
fn a_chinese_named_report_is_listed_and_a_double_click_opens_it() {
    let (_t, file, old) = folder();
    let mut h = harness(&[old]);
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
    h.run();
    assert!(browser_open(&h));
    assert_eq!(
        h.get_by_label("位置").value().as_deref(),
        Some(file.parent().unwrap().display().to_string().as_str())
    );
    assert!(h.query_by_label(REPORT).is_some(), "the report is listed");
    assert!(
        h.query_by_label("乙 单位 文件夹").is_some(),
        "the folder is listed as a folder"
    );
    assert!(h.query_by_label("照片.png").is_none(), "a picture is not a report");
    for l in ["打开", "取消", "×", "↑ 上一级", "位置", "文件名", "文件类型"] {
        assert!(on_screen(&h, l), "{l} is off the 1366×768 screen");
    }
    assert!(h.query_by_label("主目录").is_some() || directories::UserDirs::new().is_none());
    assert!(
        h.query_by_label("信息公开 科").is_some(),
        "the recent file's folder is a place"
    );

    double_click(&mut h, REPORT);
    assert!(!browser_open(&h));
    assert!(h.state().files.error().is_none(), "{:?}", h.state().files.error());
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));
    assert_eq!(h.state().report().agency, "辉县人民政府");
}

#[test]
fn select_then_open_and_all_files_shows_other_kinds() {
    let (_t, file, old) = folder();
    let mut h = harness(&[old]);
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
    h.run();
    h.get_by_label("文件类型").click();
    h.run();
    h.get_by_label("所有文件").click();
    h.run();
    assert!(h.query_by_label("照片.png").is_some(), "所有文件 lists every kind");
    h.get_by_label(REPORT).click();
    h.run();
    assert_eq!(h.get_by_label("文件名").value().as_deref(), Some(REPORT));
    h.get_by_label("打开").click();
    h.run();
    assert!(!browser_open(&h));
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));
}

#[test]
fn esc_and_the_close_button_close_without_a_choice() {
    let (_t, _file, old) = folder();
    let mut h = harness(&[old]);
    for close in [None, Some("×"), Some("取消")] {
        h.state_mut()
            .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
        h.run();
        assert!(browser_open(&h));
        match close {
            None => h.key_press(Key::Escape),
            Some(b) => h.get_by_label(b).click(),
        }
        h.run();
        assert!(!browser_open(&h), "{close:?} closes the browser");
        assert!(h.state().doc.path.is_none(), "nothing was opened");
    }
}

#[test]
fn a_typed_save_name_survives_browsing_into_a_folder() {
    let (_t, file, old) = folder();
    let mut h = harness(&[old]);
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::SaveAs(None)));
    h.run();
    // The suggested name is there, a name and not a path.
    let suggested = h.get_by_label("文件名").value().unwrap_or_default();
    assert!(
        Path::new(&suggested).extension().is_some_and(|e| e == "nianbao"),
        "{suggested}"
    );
    h.get_by_label("文件名").set_text_value_accesskit("新的 报告");
    h.run();
    // Away from the suggested folder (the documents folder: a test never writes there) to the test's own.
    go_to(&mut h, file.parent().unwrap());
    assert_eq!(h.get_by_label("文件名").value().as_deref(), Some("新的 报告"));
    double_click(&mut h, "乙 单位 文件夹");
    let sub = file.parent().unwrap().join("乙 单位");
    assert_eq!(h.get_by_label("位置").value(), Some(sub.display().to_string()));
    assert_eq!(h.get_by_label("文件名").value().as_deref(), Some("新的 报告"));
    h.get_by_label("↑ 上一级").click();
    h.run();
    double_click(&mut h, "乙 单位 文件夹");
    assert_eq!(h.get_by_label("文件名").value().as_deref(), Some("新的 报告"));
    h.get_by_label("保存").click();
    h.run();
    let saved = sub.join("新的 报告.nianbao");
    assert!(!browser_open(&h));
    assert!(h.state().files.error().is_none(), "{:?}", h.state().files.error());
    assert_eq!(h.state().doc.path.as_deref(), Some(saved.as_path()));
    assert_eq!(&nianbao::project::load(&saved).unwrap(), h.state().report());
}

#[test]
fn saving_over_an_existing_file_asks_and_keeps_it_unless_told() {
    let (_t, file, old) = folder();
    let before = std::fs::read(&file).unwrap();
    let mut h = harness(&[old]);
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::SaveAs(None)));
    h.run();
    go_to(&mut h, file.parent().unwrap());
    h.get_by_label("文件名").set_text_value_accesskit(REPORT);
    h.run();
    h.get_by_label("保存").click();
    h.run();
    let question = format!("「{REPORT}」已经存在。要替换它吗？");
    assert!(h.query_by_label(&question).is_some(), "保存 over a file asks first");
    h.get_by_label("不替换").click();
    h.run();
    assert!(browser_open(&h));
    assert_eq!(std::fs::read(&file).unwrap(), before, "不替换 wrote");
    assert_eq!(
        h.get_by_label("文件名").value().as_deref(),
        Some(REPORT),
        "the name stays"
    );

    h.get_by_label("保存").click();
    h.run();
    h.get_by_label("替换").click();
    h.run();
    assert!(!browser_open(&h));
    assert_eq!(&nianbao::project::load(&file).unwrap(), h.state().report());
}

#[test]
fn the_path_bar_goes_to_a_typed_folder_and_says_when_there_is_none() {
    let (t, _file, old) = folder();
    let mut h = harness(&[old]);
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
    h.run();
    let sub = t.path().join("信息公开 科").join("乙 单位");
    for (typed, error) in [(sub.clone(), false), (t.path().join("没有这个文件夹"), true)] {
        go_to(&mut h, &typed);
        assert!(browser_open(&h));
        assert_eq!(
            h.query_by_label_contains("找不到文件夹").is_some(),
            error,
            "{}",
            typed.display()
        );
    }
    // The typed path that led nowhere is still in the bar, to correct; the folder shown is the last good one.
    assert_eq!(
        h.get_by_label("位置").value(),
        Some(t.path().join("没有这个文件夹").display().to_string())
    );
    assert!(h.query_by_label("（此文件夹中没有可选的文件）").is_some());
}

#[test]
fn enter_opens_the_selected_file() {
    let (_t, file, old) = folder();
    let mut h = harness(&[old]);
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
    h.run();
    h.get_by_label(REPORT).click();
    h.run();
    assert!(browser_open(&h), "one click only selects");
    h.key_press(Key::Enter);
    h.run();
    assert!(!browser_open(&h));
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));
}
