//! Careful saving in the real window (issue 7, point 3): a project file that another program changed or removed
//! since it was opened is not saved over without asking (覆盖 / 另存为… / 取消). Driven headless with `egui_kittest`
//! through the in-app path field, including a folder and file name with Chinese characters and spaces.

#![allow(clippy::unwrap_used)]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Command, NianbaoApp};
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use nianbao::ui::files::FilesUi;
use std::path::{Path, PathBuf};

fn harness() -> Harness<'static, NianbaoApp> {
    let mut app = NianbaoApp::new(Report::new(Edition::E2021, 2025, ""));
    // In-app path field only, recent files in memory (never the clerk's real settings).
    app.files = FilesUi::for_tests();
    let mut h = Harness::builder()
        .with_size([1400.0, 3000.0])
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    h.run();
    h
}

fn label(id: &str) -> &'static str {
    Edition::E2021.template().cell(id).unwrap().label
}

/// A saved project in `dir/sub/name`, made by the library (as another copy of nianbao would).
fn project(dir: &Path, sub: &str, name: &str) -> (PathBuf, Report) {
    let folder = dir.join(sub);
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(name);
    let mut r = Report::new(Edition::E2021, 2025, "某县人民政府");
    assert!(r.set_by_id("s3.new.natural", Value::Int(5)));
    r.fill_totals();
    nianbao::project::save(&file, &r).unwrap();
    (file, r)
}

/// 打开 through the in-app browser: the full path in the name box, 打开.
fn open_via_field(h: &mut Harness<'_, NianbaoApp>, file: &Path) {
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
    h.run();
    h.get_by_label("文件名")
        .set_text_value_accesskit(&file.display().to_string());
    h.run();
    h.get_by_label("打开").click();
    h.run();
    assert!(h.state().files.error().is_none(), "{:?}", h.state().files.error());
    assert_eq!(h.state().doc.path.as_deref(), Some(file));
    assert!(!h.state().doc.dirty);
}

/// Types into a cell by its accessible label.
fn type_into(h: &mut Harness<'_, NianbaoApp>, id: &str, text: &str) {
    h.get_by_label(label(id)).focus();
    h.run();
    h.get_by_label(label(id)).type_text(text);
    h.run();
}

/// Another program rewrites the file: same report with another figure.
fn change_on_disk(file: &Path) -> Vec<u8> {
    let mut other = nianbao::project::load(file).unwrap();
    assert!(other.set_by_id("s3.new.commercial", Value::Int(9)));
    other.agency = "别的程序写的".into();
    nianbao::project::save(file, &other).unwrap();
    std::fs::read(file).unwrap()
}

fn ctrl_s(h: &mut Harness<'_, NianbaoApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

fn conflict_shown(h: &Harness<'_, NianbaoApp>, file: &Path) -> bool {
    let want = format!("文件已被其他程序修改：{}", file.display());
    h.state().files.conflict_open() && h.query_by_label_contains(&want).is_some()
}

#[test]
fn saving_over_a_file_changed_elsewhere_asks_cancel_keeps_it_overwrite_writes() {
    for (sub, name) in [("plain", "report.nianbao"), ("测试 目录", "报告 2025.nianbao")] {
        let dir = tempfile::tempdir().unwrap();
        let (file, _) = project(dir.path(), sub, name);
        let mut h = harness();
        open_via_field(&mut h, &file);

        let theirs = change_on_disk(&file);
        type_into(&mut h, "s3.granted.natural", "2");
        assert!(h.state().doc.dirty);
        ctrl_s(&mut h);
        assert!(conflict_shown(&h, &file), "{name}: Ctrl+S must ask first");
        assert_eq!(
            std::fs::read(&file).unwrap(),
            theirs,
            "{name}: nothing written before the answer"
        );

        // 取消: the other program's file stays exactly as it wrote it; the edit stays unsaved.
        h.get_by_label("取消").click();
        h.run();
        assert!(!h.state().files.conflict_open());
        assert_eq!(std::fs::read(&file).unwrap(), theirs, "{name}: 取消 wrote");
        assert!(h.state().doc.dirty);

        // Asked again on the next save; 覆盖 writes the window's report.
        ctrl_s(&mut h);
        assert!(conflict_shown(&h, &file), "{name}: asked again");
        h.get_by_label("覆盖").click();
        h.run();
        assert!(!h.state().files.conflict_open());
        assert!(!h.state().doc.dirty, "{name}: saved");
        let saved = nianbao::project::load(&file).unwrap();
        assert_eq!(&saved, h.state().report());
        assert_eq!(saved.value("s3.granted.natural"), Some(Value::Int(2)));
        assert_eq!(saved.agency, "某县人民政府");

        // Saved here: the file is ours again, the next save goes through without a question.
        type_into(&mut h, "s3.granted.commercial", "1");
        ctrl_s(&mut h);
        assert!(!h.state().files.conflict_open(), "{name}: our own save is no conflict");
        assert_eq!(&nianbao::project::load(&file).unwrap(), h.state().report());
    }
}

#[test]
fn unchanged_file_saves_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = project(dir.path(), "测试 目录", "报告 2025.nianbao");
    let mut h = harness();
    open_via_field(&mut h, &file);
    // Written again with the same bytes (a backup tool, a `touch`): no change to ask about.
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes).unwrap();
    type_into(&mut h, "s3.granted.natural", "2");
    ctrl_s(&mut h);
    assert!(!h.state().files.conflict_open());
    assert!(!h.state().doc.dirty);
    assert_eq!(&nianbao::project::load(&file).unwrap(), h.state().report());
}

#[test]
fn save_as_from_the_question_leaves_the_changed_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = project(dir.path(), "测试 目录", "报告 2025.nianbao");
    let mut h = harness();
    open_via_field(&mut h, &file);
    let theirs = change_on_disk(&file);
    type_into(&mut h, "s3.granted.natural", "2");
    ctrl_s(&mut h);
    assert!(conflict_shown(&h, &file));
    h.get_by_label("另存为…").click();
    h.run();
    let copy = dir.path().join("测试 目录").join("报告 2025 副本.nianbao");
    h.get_by_label("文件名")
        .set_text_value_accesskit(&copy.display().to_string());
    h.run();
    h.get_by_label("保存").click();
    h.run();
    assert_eq!(std::fs::read(&file).unwrap(), theirs, "the changed file is untouched");
    assert_eq!(&nianbao::project::load(&copy).unwrap(), h.state().report());
    assert_eq!(h.state().doc.path.as_deref(), Some(copy.as_path()));
    assert!(!h.state().doc.dirty);
}

#[test]
fn deleted_file_asks_too_and_overwrite_puts_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = project(dir.path(), "测试 目录", "报告 2025.nianbao");
    let mut h = harness();
    open_via_field(&mut h, &file);
    std::fs::remove_file(&file).unwrap();
    type_into(&mut h, "s3.granted.natural", "2");
    ctrl_s(&mut h);
    assert!(h.state().files.conflict_open());
    let want = format!("文件已被其他程序删除或移走：{}", file.display());
    assert!(h.query_by_label_contains(&want).is_some());
    h.get_by_label("覆盖").click();
    h.run();
    assert_eq!(&nianbao::project::load(&file).unwrap(), h.state().report());
}

/// The unsaved-changes prompt's 保存 goes through the same check: 取消 on the conflict keeps the document open
/// and the other program's file intact; 覆盖 saves and then carries on with 新建.
#[test]
fn save_from_the_unsaved_prompt_checks_too() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = project(dir.path(), "测试 目录", "报告 2025.nianbao");
    let mut h = harness();
    open_via_field(&mut h, &file);
    let theirs = change_on_disk(&file);
    type_into(&mut h, "s3.granted.natural", "2");

    h.state_mut().push(Command::File(nianbao::ui::files::FileOp::New));
    h.run();
    assert!(h.state().files.prompt_open());
    h.get_by_label("保存").click();
    h.run();
    assert!(conflict_shown(&h, &file));
    h.get_by_label("取消").click();
    h.run();
    assert_eq!(std::fs::read(&file).unwrap(), theirs);
    assert_eq!(
        h.state().doc.path.as_deref(),
        Some(file.as_path()),
        "still on the document"
    );
    assert!(h.state().doc.dirty);

    h.state_mut().push(Command::File(nianbao::ui::files::FileOp::New));
    h.run();
    h.get_by_label("保存").click();
    h.run();
    h.get_by_label("覆盖").click();
    h.run();
    let saved = nianbao::project::load(&file).unwrap();
    assert_eq!(saved.value("s3.granted.natural"), Some(Value::Int(2)));
    // Then 新建 went on: a blank, unsaved document.
    assert_eq!(h.state().doc.path, None);
    assert!(h.state().report().cells.iter().all(Value::is_blank));
}

/// Recent files reach the settings file as soon as they change, not only on exit: a crash keeps the list.
#[test]
fn recent_files_are_written_to_the_settings_file_right_away() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = project(dir.path(), "测试 目录", "报告 2025.nianbao");
    let settings = dir.path().join("设置").join("settings.ron");
    let mut h = harness();
    h.state_mut().settings_file = Some(settings.clone());
    h.run();
    assert!(!settings.exists(), "nothing changed yet, nothing written");

    let read = || -> nianbao::app::Settings { ron::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap() };
    open_via_field(&mut h, &file);
    assert!(
        read().recent[0].ends_with("测试 目录/报告 2025.nianbao"),
        "{:?}",
        read().recent
    );

    // Saved under another name: first in the list, on disk at once.
    let copy = dir.path().join("副本 2025.nianbao");
    h.state_mut()
        .push(Command::File(nianbao::ui::files::FileOp::SaveAs(None)));
    h.run();
    h.get_by_label("文件名")
        .set_text_value_accesskit(&copy.display().to_string());
    h.run();
    h.get_by_label("保存").click();
    h.run();
    let recent = read().recent;
    assert_eq!(recent.len(), 2, "{recent:?}");
    assert!(recent[0].ends_with("副本 2025.nianbao"), "{recent:?}");
    assert!(recent[1].ends_with("报告 2025.nianbao"), "{recent:?}");
}
