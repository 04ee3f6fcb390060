//! Export: golden files of both editions (text, JSON, HTML), the template.md section-三 example, the grid
//! shape of every table line, encodings and line ends, and the JSON round trip.
//!
//! Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test export`, then review the diff.

// Helpers of this test crate may unwrap too: a panic there is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use nianbao::export::html::to_html;
use nianbao::export::json::{FORMAT_VERSION, JsonError, from_json, to_json, to_json_string};
use nianbao::export::text::{Encoding, LineEnd, encode, to_text};
use nianbao::report::{Report, Value};
use nianbao::template::{Edition, Template, TextId, ValueKind};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::PathBuf;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the golden file byte for byte, or rewrites it when `UPDATE_GOLDEN=1`.
fn check_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    if expected != actual.as_bytes() {
        let expected = String::from_utf8_lossy(&expected);
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             (if the change is intended: UPDATE_GOLDEN=1 cargo test --test export)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn golden_files_of_both_editions() {
    for e in Edition::ALL {
        let r = common::full_report(e);
        assert!(r.totals_are_computed());
        check_golden(&format!("report-{}.txt", e.id()), &to_text(&r));
        check_golden(&format!("report-{}.json", e.id()), &to_json_string(&r));
        check_golden(&format!("report-{}.html", e.id()), &to_html(&r));
    }
}

#[test]
fn golden_json_reads_back_to_the_fixture() {
    for e in Edition::ALL {
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            return;
        }
        let json = std::fs::read_to_string(golden_path(&format!("report-{}.json", e.id()))).unwrap();
        assert_eq!(from_json(&json).unwrap(), common::full_report(e));
    }
}

/// The lines of the block that follows `heading` (up to the next empty line).
fn block_after<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.split('\n').collect();
    let at = lines
        .iter()
        .position(|l| *l == heading)
        .unwrap_or_else(|| panic!("no heading {heading}"));
    assert_eq!(lines[at + 1], "", "an empty line after {heading}");
    lines[at + 2..].iter().take_while(|l| !l.is_empty()).copied().collect()
}

#[test]
fn section_three_reproduces_the_template_example() {
    let text = to_text(&common::template_example_2021());
    let block = block_after(&text, "三、收到和处理政府信息公开申请情况");
    // Verbatim from template.md ("→" is a TAB); the example elides the lines between.
    let head = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）→→→申请人情况→→→→→→",
        "→→→自然人→法人或其他组织→→→→→总计",
        "→→→→商业企业→科研机构→社会公益组织→法律服务机构→其他→",
        "一、本年新收政府信息公开申请数量→→→73→2→0→0→0→0→75",
        "二、上年结转政府信息公开申请数量→→→0→0→0→0→0→0→0",
        "三、本年度办理结果→（一）予以公开→→18→0→0→0→0→0→18",
        "→（二）部分公开（区分处理的，只计这一情形，不计其他情形）→→11→1→0→0→0→0→12",
        "→（三）不予公开→1.属于国家秘密→0→0→0→0→0→0→0",
        "→→2.其他法律行政法规禁止公开→0→0→0→0→0→0→0",
    ];
    let tail = ["→（七）总计→→64→2→0→0→0→0→66", "四、结转下年度继续办理→→→9→0→0→0→0→0→9"];
    let tab = |s: &str| s.replace('→', "\t");
    assert_eq!(block.len(), 3 + 25);
    for (i, want) in head.iter().enumerate() {
        assert_eq!(block[i], tab(want), "line {i}");
    }
    for (i, want) in tail.iter().enumerate() {
        assert_eq!(block[block.len() - 2 + i], tab(want));
    }
}

#[test]
fn section_four_layout_matches_the_template() {
    let text = to_text(&common::template_example_2021());
    let block = block_after(&text, "四、政府信息公开行政复议、行政诉讼情况");
    let five = "结果维持\t结果纠正\t其他结果\t尚未审结\t总计";
    assert_eq!(
        block,
        [
            format!("行政复议{}\t行政诉讼{}", "\t".repeat(4), "\t".repeat(9)),
            format!("{five}\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t"),
            format!("{}{five}\t{five}", "\t".repeat(5)),
            ["0"; 15].join("\t"),
        ]
    );
}

#[test]
fn document_skeleton_and_table_shapes() {
    for e in Edition::ALL {
        for r in [common::full_report(e), common::blank_report(e)] {
            let t = r.template();
            let text = to_text(&r);
            assert!(text.starts_with(&format!("{}\n\n", r.display_title())));
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"));
            assert!(!text.contains("\n\n\n") && !text.contains('\r'));
            let mut last = 0;
            for s in t.sections {
                let at = text
                    .find(&format!("\n{}\n", s.heading))
                    .unwrap_or_else(|| panic!("{}", s.heading));
                assert!(at > last, "{} out of order", s.heading);
                last = at;
                if s.tables.is_empty() {
                    continue;
                }
                let block = block_after(&text, s.heading);
                let tables: Vec<_> = s.tables.iter().map(|&i| &t.tables[i]).collect();
                let expected_lines: usize = tables
                    .iter()
                    .map(|tb| usize::from(tb.caption.is_some()) + tb.header_rows + tb.body_rows())
                    .sum();
                assert_eq!(block.len(), expected_lines, "{}", s.heading);
                let mut line = 0;
                for tb in tables {
                    let n = usize::from(tb.caption.is_some()) + tb.header_rows + tb.body_rows();
                    for l in &block[line..line + n] {
                        assert_eq!(l.split('\t').count(), tb.width, "{}: {l:?}", tb.id);
                    }
                    if let Some(caption) = tb.caption {
                        assert_eq!(block[line], format!("{caption}{}", "\t".repeat(tb.width - 1)));
                    }
                    line += n;
                }
            }
        }
    }
}

#[test]
fn multi_line_texts_become_paragraphs() {
    let mut r = Report::new(Edition::E2021, 2021, "某县人民政府");
    r.texts.preamble = "第一段\n\n\n第二段  \n".into();
    r.texts.problems = "问题一\r\n问题二".into();
    let text = to_text(&r);
    assert!(text.starts_with("某县人民政府2021年政府信息公开工作年度报告\n\n第一段\n\n第二段\n\n一、总体情况\n\n二、"));
    assert!(text.contains("\n\n五、存在的主要问题及改进情况\n\n问题一\n\n问题二\n\n六、其他需要报告的事项\n"));
    assert!(text.ends_with("\n\n六、其他需要报告的事项\n"));
}

#[test]
fn blank_is_an_empty_field_and_zero_is_zero() {
    let mut r = Report::new(Edition::E2021, 2021, "某县人民政府");
    r.set_by_id("s3.new.natural", Value::Int(0));
    r.set_by_id("s2.fees.amount", Value::Money(Decimal::from(5)));
    r.set_by_id("s2.licensing.decisions", Value::Int(5297));
    let text = to_text(&r);
    let s3 = block_after(&text, "三、收到和处理政府信息公开申请情况");
    let fields: Vec<&str> = s3[3].split('\t').collect();
    assert_eq!(fields[0], "一、本年新收政府信息公开申请数量");
    assert_eq!(&fields[3..], ["0", "", "", "", "", "", ""]);
    let s2 = block_after(&text, "二、主动公开政府信息情况");
    assert!(s2.contains(&"行政许可\t5297\t\t"), "{s2:?}");
    assert!(s2.contains(&"行政事业性收费\t5.0000\t\t"), "{s2:?}");
    assert!(s2.contains(&"规章\t\t\t"), "{s2:?}");
}

#[test]
fn crlf_and_gb18030_variants() {
    let text = to_text(&common::full_report(Edition::E2021));
    for enc in [Encoding::Utf8, Encoding::Gb18030] {
        for le in [LineEnd::Lf, LineEnd::CrLf] {
            let bytes = encode(&text, enc, le);
            let decoded = match enc {
                Encoding::Utf8 => String::from_utf8(bytes.clone()).unwrap(),
                Encoding::Gb18030 => {
                    let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
                    assert!(!had_errors);
                    s.into_owned()
                }
            };
            if le == LineEnd::CrLf {
                let bare_lf = bytes
                    .iter()
                    .enumerate()
                    .any(|(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'));
                assert!(!bare_lf, "{enc:?}: a bare LF");
                assert_eq!(decoded.replace("\r\n", "\n"), text);
                assert_eq!(decoded.matches("\r\n").count(), text.matches('\n').count());
            } else {
                assert_eq!(decoded, text);
            }
            if enc == Encoding::Gb18030 {
                assert_ne!(
                    bytes,
                    encode(&text, Encoding::Utf8, le),
                    "GB18030 differs from UTF-8 for Chinese"
                );
            }
        }
    }
}

/// Checks that every row of every `<table>` fills exactly the grid's columns, counting colspans and the
/// rowspans of cells above, and returns the widths of the tables.
fn html_table_widths(html: &str) -> Vec<usize> {
    let attr = |tag: &str, name: &str| -> usize {
        tag.find(&format!("{name}=\"")).map_or(1, |i| {
            tag[i + name.len() + 2..].split('"').next().unwrap().parse().unwrap()
        })
    };
    let mut widths = Vec::new();
    for table in html.split("<table").skip(1) {
        let table = table.split("</table>").next().unwrap();
        let mut pending: Vec<usize> = Vec::new(); // lines still covered, per column
        let mut width = None;
        for row in table.split("<tr>").skip(1) {
            let row = row.split("</tr>").next().unwrap();
            let mut col = 0;
            let mut next_pending = pending.clone();
            for cell in row
                .split('<')
                .filter(|s| s.starts_with("td") || s.starts_with("th ") || s.starts_with("th>"))
            {
                while pending.get(col).is_some_and(|&p| p > 0) {
                    col += 1;
                }
                let tag = cell.split('>').next().unwrap();
                let (cs, rs) = (attr(tag, "colspan"), attr(tag, "rowspan"));
                for c in col..col + cs {
                    if next_pending.len() <= c {
                        next_pending.resize(c + 1, 0);
                    }
                    next_pending[c] = rs;
                }
                col += cs;
            }
            while pending.get(col).is_some_and(|&p| p > 0) {
                col += 1;
            }
            let w = *width.get_or_insert(col);
            assert_eq!(col, w, "row {row}");
            pending = next_pending.iter().map(|&p| p.saturating_sub(1)).collect();
        }
        widths.push(width.unwrap());
    }
    widths
}

#[test]
fn html_is_self_contained_and_tables_follow_the_grid() {
    for e in Edition::ALL {
        let r = common::full_report(e);
        let html = to_html(&r);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("@page { size: A4;"));
        for external in ["http:", "https:", "src=", "<link", "<script", "url("] {
            assert!(!html.contains(external), "{external}");
        }
        assert!(html.contains(&format!("<h1>{}</h1>", r.display_title())));
        for s in r.template().sections {
            assert!(html.contains(&format!("<h2>{}</h2>", s.heading)));
        }
        let want: Vec<usize> = r.template().tables.iter().map(|t| t.width).collect();
        assert_eq!(html_table_widths(&html), want);
        assert!(html.contains("<td class=\"label\" rowspan=\"8\">（三）不予公开</td>"));
        assert!(html.contains("<th colspan=\"10\">行政诉讼</th>"));
        assert!(html.contains(&format!(
            "<p>本年度共收到政府信息公开申请{}件",
            r.value("s3.new.total").unwrap().as_int().unwrap()
        )));
    }
    let html = to_html(&common::full_report(Edition::E2021));
    assert!(html.contains("<td class=\"label\" rowspan=\"22\">三、本年度办理结果</td>"));
}

fn value_strategy(kind: ValueKind) -> BoxedStrategy<Value> {
    match kind {
        ValueKind::Money => prop_oneof![
            Just(Value::Blank),
            Just(Value::Money(Decimal::ZERO)),
            (0i64..100_000_000, 0u32..=4).prop_map(|(m, s)| Value::Money(Decimal::new(m, s))),
            (any::<i64>(), 0u32..=10).prop_map(|(m, s)| Value::Money(Decimal::new(m, s))),
            "\\PC{0,12}".prop_map(move |s| Value::from_input(kind, &s)),
        ]
        .boxed(),
        ValueKind::Count | ValueKind::Signed => prop_oneof![
            Just(Value::Blank),
            Just(Value::Int(0)),
            (0i64..10_000).prop_map(Value::Int),
            any::<i64>().prop_map(Value::Int),
            "\\PC{0,12}".prop_map(move |s| Value::from_input(kind, &s)),
        ]
        .boxed(),
    }
}

/// Reports of both editions with any agency, year, texts and a custom or standard title, cells blank, zero,
/// small, huge (any i64), money with up to 10 places, or any text typed (invalid text kept as written).
fn arb_report() -> impl Strategy<Value = Report> {
    prop_oneof![Just(Edition::E2019), Just(Edition::E2021)].prop_flat_map(|e| {
        let cells: Vec<BoxedStrategy<Value>> = e.template().cells.iter().map(|c| value_strategy(c.kind)).collect();
        (
            1990i32..2100,
            // Agency and title are one line (JSON and project files refuse line breaks and TAB in them).
            "[^\t\r\n\u{0b}\u{0c}\u{85}\u{2028}\u{2029}]*",
            prop_oneof![
                Just(String::new()),
                "[^\t\r\n\u{0b}\u{0c}\u{85}\u{2028}\u{2029}\\p{C}]{1,40}"
            ],
            proptest::collection::vec(any::<String>(), 4),
            cells,
        )
            .prop_map(move |(year, agency, title, texts, cells)| {
                let mut r = Report::new(e, year, agency);
                // A title that is blank or equal to the standard one is "use the standard title" (empty).
                if !title.trim().is_empty() && title.trim() != Template::title(&r.agency, year) {
                    r.title = title;
                }
                for (id, text) in TextId::ALL.into_iter().zip(texts) {
                    *r.texts.get_mut(id) = text;
                }
                // What a cell can hold: a negative count or amount is invalid text there, kept as written.
                r.cells = cells
                    .into_iter()
                    .zip(e.template().cells)
                    .map(|(v, c)| v.for_kind(c.kind))
                    .collect();
                r
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn json_round_trip(r in arb_report()) {
        let back = from_json(&to_json_string(&r)).unwrap();
        prop_assert_eq!(&back, &r);
        let v = to_json(&r);
        prop_assert_eq!(v["format_version"].as_u64(), Some(FORMAT_VERSION));
        prop_assert_eq!(v["cells"].as_object().unwrap().len(), r.template().cells.len());
    }

    #[test]
    fn every_report_exports_without_panic(r in arb_report()) {
        let text = to_text(&r);
        prop_assert!(text.ends_with('\n'));
        let html = to_html(&r);
        prop_assert!(html.ends_with("</html>\n"));
    }

    #[test]
    fn from_json_never_panics(s in "\\PC{0,200}") {
        let _ = from_json(&s);
    }

    #[test]
    fn from_json_never_panics_on_a_damaged_export(cut in 0usize..20_000, insert in "[\\[\\]{}\",:0-9a-z. -]{0,3}") {
        let json = to_json_string(&common::full_report(Edition::E2019));
        let mut at = cut.min(json.len());
        while !json.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + 3).min(json.len());
        while !json.is_char_boundary(end) {
            end += 1;
        }
        let damaged = format!("{}{insert}{}", &json[..at], &json[end..]);
        let _ = from_json(&damaged);
    }
}

#[test]
fn json_refuses_newer_versions_and_unknown_cells() {
    let json = to_json_string(&common::full_report(Edition::E2021));
    let newer = json.replace("\"format_version\": 1", "\"format_version\": 2");
    assert!(matches!(
        from_json(&newer),
        Err(JsonError::NewerVersion { found: 2, supported: 1 })
    ));
    let unknown = json.replace("\"s3.new.natural\"", "\"s3.new.people\"");
    let err = from_json(&unknown).unwrap_err();
    assert_eq!(err.to_string(), "第2021版格式中没有单元格「s3.new.people」");
    // A 2021 report relabelled 2019 carries cells 2019 does not have.
    let relabelled = json.replace("\"edition\": \"2021\"", "\"edition\": \"2019\"");
    assert!(matches!(
        from_json(&relabelled),
        Err(JsonError::UnknownCell { edition: "2019", .. })
    ));
}
