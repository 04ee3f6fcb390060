//! Issue 3's acceptance flow, in the real window driven headless with `egui_kittest`: for each edition, a full
//! report (the balanced fixture of `tests/common`) is entered into the form by accessible label, checked clean
//! in the findings panel, saved through the in-app path field, reopened, and exported; the exported text is
//! byte-identical to `nianbao export` of the same file.

#![allow(clippy::unwrap_used)]

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Command, NianbaoApp};
use nianbao::report::Report;
use nianbao::template::{Edition, TextId};
use nianbao::ui::files::FilesUi;
use std::path::Path;

fn harness(report: Report) -> Harness<'static, NianbaoApp> {
    let mut app = NianbaoApp::new(report);
    // In-app path field only, recent files in memory (never the clerk's real settings).
    app.files = FilesUi::for_tests();
    let mut h = Harness::builder()
        .with_size([1400.0, 6000.0])
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    h.run();
    h
}

/// Types `text` into the widget with this role and accessible label, as the clerk would: focus, keystrokes.
fn type_into(h: &mut Harness<'_, NianbaoApp>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// Chooses `file` in the in-app file browser that is showing: its full path in the name box, 保存 / 打开.
fn choose(h: &mut Harness<'_, NianbaoApp>, file: &Path) {
    h.get_by_label("文件名")
        .set_text_value_accesskit(&file.display().to_string());
    h.run();
    let ok = if h.query_by_label("保存").is_some() {
        "保存"
    } else {
        "打开"
    };
    h.get_by_label(ok).click();
    h.run();
    assert!(h.state().files.error().is_none(), "{:?}", h.state().files.error());
}

#[test]
fn full_report_of_each_edition_entered_checked_saved_reopened_and_exported_like_the_cli() {
    for edition in [Edition::E2019, Edition::E2021] {
        let want = common::full_report(edition);
        let t = edition.template();
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("验收 测试");
        std::fs::create_dir(&folder).unwrap();
        let project = folder.join(format!("{} 年度报告.nianbao", want.year));

        // A blank report of the right year; everything else is entered in the window.
        let mut h = harness(Report::new(edition, want.year, ""));
        type_into(&mut h, Role::TextInput, "机关名称", &want.agency);

        // Every input cell, by the cell's own label, in template order.
        let mut typed = 0;
        for (i, cell) in t.cells.iter().enumerate() {
            if cell.computed {
                continue;
            }
            let text = want.cells[i].display(cell.kind);
            type_into(&mut h, Role::TextInput, cell.label, &text);
            assert_eq!(h.state().report().cells[i], want.cells[i], "{edition:?} {}", cell.id);
            typed += 1;
        }
        assert!(typed > 100, "{edition:?}: only {typed} input cells typed");
        for id in TextId::ALL {
            type_into(&mut h, Role::MultilineTextInput, id.label(), want.texts.get(id));
        }
        assert_eq!(
            h.state().report(),
            &want,
            "{edition:?}: the window holds exactly the fixture"
        );

        // Checked clean: the panel says 0 errors, and no input problem is pending.
        assert!(
            h.query_by_label("错误 0 项").is_some(),
            "{edition:?}: the findings panel should show no errors"
        );
        assert!(h.state().report().cells.iter().all(|v| !v.is_invalid()));
        assert_eq!(nianbao::checks::summarize(h.state().findings()).errors, 0);

        // Saved through 另存为's path field (Chinese folder and name with spaces).
        h.state_mut()
            .push(Command::File(nianbao::ui::files::FileOp::SaveAs(None)));
        h.run();
        choose(&mut h, &project);
        assert!(!h.state().doc.dirty);
        assert_eq!(nianbao::project::load(&project).unwrap(), want);

        // Reopened: a new blank document, then 打开 through the path field.
        h.state_mut().push(Command::File(nianbao::ui::files::FileOp::New));
        h.run();
        assert_ne!(h.state().report(), &want);
        h.state_mut()
            .push(Command::File(nianbao::ui::files::FileOp::Open(None)));
        h.run();
        choose(&mut h, &project);
        assert_eq!(h.state().report(), &want, "{edition:?}: reopened as saved");
        assert_eq!(h.state().doc.path.as_deref(), Some(project.as_path()));
        assert!(
            h.query_by_label("错误 0 项").is_some(),
            "{edition:?}: still clean after reopening"
        );

        // Exported through the export window's path field, default options (text, UTF-8, LF).
        let exported = folder.join("导出 文本.txt");
        h.state_mut().push(Command::File(nianbao::ui::files::FileOp::Export));
        h.run();
        h.get_by_label("导出…").click();
        h.run();
        assert!(
            h.query_by_label("仍然导出").is_none(),
            "{edition:?}: a clean report exports without asking"
        );
        choose(&mut h, &exported);
        assert!(h.query_by_label_contains("已导出到").is_some());

        let cli = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("export")
            .arg(&project)
            .output()
            .unwrap();
        assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
        let bytes = std::fs::read(&exported).unwrap();
        assert!(!bytes.is_empty());
        assert_eq!(
            bytes, cli.stdout,
            "{edition:?}: window export differs from `nianbao export`"
        );
    }
}
