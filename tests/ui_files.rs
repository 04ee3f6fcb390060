//! The file side of the window, driven headless with `egui_kittest` through the in-app file browser (no native
//! dialog): save and reopen, the unsaved-changes prompt, export bytes, paste-import with doubts.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::report::{Report, Value};
use nianbao::template::Edition;
use nianbao::ui::files::{DocState, FileAction, FileOp, FilesUi};
use std::path::{Path, PathBuf};

/// The document and the file side, as the app holds them, plus operations to start on the next frame.
struct State {
    files: FilesUi,
    report: Report,
    path: Option<PathBuf>,
    dirty: bool,
    ops: Vec<FileOp>,
    focused: Vec<usize>,
}

impl State {
    fn new(report: Report, dirty: bool) -> State {
        State {
            files: FilesUi::for_tests(),
            report,
            path: None,
            dirty,
            ops: Vec::new(),
            focused: Vec::new(),
        }
    }

    fn apply(&mut self, actions: Vec<FileAction>) {
        for a in actions {
            match a {
                FileAction::Replace { report, path, dirty } => {
                    self.report = *report;
                    self.path = path;
                    self.dirty = dirty;
                }
                FileAction::NewBlank => {
                    self.report = nianbao::app::blank_report();
                    self.path = None;
                    self.dirty = false;
                }
                FileAction::Saved(p) => {
                    self.path = Some(p);
                    self.dirty = false;
                }
                FileAction::FocusCell(i) => self.focused.push(i),
            }
        }
    }
}

/// Errors among the findings, as the app counts them for the file side.
fn errors_of(report: &Report) -> usize {
    nianbao::checks::check(report, report.previous_report().as_ref())
        .iter()
        .filter(|f| f.severity == nianbao::template::Severity::Error)
        .count()
}

fn frame(ui: &mut egui::Ui, s: &mut State) {
    let ctx = ui.ctx().clone();
    for op in std::mem::take(&mut s.ops) {
        let doc = DocState {
            report: &s.report,
            path: s.path.as_deref(),
            dirty: s.dirty,
            errors: errors_of(&s.report),
        };
        let acts = s.files.start(&ctx, op, doc);
        s.apply(acts);
    }
    if let Some(a) = s.files.banner(ui) {
        s.apply(vec![a]);
    }
    let doc = DocState {
        report: &s.report,
        path: s.path.as_deref(),
        dirty: s.dirty,
        errors: errors_of(&s.report),
    };
    let acts = s.files.show(&ctx, doc);
    s.apply(acts);
}

fn harness(state: State) -> Harness<'static, State> {
    Harness::builder()
        .with_size(egui::vec2(1000.0, 800.0))
        .with_context_setup(nianbao::ui::fonts::install_fonts)
        .build_ui_state(frame, state)
}

/// A report with a few figures and texts, totals computed.
fn sample(edition: Edition, year: i32) -> Report {
    let mut r = Report::new(edition, year, "某县人民政府");
    r.texts.overview = "本年度收到政府信息公开申请5件。".into();
    assert!(r.set_by_id("s3.new.natural", Value::Int(5)));
    assert!(r.set_by_id("s3.granted.natural", Value::Int(3)));
    assert!(r.set_by_id("s3.partial.natural", Value::Int(2)));
    r.fill_totals();
    r
}

/// Starts `op`, types `path` into the dialog's path field and confirms.
fn choose_path(h: &mut Harness<'_, State>, op: FileOp, path: &Path) {
    h.state_mut().ops.push(op);
    h.run();
    h.get_by_label("文件名")
        .set_text_value_accesskit(&path.display().to_string());
    h.run();
    let ok = if h.query_by_label("保存").is_some() {
        "保存"
    } else {
        "打开"
    };
    h.get_by_label(ok).click();
    h.run();
}

#[test]
fn save_as_via_path_field_then_reopen_gives_the_same_report() {
    for (edition, year) in [(Edition::E2019, 2020), (Edition::E2021, 2025)] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("报告.nianbao");
        let original = sample(edition, year);
        let mut h = harness(State::new(original.clone(), true));

        choose_path(&mut h, FileOp::SaveAs(None), &file);
        assert!(file.is_file(), "nothing written");
        assert_eq!(h.state().path.as_deref(), Some(file.as_path()));
        assert!(!h.state().dirty);
        assert_eq!(nianbao::project::load(&file).unwrap(), original);

        // Start from a blank document, then open the saved file through the dialog.
        h.state_mut().ops.push(FileOp::New);
        h.run();
        assert_ne!(h.state().report, original);
        choose_path(&mut h, FileOp::Open(None), &file);
        assert!(h.state().files.error().is_none(), "{:?}", h.state().files.error());
        assert_eq!(h.state().report, original);
        assert_eq!(h.state().path.as_deref(), Some(file.as_path()));
        assert!(!h.state().dirty);
        assert!(h.state().files.recent.paths.iter().any(|p| p.ends_with("报告.nianbao")));
    }
}

#[test]
fn save_as_without_extension_adds_nianbao() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(State::new(sample(Edition::E2021, 2025), true));
    choose_path(&mut h, FileOp::SaveAs(None), &dir.path().join("无扩展名"));
    assert!(dir.path().join("无扩展名.nianbao").is_file());
}

#[test]
fn unsaved_prompt_on_new_cancel_keeps_then_discard_replaces() {
    let original = sample(Edition::E2021, 2025);
    let mut h = harness(State::new(original.clone(), true));

    h.state_mut().ops.push(FileOp::New);
    h.run();
    assert!(h.state().files.prompt_open());
    h.get_by_label("取消").click();
    h.run();
    assert!(!h.state().files.prompt_open());
    assert_eq!(h.state().report, original);
    assert!(h.state().dirty);

    h.state_mut().ops.push(FileOp::New);
    h.run();
    h.get_by_label("不保存").click();
    h.run();
    assert!(!h.state().files.prompt_open());
    assert_ne!(h.state().report, original);
    assert!(h.state().report.cells.iter().all(Value::is_blank));
    assert!(!h.state().dirty);
}

#[test]
fn unsaved_prompt_save_without_path_asks_where_then_continues() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("先保存.nianbao");
    let original = sample(Edition::E2021, 2025);
    let mut h = harness(State::new(original.clone(), true));

    h.state_mut().ops.push(FileOp::New);
    h.run();
    h.get_by_label("保存").click();
    h.run();
    h.get_by_label("文件名")
        .set_text_value_accesskit(&file.display().to_string());
    h.run();
    h.get_by_label("保存").click();
    h.run();
    assert_eq!(nianbao::project::load(&file).unwrap(), original);
    // Saved, then the new blank document replaced it.
    assert!(h.state().report.cells.iter().all(Value::is_blank));
    assert_eq!(h.state().path, None);
}

#[test]
fn no_prompt_when_nothing_changed() {
    let mut h = harness(State::new(sample(Edition::E2021, 2025), false));
    h.state_mut().ops.push(FileOp::New);
    h.run();
    assert!(!h.state().files.prompt_open());
    assert!(h.state().report.cells.iter().all(Value::is_blank));
}

#[test]
fn export_via_path_field_writes_exactly_the_library_text() {
    use nianbao::export::text::{Encoding, LineEnd, encode, to_text};
    let dir = tempfile::tempdir().unwrap();
    let report = sample(Edition::E2021, 2025);
    let mut h = harness(State::new(report.clone(), false));

    // Default options: UTF-8, LF — the bytes of `to_text`.
    let file = dir.path().join("导出.txt");
    h.state_mut().ops.push(FileOp::Export);
    h.run();
    export_to(&mut h, &file);
    assert_eq!(std::fs::read(&file).unwrap(), to_text(&report).into_bytes());

    // GB18030 with Windows line ends.
    h.get_by_label("GB18030（GBK）").click();
    h.get_by_label("Windows（CRLF）").click();
    h.run();
    let file2 = dir.path().join("导出-gbk.txt");
    export_to(&mut h, &file2);
    let want = encode(&to_text(&report), Encoding::Gb18030, LineEnd::CrLf);
    assert_eq!(std::fs::read(&file2).unwrap(), want);
    assert!(want.windows(2).any(|w| w == b"\r\n"));
}

/// Clicks 导出…, confirms the errors question if asked, and types the path.
fn export_to(h: &mut Harness<'_, State>, file: &Path) {
    h.get_by_label("导出…").click();
    h.run();
    if h.query_by_label("仍然导出").is_some() {
        h.get_by_label("仍然导出").click();
        h.run();
    }
    h.get_by_label("文件名")
        .set_text_value_accesskit(&file.display().to_string());
    h.run();
    h.get_by_label("保存").click();
    h.run();
    assert!(h.state().files.error().is_none(), "{:?}", h.state().files.error());
    // Dismiss the "已导出到 …" note.
    assert!(h.query_by_label_contains("已导出到").is_some());
    h.get_by_label("确定").click();
    h.run();
}

#[test]
fn export_with_errors_asks_once_and_cancel_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // 5 new applications, 9 handled: the balance rule fails.
    let mut report = sample(Edition::E2021, 2025);
    report.set_by_id("s3.granted.natural", Value::Int(7));
    report.fill_totals();
    let errors = nianbao::checks::check(&report, None)
        .iter()
        .filter(|f| f.severity == nianbao::template::Severity::Error)
        .count();
    assert!(errors > 0, "the sample should have errors");
    let mut h = harness(State::new(report.clone(), false));
    h.state_mut().ops.push(FileOp::Export);
    h.run();

    h.get_by_label("导出…").click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!("导出（含{errors}项错误）"))
            .is_some()
    );
    h.get_by_label("取消").click();
    h.run();
    assert!(h.query_by_label("文件名").is_none(), "cancel must not ask for a path");

    let file = dir.path().join("有错.txt");
    export_to(&mut h, &file);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        nianbao::export::text::to_text(&report).into_bytes()
    );
}

#[test]
fn paste_import_fills_cells_and_lists_doubts_that_jump_to_cells() {
    // A published text: the library's own layout of a sample report, with the blank row 规章 written off the
    // grid as two numbers in one field (`7 19`): three cells, two numbers, so the import has a row to doubt.
    let report = sample(Edition::E2021, 2025);
    let exact = nianbao::export::text::to_text(&report);
    let text = exact.replacen("\n规章\t\t\t\n", "\n规章\t7 19\n", 1);
    assert_ne!(text, exact, "the sample's 规章 row is blank");
    let imported = nianbao::open::open_bytes(text.as_bytes()).unwrap();
    assert_eq!(imported.report.value("s3.new.natural"), Some(Value::Int(5)));
    assert!(!imported.doubts.is_empty(), "the sample should leave doubts");

    let mut h = harness(State::new(Report::new(Edition::E2021, 2025, ""), false));
    h.state_mut().ops.push(FileOp::PasteImport);
    h.run();
    h.get_by_label("报告文本").set_text_value_accesskit(&text);
    h.run();
    h.get_by_label("读取").click();
    h.run();
    assert!(h.state().files.error().is_none());
    assert_eq!(h.state().report.value("s3.new.natural"), Some(Value::Int(5)));
    assert_eq!(h.state().report, imported.report);
    assert!(h.state().dirty, "an imported report is not saved anywhere yet");
    assert_eq!(h.state().path, None);
    assert_eq!(h.state().files.banner.doubts(), imported.doubts.as_slice());

    // The banner lists the doubts; clicking one moves focus to its first cell.
    let first = imported.doubts.iter().find(|d| !d.cells.is_empty()).unwrap();
    assert!(
        h.query_by_label_contains(&format!("存疑 {} 个", imported.doubts.len()))
            .is_some()
    );
    h.get_by_label(&first.to_string()).click();
    h.run();
    assert_eq!(h.state().focused, vec![first.cells[0]]);
}

#[test]
fn doubts_banner_lists_doubts_and_jumps_to_their_cell() {
    use nianbao::open::Doubt;
    let t = Edition::E2021.template();
    let cell = t.cell_index("s3.granted.natural").unwrap();
    let mut state = State::new(sample(Edition::E2021, 2025), false);
    state.files.banner.set(vec![Doubt {
        cells: vec![cell],
        line: 0,
        source: String::new(),
        message: "「予以公开」一行的数字不确定".into(),
    }]);
    let mut h = harness(state);
    h.run();
    assert!(h.query_by_label_contains("存疑 1 个").is_some());
    h.get_by_label("「予以公开」一行的数字不确定").click();
    h.run();
    assert_eq!(h.state().focused, vec![cell]);
}

#[test]
fn dropped_file_opens_through_the_prompt() {
    #[derive(Debug)]
    struct Dropped(PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("拖入.nianbao");
    let other = sample(Edition::E2019, 2020);
    nianbao::project::save(&file, &other).unwrap();

    let mut h = harness(State::new(sample(Edition::E2021, 2025), true));
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(file.clone())));
    h.run();
    assert!(h.state().files.prompt_open(), "dirty document: ask first");
    h.get_by_label("不保存").click();
    h.run();
    assert_eq!(h.state().report, other);
    assert_eq!(h.state().path.as_deref(), Some(file.as_path()));
}

#[test]
fn window_export_is_byte_identical_to_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("报告.nianbao");
    let report = sample(Edition::E2019, 2020);
    nianbao::project::save(&project, &report).unwrap();
    let mut h = harness(State::new(report, false));
    h.state_mut().ops.push(FileOp::Open(Some(project.clone())));
    h.state_mut().ops.push(FileOp::Export);
    h.run();
    for (format, args) in [
        ("文本", &["--encoding", "gb18030", "--crlf"][..]),
        ("网页", &[][..]),
        ("JSON", &["--crlf"][..]),
    ] {
        h.get_by_label(format).click();
        let crlf = args.contains(&"--crlf");
        h.get_by_label(if crlf { "Windows（CRLF）" } else { "LF" }).click();
        if format == "文本" {
            h.get_by_label("GB18030（GBK）").click();
        }
        h.run();
        let out = dir.path().join(format!("out-{format}.out"));
        export_to(&mut h, &out);
        let cli = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("export")
            .arg(&project)
            .args([
                "--format",
                if format == "文本" {
                    "text"
                } else if format == "网页" {
                    "html"
                } else {
                    "json"
                },
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
        assert_eq!(std::fs::read(&out).unwrap(), cli.stdout, "{format}");
    }
}

#[test]
fn next_year_starts_an_unsaved_report_of_the_following_year() {
    let report = sample(Edition::E2019, 2020);
    let mut h = harness(State::new(report.clone(), false));
    h.state_mut().ops.push(FileOp::NextYear);
    h.run();
    h.get_by_label("新建").click();
    h.run();
    let s = h.state();
    assert_eq!(s.report.year, 2021);
    assert_eq!(s.report.edition, Edition::E2021);
    assert_eq!(s.report.agency, report.agency);
    assert!(s.dirty);
    assert_eq!(s.path, None);
    assert_eq!(s.report, nianbao::yearly::next_year(&report, None).unwrap().report);
}

#[test]
fn merge_dialog_sums_unit_files_and_shows_the_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, unit) in ["甲局", "乙局"].into_iter().enumerate() {
        let mut r = sample(Edition::E2021, 2025);
        r.agency = unit.into();
        let p = dir.path().join(format!("u{i}.nianbao"));
        nianbao::project::save(&p, &r).unwrap();
        paths.push(p);
    }
    let mut h = harness(State::new(sample(Edition::E2021, 2025), false));
    h.state_mut().ops.push(FileOp::Merge);
    h.run();
    h.get_by_label("添加报告…").click();
    h.run();
    let list = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    h.get_by_label("文件名（每行一个）").set_text_value_accesskit(&list);
    h.run();
    h.get_by_label("打开").click();
    h.run();
    h.get_by_label("汇总后的机关名称")
        .set_text_value_accesskit("某市人民政府");
    h.run();
    h.get_by_label("汇总").click();
    h.run();
    let s = h.state();
    assert!(s.files.error().is_none(), "{:?}", s.files.error());
    assert_eq!(s.report.agency, "某市人民政府");
    assert_eq!(s.report.value("s3.new.natural"), Some(Value::Int(10)));
    assert!(s.dirty);
    // The breakdown window shows each unit's figure.
    assert!(h.query_by_label("汇总明细").is_some());
    assert!(h.query_by_label("甲局").is_some());
}

/// The real window: closing with unsaved changes is stopped and asks; 取消 keeps the window, 不保存 closes.
#[test]
fn app_close_with_unsaved_changes_asks_first() {
    use nianbao::app::{Command, NianbaoApp};
    let mut app = NianbaoApp::new(sample(Edition::E2021, 2025));
    app.files = FilesUi::for_tests();
    let cell = Edition::E2021.template().cell_index("s3.new.legal").unwrap();
    app.apply(Command::Edit(nianbao::document::Edit::SetCell(cell, Value::Int(1))));
    assert!(app.doc.dirty);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app);
    h.run();

    let close = |h: &mut Harness<'_, NianbaoApp>| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.step();
    };
    let sent = |h: &Harness<'_, NianbaoApp>, c: &egui::ViewportCommand| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .is_some_and(|v| v.commands.contains(c))
    };
    close(&mut h);
    assert!(sent(&h, &egui::ViewportCommand::CancelClose));
    h.run();
    assert!(h.state().files.prompt_open());
    h.get_by_label("取消").click();
    h.run();
    assert!(!h.state().files.prompt_open());
    assert!(h.state().doc.dirty);

    close(&mut h);
    h.run();
    h.get_by_label("不保存").click();
    h.step();
    assert!(sent(&h, &egui::ViewportCommand::Close));
}

#[test]
fn the_default_save_name_is_an_absolute_path_in_a_clear_folder() {
    let mut h = harness(State::new(sample(Edition::E2021, 2025), true));
    h.state_mut().ops.push(FileOp::SaveAs(None));
    h.run();
    // The browser shows the folder the file goes to (absolute, existing) and the suggested name in it.
    let folder = h.get_by_label("位置").value().unwrap_or_default();
    let name = h.get_by_label("文件名").value().unwrap_or_default();
    assert!(Path::new(&folder).is_absolute(), "{folder}");
    assert!(Path::new(&folder).is_dir(), "{folder}: the folder exists");
    assert!(name.ends_with(".nianbao") && !name.contains(['/', '\\']), "{name}");
}
