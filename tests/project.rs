//! Project files through the public API: the written form is pinned by golden files (so a change to the file
//! format is seen in review, and files written by this version stay readable), and loading real files on disk.
//!
//! Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test project`.

use nianbao::project::{self, FormatError, ProjectError};
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, ValueKind};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::PathBuf;

/// A deterministic report walking the template: some cells blank, some 0, others numbers; texts with line
/// breaks, quotes and a backslash.
fn fixture(edition: Edition, year: i32) -> Report {
    let t = edition.template();
    let mut r = Report::new(edition, year, "青山县人民政府");
    for (i, cell) in t.cells.iter().enumerate() {
        let k = i as i64;
        let v = match (k % 5, cell.kind) {
            (0, _) => Value::Blank,
            (1, ValueKind::Money) => Value::Money(Decimal::new(0, 4)),
            (1, _) => Value::Int(0),
            (_, ValueKind::Money) => Value::Money(Decimal::new(123_720_506 + k, 4)),
            (_, ValueKind::Signed) => Value::Int(k % 7 - 3),
            (_, ValueKind::Count) => Value::Int(k * 3 % 17),
        };
        r.set(i, v);
    }
    r.texts.preamble =
        "本报告依据《中华人民共和国政府信息公开条例》编制。\n本报告中所列数据的统计期限自1月1日起至12月31日止。"
            .to_string();
    r.texts.overview = "（一）主动公开\n\n全年主动公开信息若干条，\"直引号\"与“弯引号”，路径 C:\\报告。".to_string();
    // (A CR in the texts round-trips too — see the unit proptest — but is kept out of a committed file.)
    r.texts.problems = "  首行缩进的段落。\n第二段。".to_string();
    r.texts.other = "本年度未收取信息处理费。".to_string();
    r.acknowledged.insert("blank:s3.new.research".to_string());
    r.acknowledged.insert("fee_report".to_string());
    r
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn golden_project_files() {
    for (edition, year, name) in [
        (Edition::E2019, 2020, "project_2019.nianbao"),
        (Edition::E2021, 2021, "project_2021.nianbao"),
    ] {
        let r = fixture(edition, year);
        let text = project::to_string(&r).unwrap();
        let path = golden(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text, want,
            "{name} differs (UPDATE_GOLDEN=1 to accept a deliberate change)"
        );
        // The committed file loads back to the very same report: files written by this version stay readable.
        assert_eq!(project::load(&path).unwrap(), r);
        assert!(want.starts_with("(\n    format_version: 1,\n"), "{name}: version first");
        assert!(want.contains("青山县人民政府"), "{name}: Chinese as is");
        assert!(want.contains("编制。\n本报告中所列"), "{name}: real line breaks");
    }
}

#[test]
fn save_load_save_is_byte_identical_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    for (edition, year) in [(Edition::E2019, 2019), (Edition::E2021, 2024)] {
        let a = dir.path().join(format!("{year}-a.nianbao"));
        let b = dir.path().join(format!("{year}-b.nianbao"));
        let r = fixture(edition, year);
        project::save(&a, &r).unwrap();
        let loaded = project::load(&a).unwrap();
        assert_eq!(loaded, r);
        project::save(&b, &loaded).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        // Blank and 0 stay apart.
        assert_eq!(loaded.get(0), Value::Blank);
        assert!(loaded.cells.contains(&Value::Int(0)));
    }
}

#[test]
fn saving_over_an_existing_project_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.nianbao");
    project::save(&p, &fixture(Edition::E2021, 2021)).unwrap();
    let small = Report::new(Edition::E2021, 2022, "甲");
    project::save(&p, &small).unwrap();
    assert_eq!(project::load(&p).unwrap(), small);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn error_messages_are_chinese_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.nianbao", b"", "不是 nianbao 项目文件"),
        ("text.nianbao", "一、总体情况\n".as_bytes(), "不是 nianbao 项目文件"),
        (
            "newer.nianbao",
            b"(format_version: 2, edition: \"2031\")",
            "请升级 nianbao",
        ),
        (
            "cut.nianbao",
            b"(format_version: 1, edition: \"2021\", year: 20",
            "已损坏",
        ),
        ("latin1.nianbao", b"(format_version: 1, agency: \"\xe9\")", "不是 UTF-8"),
    ];
    for (name, bytes, want) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let e = project::load(&p).unwrap_err();
        assert!(matches!(e, ProjectError::Format { .. }), "{name}: {e:?}");
        let msg = e.to_string();
        assert!(msg.contains(name) && msg.contains(want), "{name}: {msg}");
    }
    let e = project::from_str("(format_version: 2)").unwrap_err();
    assert_eq!(
        e,
        FormatError::TooNew {
            found: 2,
            supported: project::FORMAT_VERSION
        }
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Loading a file never panics, whatever its bytes: random bytes, or a valid file with bytes changed.
    #[test]
    fn loading_any_file_never_panics(
        random in prop::collection::vec(any::<u8>(), 0..512),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.nianbao");
        std::fs::write(&p, &random).unwrap();
        let _ = project::load(&p);
        let mut bytes = project::to_string(&fixture(Edition::E2021, 2021)).unwrap().into_bytes();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        std::fs::write(&p, &bytes).unwrap();
        let _ = project::load(&p);
    }
}

/// Traced, then reproduced: opening a project with two huge fractional section-三 values panicked in
/// `fill_totals` ("Addition overflowed": the reader rounded them into decimals whose sum does not fit). Now
/// they are kept as written (no decimal holds them exactly, and a count is no fraction), the totals over them
/// stay blank and the `value` check names both cells; whole amounts past a decimal are a finding too.
#[test]
fn huge_fractional_values_open_and_are_reported_not_a_panic() {
    let huge = "50000000000000000000000000000.5";
    let text = format!(
        "(format_version: 1, edition: \"2021\", year: 2021, agency: \"x\", cells: {{\
         \"s3.granted.natural\": \"{huge}\", \"s3.partial.natural\": \"{huge}\"}})"
    );
    let mut r = project::from_str(&text).unwrap();
    assert_eq!(r.value("s3.granted.natural"), Some(Value::Invalid(huge.into())));
    r.fill_totals();
    assert!(r.value("s3.handled_total.natural").unwrap().is_blank());
    let findings = nianbao::checks::check(&r, None);
    let named: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "value")
        .flat_map(|f| f.cells.iter().map(|&c| r.template().cells[c].id))
        .collect();
    assert_eq!(named, ["s3.granted.natural", "s3.partial.natural"], "{findings:#?}");
    // Written back exactly as read.
    assert!(
        project::to_string(&r)
            .unwrap()
            .contains(&format!("\"s3.granted.natural\": \"{huge}\""))
    );

    // In memory a section-三 cell may hold any decimal (an import, a merge): the sum does not fit, no panic.
    let mut r = Report::new(Edition::E2021, 2021, "x");
    r.set_by_id("s3.granted.natural", Value::Money(Decimal::MAX));
    r.set_by_id("s3.partial.natural", Value::Money(Decimal::MAX));
    r.fill_totals();
    assert!(r.value("s3.handled_total.natural").unwrap().is_blank());
    let findings = nianbao::checks::check(&r, None);
    assert!(findings.iter().any(|f| f.message.contains("数字过大")), "{findings:#?}");
}
