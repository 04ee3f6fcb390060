//! The command line, run as the real binary: `new`, `check`, `export` on both editions, exit statuses, and the
//! `check --json` document of `interfaces.md`.

// A test binary: an unwrap that fails in a helper is a failing test, which is what we want.
#![allow(clippy::unwrap_used)]

use nianbao::project;
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, Template};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `nianbao ARGS…` with no stdin, as CI does.
fn nb<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .stdin(Stdio::null())
        .env("CI", "true")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

const AGENCY: &str = "某县人民政府";

/// For each edition, a report year it covers.
const EDITIONS: [(Edition, &str, &str); 2] = [(Edition::E2019, "2019", "2020"), (Edition::E2021, "2021", "2025")];

#[test]
fn new_check_export_on_both_editions() {
    let dir = tempfile::tempdir().unwrap();
    for (edition, id, year) in EDITIONS {
        let file = dir.path().join(format!("{id}.nianbao"));
        let o = nb(&[
            "new",
            "--edition",
            id,
            "--year",
            year,
            "--agency",
            AGENCY,
            "-o",
            path_str(&file),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stdout(&o).is_empty(), "messages go to stderr");
        let report = project::load(&file).unwrap();
        assert_eq!(report.edition, edition);
        assert_eq!(report.year.to_string(), year);
        assert_eq!(report.agency, AGENCY);
        assert!(report.cells.iter().all(Value::is_blank));

        // A blank report has warnings (blank cells) but no error: exit 0.
        let o = nb(&["check", path_str(&file)]);
        assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("0 个错误"), "{out}");
        // The window's word for a warning (Severity::label), not a word of the command line's own.
        assert!(out.contains("警告 [blank]"), "{out}");
        assert!(out.contains("个警告"), "{out}");
        assert!(!out.contains("提示"), "{out}");
        assert!(!out.contains("错误 ["), "{out}");

        // Text export: the title and the six headings, walking the template.
        let o = nb(&["export", path_str(&file)]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let text = stdout(&o);
        assert!(text.starts_with(&Template::title(AGENCY, report.year)), "{text}");
        for section in edition.template().sections {
            assert!(text.contains(section.heading), "{}", section.heading);
        }
        assert_eq!(text, nianbao::export::text::to_text(&report));

        // JSON export parses and reads back to the same report.
        let o = nb(&["export", path_str(&file), "--format", "json"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(json["format"], "nianbao-report");
        assert_eq!(json["edition"], id);
        assert_eq!(json["cells"].as_object().unwrap().len(), edition.template().cells.len());
        let back = nianbao::export::json::from_json(&stdout(&o)).unwrap();
        assert_eq!(back.cells, report.cells);

        // HTML export.
        let o = nb(&["export", path_str(&file), "--format", "html"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stdout(&o).contains(&Template::title(AGENCY, report.year)));
        assert_eq!(stdout(&o), nianbao::export::html::to_html(&report));

        // The JSON file is itself an input: check and export read it.
        let json_file = dir.path().join(format!("{id}.json"));
        let o = nb(&[
            "export",
            path_str(&file),
            "--format",
            "json",
            "-o",
            path_str(&json_file),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
        let o = nb(&["check", path_str(&json_file)]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let o = nb(&["export", path_str(&json_file)]);
        assert_eq!(stdout(&o), text);
    }
}

#[test]
fn export_to_a_file_in_gb18030_with_crlf_leaves_the_input_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.nianbao");
    let mut r = Report::new(Edition::E2021, 2025, AGENCY);
    r.texts.overview = "本年度共收到申请12件。\n第二段。".to_string();
    r.set_by_id("s3.new.natural", Value::Int(12));
    project::save(&file, &r).unwrap();
    let before = std::fs::read(&file).unwrap();

    let out = dir.path().join("报告.txt");
    let o = nb(&[
        "export",
        path_str(&file),
        "--encoding",
        "gb18030",
        "--crlf",
        "-o",
        path_str(&out),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    let (decoded, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
    assert!(!had_errors);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GB18030, not UTF-8");
    assert_eq!(decoded, nianbao::export::text::to_text(&r).replace('\n', "\r\n"));
    assert_eq!(std::fs::read(&file).unwrap(), before, "input untouched");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file left"
    );

    // `-o -` is stdout.
    let o = nb(&["export", path_str(&file), "-o", "-"]);
    assert_eq!(stdout(&o), nianbao::export::text::to_text(&r));

    // JSON and HTML are UTF-8 only: refused rather than mislabelled.
    let o = nb(&["export", path_str(&file), "--format", "json", "--encoding", "gb18030"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("UTF-8"), "{}", stderr(&o));

    // An output that cannot be written: exit 2, with a message naming it.
    let bad = dir.path().join("no/such/dir/x.txt");
    let o = nb(&["export", path_str(&file), "-o", path_str(&bad)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("无法写入"), "{}", stderr(&o));
}

/// Every finding line of `check` starts with the word `Severity::label` gives its severity in `--json`, the one
/// vocabulary of the window and the command line; an acknowledged warning says so after the word.
#[test]
fn check_names_severities_with_the_windows_words() {
    use nianbao::template::Severity;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.nianbao");
    let mut r = balanced(Edition::E2021, 2025);
    r.set_by_id("s3.new.natural", Value::Int(5)); // a balance error
    r.fill_totals();
    r.texts.other = String::new(); // at least one warning besides
    let findings = nianbao::checks::check(&r, None);
    let warning = findings
        .iter()
        .find(|f| f.severity == Severity::Warning)
        .expect("a warning");
    r.acknowledged.insert(warning.key());
    project::save(&file, &r).unwrap();

    let text = stdout(&nb(&["check", path_str(&file)]));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&nb(&["check", "--json", path_str(&file)]))).unwrap();
    let json = doc["findings"].as_array().unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains(" ["))
        .collect();
    assert_eq!(lines.len(), json.len(), "{text}");
    let mut acknowledged = 0;
    for (line, f) in lines.iter().zip(json) {
        let severity = if f["severity"] == "error" {
            Severity::Error
        } else {
            Severity::Warning
        };
        let word = line.trim_start().split(" [").next().unwrap();
        if f["acknowledged"] == true {
            acknowledged += 1;
            assert_eq!(word, format!("{}（已核实）", severity.label()), "{line}");
        } else {
            assert_eq!(word, severity.label(), "{line}");
        }
    }
    assert_eq!(acknowledged, 1, "{text}");
    let summary = text.lines().next().unwrap();
    let (e, w) = (Severity::Error.label(), Severity::Warning.label());
    assert!(
        summary.contains(&format!("个{e}")) && summary.contains(&format!("1 个{w}已核实")),
        "{summary}"
    );
}

/// A complete report that satisfies every error rule: every input cell 0, totals filled.
fn balanced(edition: Edition, year: i32) -> Report {
    let mut r = Report::new(edition, year, AGENCY);
    r.fill_blanks_with_zero();
    r.texts.other = "本年度未收取信息处理费。".to_string();
    r
}

#[test]
fn a_broken_balance_is_reported_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.nianbao");
    let mut r = balanced(Edition::E2021, 2025);
    // 一 = 5 new applications, none handled or carried over: 一+二 ≠ 三（七）+四.
    r.set_by_id("s3.new.natural", Value::Int(5));
    r.fill_totals();
    project::save(&file, &r).unwrap();

    let o = nb(&["check", path_str(&file)]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("错误 [balance]"), "{out}");
    assert!(!out.contains("[row_total]") && !out.contains("[handled_sum]"), "{out}");

    let o = nb(&["check", "--json", path_str(&file)]);
    assert_eq!(code(&o), 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(doc.is_object(), "one file: the object itself");
    for key in ["file", "errors", "warnings", "findings"] {
        assert!(doc.get(key).is_some(), "{key} in {doc}");
    }
    assert_eq!(doc["file"], path_str(&file));
    assert!(doc["errors"].as_u64().unwrap() >= 1);
    let balance: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "balance")
        .collect();
    assert!(!balance.is_empty(), "{doc}");
    let f = balance[0];
    for key in ["rule", "severity", "cells", "expected", "actual", "message"] {
        assert!(f.get(key).is_some(), "{key} in {f}");
    }
    assert_eq!(f["severity"], "error");
    let cells: Vec<&str> = f["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(cells.contains(&"s3.new.natural"), "{cells:?}");
    assert!(!f["message"].as_str().unwrap().is_empty());
}

#[test]
fn a_broken_project_lists_each_broken_rule() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.nianbao");
    // 2021 edition for a 2020 report: edition_year.
    let mut r = balanced(Edition::E2021, 2020);
    r.set_by_id("s3.new.natural", Value::Int(5)); // balance (and row_total: total not recomputed)
    r.set_by_id("s3.granted.commercial", Value::Int(3)); // handled_sum, row_total
    r.set_by_id("s4.review.upheld", Value::Int(2)); // s4_total
    r.set_by_id("s3.carried_in.research", Value::Int(-1)); // value: a negative count
    project::save(&file, &r).unwrap();

    let o = nb(&["check", path_str(&file)]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    for rule in [
        "balance",
        "handled_sum",
        "row_total",
        "s4_total",
        "value",
        "edition_year",
    ] {
        assert!(out.contains(&format!("错误 [{rule}]")), "{rule} missing:\n{out}");
    }

    let o = nb(&["check", "--json", path_str(&file)]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: std::collections::BTreeSet<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "balance",
        "handled_sum",
        "row_total",
        "s4_total",
        "value",
        "edition_year",
    ] {
        assert!(rules.contains(rule), "{rule} missing: {rules:?}");
    }
}

#[test]
fn an_unreadable_file_exits_2_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.nianbao");
    project::save(&good, &balanced(Edition::E2021, 2025)).unwrap();
    let missing = dir.path().join("missing.nianbao");
    let garbage = dir.path().join("garbage.nianbao");
    std::fs::write(&garbage, "(format_version: 1, edition: \"2021\", year: ").unwrap();
    let newer = dir.path().join("newer.nianbao");
    std::fs::write(&newer, "(format_version: 9)").unwrap();

    let o = nb(&["check", path_str(&good)]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    let o = nb(&[
        "check",
        path_str(&missing),
        path_str(&good),
        path_str(&garbage),
        path_str(&newer),
    ]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("文件不存在") && err.contains("missing.nianbao"), "{err}");
    assert!(err.contains("garbage.nianbao") && err.contains("已损坏"), "{err}");
    assert!(err.contains("请升级 nianbao"), "{err}");
    assert!(stdout(&o).contains("good.nianbao：没有发现问题"), "{}", stdout(&o));
    assert!(stdout(&o).contains("missing.nianbao：无法读取"), "{}", stdout(&o));

    // Several files with --json: an array, one entry per file in order; unreadable ones carry "error".
    let o = nb(&["check", "--json", path_str(&good), path_str(&missing)]);
    assert_eq!(code(&o), 2);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let list = doc.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["errors"], 0);
    assert!(list[1]["error"].as_str().unwrap().contains("文件不存在"));

    for args in [
        vec!["export", path_str(&missing)],
        vec!["export", path_str(&garbage), "--format", "json"],
        vec!["check", path_str(&good), "--previous", path_str(&missing)],
    ] {
        let o = nb(&args);
        assert_eq!(code(&o), 2, "{args:?}");
        assert!(stdout(&o).is_empty(), "{args:?}");
        assert!(stderr(&o).contains("nianbao："), "{args:?}: {}", stderr(&o));
    }
}

#[test]
#[allow(clippy::too_many_lines)] // a table of cases, one per bad argument
fn bad_arguments_exit_2_with_a_useful_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.nianbao");
    let o_arg = path_str(&out);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "new",
                "--edition",
                "2020",
                "--year",
                "2020",
                "--agency",
                "甲",
                "-o",
                o_arg,
            ],
            "2019",
        ),
        (
            &[
                "new",
                "--edition",
                "2019",
                "--year",
                "2025",
                "--agency",
                "甲",
                "-o",
                o_arg,
            ],
            "--edition 2021",
        ),
        (
            &[
                "new",
                "--edition",
                "2021",
                "--year",
                "2020",
                "--agency",
                "甲",
                "-o",
                o_arg,
            ],
            "--edition 2019",
        ),
        (
            &[
                "new",
                "--edition",
                "2021",
                "--year",
                "2010",
                "--agency",
                "甲",
                "-o",
                o_arg,
            ],
            "2019 年度起",
        ),
        (
            &[
                "new",
                "--edition",
                "2021",
                "--year",
                "2025",
                "--agency",
                "  ",
                "-o",
                o_arg,
            ],
            "机关名称",
        ),
        (
            &[
                "new",
                "--edition",
                "2021",
                "--year",
                "二〇二五",
                "--agency",
                "甲",
                "-o",
                o_arg,
            ],
            "",
        ),
        (&["new", "--edition", "2021", "--year", "2025", "-o", o_arg], ""),
        (&["check"], ""),
        (&["export"], ""),
        (&["export", o_arg, "--format", "docx"], ""),
        (&["export", o_arg, "--encoding", "big5"], ""),
        (&["--no-such-option"], ""),
        (&["check", "--no-such-option", o_arg], ""),
    ];
    for (args, want) in cases {
        let o = nb(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?} wrote a file");
    }

    // `new` does not overwrite an existing file unless --force.
    std::fs::write(&out, "keep").unwrap();
    let args = [
        "new",
        "--edition",
        "2021",
        "--year",
        "2025",
        "--agency",
        "甲",
        "-o",
        o_arg,
    ];
    let o = nb(&args);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("已存在"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    let o = nb(&[&args[..], &["--force"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(project::load(&out).unwrap().agency, "甲");
}

#[test]
fn previous_year_from_the_command_line_reaches_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    let last = dir.path().join("2024.nianbao");
    let this = dir.path().join("2025.nianbao");
    let mut l = balanced(Edition::E2021, 2024);
    l.set_by_id("s3.carried_out.natural", Value::Int(4));
    l.set_by_id("s3.new.natural", Value::Int(4));
    l.fill_totals();
    project::save(&last, &l).unwrap();
    project::save(&this, &balanced(Edition::E2021, 2025)).unwrap();

    let without = stdout(&nb(&["check", path_str(&this)]));
    assert!(!without.contains("[carry_over]"), "{without}");
    let o = nb(&["check", path_str(&this), "--previous", path_str(&last)]);
    let with = stdout(&o);
    assert!(with.contains("[carry_over]"), "{with}");
}

#[test]
fn report_text_in_utf8_or_gb18030_is_read_on_the_fly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.nianbao");
    let mut r = balanced(Edition::E2021, 2025);
    r.set_by_id("s3.new.natural", Value::Int(7));
    r.set_by_id("s3.granted.natural", Value::Int(7));
    r.fill_totals();
    project::save(&file, &r).unwrap();
    for encoding in ["utf-8", "gb18030"] {
        let txt = dir.path().join(format!("{encoding}.txt"));
        let o = nb(&[
            "export",
            path_str(&file),
            "--encoding",
            encoding,
            "--crlf",
            "-o",
            path_str(&txt),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let o = nb(&["check", path_str(&txt)]);
        let out = stdout(&o);
        assert_eq!(code(&o), 0, "{encoding}: {out}{}", stderr(&o));
        assert!(out.contains("（从报告文本读取"), "{encoding}: {out}");
        // Text → JSON: the figures come through the import unchanged.
        let o = nb(&["export", path_str(&txt), "--format", "json"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let back = nianbao::export::json::from_json(&stdout(&o)).unwrap();
        assert_eq!(back.value("s3.new.natural"), Some(Value::Int(7)), "{encoding}");
        assert_eq!(back.value("s3.handled_total.total"), Some(Value::Int(7)), "{encoding}");
    }
    // Something that is not a report at all: exit 2, saying so.
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "购物清单：苹果、梨").unwrap();
    let o = nb(&["check", path_str(&junk)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("junk.txt"), "{}", stderr(&o));
}
