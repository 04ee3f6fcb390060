//! Import of published report text: every layout found in the wild (fixtures written for these tests, not
//! copied from real reports), the real samples in `../shared/samples` when present, the export → import round
//! trip, "never panics", and the command line's exit statuses.

// Test helpers may unwrap: a panic is a failing test (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

mod common;

use nianbao::import::{Doubt, ImportError, Imported, decode, import_text};
use nianbao::report::{Report, Texts, Value};
use nianbao::template::Edition;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    decode(&std::fs::read(&p).unwrap())
}

fn import(name: &str) -> Imported {
    import_text(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn v(r: &Report, id: &str) -> Value {
    r.value(id).unwrap_or_else(|| panic!("no cell {id}"))
}

/// The seven values of a section-三 row, blank as `None`.
fn s3_row(r: &Report, row: &str) -> Vec<Option<i64>> {
    let t = r.template();
    t.table("s3")
        .unwrap()
        .columns
        .iter()
        .map(|c| v(r, &format!("s3.{row}.{}", c.id)).as_int())
        .collect()
}

fn some(v: &[i64]) -> Vec<Option<i64>> {
    v.iter().map(|&n| Some(n)).collect()
}

/// The 2021 fixtures all carry the same (made-up) figures in different layouts.
const FIXTURE_2021_S3: &[(&str, [i64; 7])] = &[
    ("new", [40, 3, 0, 1, 0, 0, 44]),
    ("carried_in", [2, 0, 0, 0, 0, 0, 2]),
    ("granted", [15, 1, 0, 0, 0, 0, 16]),
    ("partial", [6, 0, 0, 0, 0, 0, 6]),
    ("denied.state_secret", [0; 7]),
    ("denied.prohibited", [1, 0, 0, 0, 0, 0, 1]),
    ("denied.third_party", [2, 0, 0, 0, 0, 0, 2]),
    ("denied.process", [1, 0, 0, 0, 0, 0, 1]),
    ("unavailable.not_held", [8, 1, 0, 1, 0, 0, 10]),
    ("not_processed.duplicate", [1, 0, 0, 0, 0, 0, 1]),
    ("other_handling.no_correction", [1, 0, 0, 0, 0, 0, 1]),
    ("other_handling.unpaid_fee", [0; 7]),
    ("other_handling.other", [1, 0, 0, 0, 0, 0, 1]),
    ("handled_total", [39, 2, 0, 1, 0, 0, 42]),
    ("carried_out", [3, 1, 0, 0, 0, 0, 4]),
];

fn assert_fixture_2021(name: &str, r: &Report, agency: &str, normative_certain: bool) {
    assert_eq!(r.edition, Edition::E2021, "{name}");
    assert_eq!(r.year, 2021, "{name}");
    assert_eq!(r.agency, agency, "{name}");
    for (row, want) in FIXTURE_2021_S3 {
        assert_eq!(s3_row(r, row), some(want), "{name}: s3.{row}");
    }
    let ints = [
        ("s2.rules.issued", 1),
        ("s2.rules.repealed", 0),
        ("s2.rules.in_force", 5),
        ("s2.licensing.decisions", 880),
        ("s2.penalty.decisions", 95),
        ("s2.coercion.decisions", 4),
        ("s4.review.upheld", 2),
        ("s4.review.corrected", 1),
        ("s4.review.pending", 1),
        ("s4.review.total", 4),
        ("s4.suit_direct.upheld", 1),
        ("s4.suit_direct.total", 1),
        ("s4.suit_after_review.other", 1),
        ("s4.suit_after_review.total", 1),
    ];
    for (id, n) in ints {
        assert_eq!(v(r, id), Value::Int(n), "{name}: {id}");
    }
    if normative_certain {
        assert_eq!(v(r, "s2.normative.in_force"), Value::Int(40), "{name}");
        assert_eq!(v(r, "s2.normative.issued"), Value::Int(12), "{name}");
    }
    assert_eq!(v(r, "s2.fees.amount"), Value::Money(Decimal::new(365_000, 4)), "{name}");
    assert!(
        r.texts.overview.contains("（一）主动公开"),
        "{name}: {:?}",
        r.texts.overview
    );
    assert!(
        r.texts.overview.starts_with("　　本局年内"),
        "{name}: the indent is kept"
    );
    assert!(
        r.texts.problems.starts_with("　　一是个别栏目"),
        "{name}: {:?}",
        r.texts.problems
    );
    assert_eq!(r.texts.other, "本年度未收取信息处理费。", "{name}");
}

#[test]
fn every_2021_layout_reads_the_same_figures_without_doubt() {
    let cases = [
        ("tab_official_2021.txt", "青石县交通运输局"),
        ("markdown_2021.txt", "白沙镇人民政府"),
        ("pipe_no_bars_2021.txt", "红叶街道办事处"),
        ("cell_per_line_2021.txt", "东湖区卫生健康委员会"),
        ("html_2021.txt", "西岭县林业局"),
        ("split_pages_2021.txt", "北川县水利局"),
    ];
    for (name, agency) in cases {
        let Imported { report, doubts } = import(name);
        assert!(doubts.is_empty(), "{name}: {doubts:#?}");
        assert_fixture_2021(name, &report, agency, true);
        assert!(report.title.is_empty(), "{name}: a standard title is not stored");
    }
}

#[test]
fn preamble_and_longer_heading_are_read() {
    let r = import("tab_official_2021.txt").report;
    assert!(
        r.texts.preamble.starts_with("本报告按照条例要求编写"),
        "{:?}",
        r.texts.preamble
    );
    // 五 written with the longer wording still closes 四 and opens the problems text.
    let r = import("markdown_2021.txt").report;
    assert!(r.texts.problems.contains("下一步将加强培训"), "{:?}", r.texts.problems);
    let r = import("pipe_no_bars_2021.txt").report;
    assert_eq!(r.texts.preamble, "");
}

#[test]
fn run_together_digits_are_split_by_the_table_relations() {
    let Imported { report, doubts } = import("run_together_2021.txt");
    // Section 三 rows are fixed by their totals and the column sums. The block of 二 has no relation, and
    // text that lost its cell boundaries lost its blank cells too: `规章105` may be 1|0|5 or 10|（空）|5, and
    // `行政规范性文件12340` 12|34|0, 1|23|40 …: one doubt for both rows. 四's readings are cut within its three
    // blocks' totals: 53 keep them all, and they differ only in the two lawsuit blocks; the 行政复议 block
    // (2 1 0 1 | 4) reads the same in every one of them and is not doubted.
    assert_fixture_2021("run_together_2021.txt", &report, "南溪乡人民政府", false);
    assert_eq!(doubts.len(), 2, "{doubts:#?}");
    let t = report.template();
    let ids = |d: &Doubt| d.cells.iter().map(|&c| t.cells[c].id).collect::<Vec<&str>>();
    let d = &doubts[0];
    assert_eq!(d.source, "规章105；行政规范性文件12340");
    assert!(
        d.line > 0 && d.message.contains("连在一起") && d.message.contains("行政规范性文件"),
        "{d:?}"
    );
    assert!(ids(d).iter().all(|id| id.starts_with("s2.")), "{:?}", ids(d));
    assert!(ids(d).iter().any(|id| id.starts_with("s2.normative.")), "{:?}", ids(d));
    let d = &doubts[1];
    assert!(d.message.contains("种读法都与表内合计相符"), "{d:?}");
    assert!(!d.message.contains("读法太多"), "{d:?}");
    assert!(ids(d).iter().all(|id| id.starts_with("s4.suit_")), "{:?}", ids(d));
    assert!(ids(d).contains(&"s4.suit_direct.total"), "{:?}", ids(d));
}

#[test]
fn no_split_that_adds_up_is_a_doubt_not_a_guess() {
    let text = fixture("run_together_2021.txt").replace("403010044", "403010045");
    let Imported { doubts, .. } = import_text(&text).unwrap();
    let d = doubts
        .iter()
        .find(|d| d.source.contains("403010045"))
        .expect("a doubt for the bad row");
    assert!(d.message.contains("没有一种读法"), "{d:?}");
}

#[test]
fn gb18030_shifted_grid_of_2020_keeps_published_numbers() {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/tab_shifted_gbk_2020.txt"))
            .unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is GB18030");
    let Imported { report: r, doubts } = import_text(&decode(&bytes)).unwrap();
    assert!(doubts.is_empty(), "{doubts:#?}");
    assert_eq!(
        (r.edition, r.year, r.agency.as_str()),
        (Edition::E2019, 2020, "石门县统计局")
    );
    assert_eq!(s3_row(&r, "new"), some(&[25, 2, 0, 0, 1, 0, 28]));
    assert_eq!(s3_row(&r, "carried_in"), some(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(s3_row(&r, "other_handling"), some(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(s3_row(&r, "not_processed.confirm"), some(&[0; 7]));
    // Published wrongly as 29 (the parts make 28): kept, so that the checks show it.
    assert_eq!(s3_row(&r, "handled_total"), some(&[25, 2, 0, 0, 1, 0, 29]));
    assert_eq!(s3_row(&r, "carried_out"), some(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(v(&r, "s2.licensing.change"), Value::Int(-4));
    assert_eq!(v(&r, "s2.fees.change"), Value::Int(-1));
    assert_eq!(
        v(&r, "s2.procurement.amount"),
        Value::Money(Decimal::new(15_207_500, 4))
    );
    assert_eq!(v(&r, "s4.review.total"), Value::Int(2));
    assert_eq!(v(&r, "s4.suit_direct.total"), Value::Int(1));
    assert!(!r.totals_are_computed(), "the wrong total stays wrong");
    let findings = nianbao::checks::check(&r, None);
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "handled_sum" || f.rule == "row_total" || f.rule == "balance"),
        "the checks report the publisher's error"
    );
}

/// A TAB line keeps a blank cell as an empty field, so a line with fewer fields than cells lost a number (a
/// field dropped in copying): the cell left out may hold that number and is named by a doubt, not read as blank.
#[test]
fn a_tab_row_that_lost_a_field_is_a_doubt_not_a_blank() {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/tab_shifted_gbk_2020.txt"))
            .unwrap();
    let text = decode(&bytes);
    // 120 / -4 / blank, with the 120 lost: one number and one empty field for three cells.
    assert!(text.contains("行政许可\t120\t-4\t3300\r\n"));
    let text = text.replace("行政许可\t120\t-4\t3300\r\n", "行政许可\t-4\t\r\n");
    let Imported { report: r, doubts } = import_text(&text).unwrap();
    let t = r.template();
    assert_eq!(v(&r, "s2.licensing.change"), Value::Int(-4), "the one place -4 can go");
    let d = doubts
        .iter()
        .find(|d| d.source.contains("行政许可"))
        .unwrap_or_else(|| panic!("a doubt for the row: {doubts:#?}"));
    let ids: Vec<&str> = d.cells.iter().map(|&c| t.cells[c].id).collect();
    assert_eq!(ids, ["s2.licensing.prev_items", "s2.licensing.decisions"], "{d:?}");
    assert!(
        d.message.contains("少了一栏") && d.message.contains("留空的格可能有数字"),
        "{d:?}"
    );
    // The same row with its blank kept and nothing lost reads without doubt.
    let whole = decode(&bytes).replace("行政许可\t120\t-4\t3300\r\n", "行政许可\t120\t-4\t\r\n");
    let Imported { report: r, doubts } = import_text(&whole).unwrap();
    assert!(doubts.is_empty(), "{doubts:#?}");
    assert_eq!(v(&r, "s2.licensing.prev_items"), Value::Int(120));
    assert_eq!(v(&r, "s2.licensing.decisions"), Value::Blank);
}

#[test]
fn text_that_is_not_a_report_is_refused() {
    for text in [
        fixture("not_a_report.txt"),
        String::new(),
        "\u{feff}\n\n".to_owned(),
        "规章\t0".to_owned(),
    ] {
        let err = import_text(&text).unwrap_err();
        assert!(matches!(err, ImportError::NotAReport(_)));
        assert!(err.to_string().starts_with("不是年度报告："), "{err}");
    }
}

#[test]
fn a_missing_row_and_a_stray_line_are_doubts_with_their_line() {
    let text = fixture("tab_official_2021.txt");
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("\t\t3.补正后申请内容仍不明确"))
        .map(|l| {
            if l.starts_with("\t\t2.重复申请") {
                "\t\t第二项重复\t1\t0\t0\t0\t0\t0\t1"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let Imported { report, doubts } = import_text(&text).unwrap();
    let t = report.template();
    // Two rows of one table not found: one doubt naming both.
    let missing: Vec<_> = doubts.iter().filter(|d| d.line == 0).collect();
    assert_eq!(missing.len(), 1, "{doubts:#?}");
    assert!(
        missing[0].message.contains("2行：「三（四）3」「三（五）2」"),
        "{doubts:#?}"
    );
    let ids: Vec<&str> = missing.iter().flat_map(|d| &d.cells).map(|&c| t.cells[c].id).collect();
    assert!(ids.contains(&"s3.unavailable.unclear.natural") && ids.contains(&"s3.not_processed.duplicate.total"));
    let stray = doubts.iter().find(|d| d.line > 0).unwrap();
    assert!(stray.source.contains("第二项重复"), "{stray:?}");
    assert_eq!(text.lines().nth(stray.line - 1).unwrap(), stray.source);
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples")
}

/// Per section-三 row (`new`, `carried_in`, `handled_total`, `carried_out`): the seven column values.
type Rows = [(&'static str, [i64; 7]); 4];
/// A sample: file, edition, year, agency, section-三 rows, section-四 totals.
type Sample = (&'static str, Edition, i32, &'static str, Rows, [i64; 3]);

#[test]
fn real_samples_read_as_published() {
    let dir = samples_dir();
    if !dir.is_dir() {
        eprintln!("no samples folder: skipped");
        return;
    }
    // Read by eye from the published texts: new, carried_in, handled_total, carried_out per column; 四 totals.
    let expected: &[Sample] = &[
        (
            "jiaozuo-city-2020.txt",
            Edition::E2019,
            2020,
            "焦作市人民政府",
            [
                ("new", [366, 3, 3, 0, 3, 0, 375]),
                ("carried_in", [10, 0, 0, 0, 0, 0, 10]),
                ("handled_total", [330, 3, 3, 0, 3, 0, 339]),
                ("carried_out", [46, 0, 0, 0, 0, 0, 46]),
            ],
            [14, 10, 11],
        ),
        (
            "zhengzhou-erqi-stats-2020.txt",
            Edition::E2019,
            2020,
            "郑州市二七区统计局",
            [
                ("new", [0; 7]),
                ("carried_in", [0; 7]),
                ("handled_total", [0; 7]),
                ("carried_out", [0; 7]),
            ],
            [0, 0, 0],
        ),
    ];
    for (file, edition, year, agency, rows, s4) in expected {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let Imported { report: r, doubts } = import_text(&decode(&std::fs::read(&path).unwrap())).unwrap();
        assert!(doubts.is_empty(), "{file}: {doubts:#?}");
        assert_eq!(
            (r.edition, r.year, r.agency.as_str()),
            (*edition, *year, *agency),
            "{file}"
        );
        for (row, want) in rows {
            assert_eq!(s3_row(&r, row), some(want), "{file}: {row}");
        }
        for (id, want) in ["s4.review.total", "s4.suit_direct.total", "s4.suit_after_review.total"]
            .iter()
            .zip(s4)
        {
            assert_eq!(v(&r, id), Value::Int(*want), "{file}: {id}");
        }
    }
    let huixian = dir.join("huixian-city-2021.txt");
    if huixian.exists() {
        let Imported { report: r, doubts } = import_text(&decode(&std::fs::read(&huixian).unwrap())).unwrap();
        assert_eq!((r.edition, r.year), (Edition::E2021, 2021));
        assert_eq!(s3_row(&r, "new"), some(&[73, 2, 0, 0, 0, 0, 75]));
        assert_eq!(s3_row(&r, "carried_in"), some(&[0; 7]));
        // From 三（一） on, each published row has 6 numbers for 7 columns: the sums fix 自然人, 商业企业 and
        // 总计; which zero column was left out cannot be known, but it is 0 whichever it was: 0, no doubt.
        let ht = s3_row(&r, "handled_total");
        assert_eq!(ht, some(&[64, 2, 0, 0, 0, 0, 66]));
        let co = s3_row(&r, "carried_out");
        assert_eq!(co, some(&[9, 0, 0, 0, 0, 0, 9]));
        let t = r.template();
        let s3 = t.table("s3").unwrap();
        for row in s3.rows {
            assert!(
                !doubts.iter().any(|d| d.cells.iter().any(|c| row.cells.contains(c))),
                "{}: {doubts:?}",
                row.id
            );
        }
        assert!(doubts.iter().all(|d| d.line > 0 && !d.source.is_empty()));
        assert_eq!(v(&r, "s4.suit_direct.total"), Value::Int(3));
        assert_eq!(v(&r, "s2.normative.in_force"), Value::Int(67));
        assert_eq!(v(&r, "s2.fees.amount"), Value::Money(Decimal::new(123_720_506, 4)));
        assert!(r.texts.other.contains("信息处理费"));
    }
}

/// Texts as the export writes them back: one paragraph per line, no blank lines, no trailing spaces.
fn canonical_texts(t: &Texts) -> Texts {
    let c = |s: &str| {
        s.lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    Texts {
        preamble: c(&t.preamble),
        overview: c(&t.overview),
        problems: c(&t.problems),
        other: c(&t.other),
    }
}

#[test]
fn shared_full_reports_round_trip() {
    for e in Edition::ALL {
        for mut r in [common::full_report(e), common::blank_report(e)] {
            r.texts = canonical_texts(&r.texts);
            let text = nianbao::export::text::to_text(&r);
            // LF, CRLF and CR alone (old Mac editors, some CMS exports) are the same text.
            for (ends, text) in [
                ("LF", text.clone()),
                ("CRLF", text.replace('\n', "\r\n")),
                ("CR", text.replace('\n', "\r")),
            ] {
                let Imported { report, doubts } = import_text(&text).unwrap();
                assert!(doubts.is_empty(), "{e:?} {ends}: {doubts:#?}");
                assert_eq!(report, r, "{e:?} {ends}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn export_then_import_gives_back_the_report(r in common::arb_report()) {
        let text = nianbao::export::text::to_text(&r);
        let Imported { report, doubts } = import_text(&text).unwrap();
        prop_assert!(doubts.is_empty(), "{:#?}", doubts);
        prop_assert_eq!(report, r);
    }

    #[test]
    fn import_never_panics(s in "\\PC{0,400}") {
        let _ = import_text(&s);
    }

    #[test]
    fn import_never_panics_on_damaged_reports(cut in 0usize..4000, junk in "[0-9\t| 一二三（）.]{0,30}", at in 0usize..4000) {
        let base = fixture("tab_official_2021.txt");
        let mut s: String = base.chars().take(cut).collect();
        let at = at.min(s.chars().count());
        let byte = s.char_indices().nth(at).map_or(s.len(), |(i, _)| i);
        s.insert_str(byte, &junk);
        if let Ok(i) = import_text(&s) {
            prop_assert_eq!(i.report.cells.len(), i.report.template().cells.len());
            for d in &i.doubts {
                prop_assert!(d.line <= s.lines().count() + 1);
            }
        }
    }
}

fn run_cli(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_exit_statuses_and_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let p = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let (code, _, err) = run_cli(&["import", &p("tab_official_2021.txt")]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_cli(&["import", &p("run_together_2021.txt")]);
    assert_eq!(code, 1);
    assert!(err.contains("第18行") && err.contains("行政规范性文件"), "{err}");
    let (code, _, err) = run_cli(&["import", &p("not_a_report.txt")]);
    assert_eq!(code, 2);
    assert!(err.contains("不是年度报告"), "{err}");
    let (code, _, _) = run_cli(&["import", &p("no_such_file.txt")]);
    assert_eq!(code, 2);
    let (code, out, _) = run_cli(&["import", "--json", &p("run_together_2021.txt")]);
    assert_eq!(code, 1);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["report"]["agency"], "南溪乡人民政府");
    assert_eq!(j["report"]["cells"]["s3.new.total"], 44);
    let cells = j["doubts"][0]["cells"].as_array().unwrap();
    assert!(
        cells.iter().all(|c| c.as_str().unwrap().starts_with("s2.")),
        "{cells:?}"
    );
    assert!(j["doubts"][0]["message"].as_str().unwrap().contains("连在一起"));
}

#[test]
fn cli_writes_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nianbao");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/markdown_2021.txt");
    let (code, _, err) = run_cli(&["import", &src.to_string_lossy(), "-o", &out.to_string_lossy()]);
    assert_eq!(code, 0, "{err}");
    let saved = nianbao::project::load(&out).unwrap();
    assert_eq!(saved, import("markdown_2021.txt").report);
}
