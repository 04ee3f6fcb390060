//! Shared test fixtures: complete, balanced reports of both editions built by walking the template.
//!
//! Use from an integration test with `mod common;`. Every function is deterministic, so golden files built from
//! these reports stay stable. The numbers and texts are made up for tests (not taken from any real report).
//!
//! - [`full_report`]: every input cell filled (some zeros, a negative 本年增/减 in 2019, money with 4 places),
//!   section 三 balanced in every column (一+二 = 三（七）+四), totals filled, texts quoting the table figures
//!   (so the `narrative` check agrees) and section 六 reporting 信息处理费.
//! - [`blank_report`]: same agency, year and texts, every cell blank.
//! - [`template_example_2021`]: the section-三 example of template.md (2021), every other cell 0.
//! - [`arb_report`]: a proptest strategy of reports of both editions (for round trips).

// Each test crate uses a different part of this module; a panic in a fixture is a failing test.
#![allow(dead_code, clippy::unwrap_used)]

use nianbao::report::{Report, Texts, Value};
use nianbao::template::{Edition, ValueKind};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Agency name of the fixture reports.
pub const AGENCY: &str = "青山县人民政府";

/// The report year used for an edition: 2020 for 2019, 2021 for 2021.
pub fn report_year(edition: Edition) -> i32 {
    match edition {
        Edition::E2019 => 2020,
        Edition::E2021 => 2021,
    }
}

/// A report with every cell blank, with the fixture agency, year and texts.
pub fn blank_report(edition: Edition) -> Report {
    let mut r = Report::new(edition, report_year(edition), AGENCY);
    r.texts = texts(edition, 0, 0, 0);
    r
}

/// A complete, balanced report: every input cell filled, then [`Report::fill_totals`].
pub fn full_report(edition: Edition) -> Report {
    let t = edition.template();
    let mut r = Report::new(edition, report_year(edition), AGENCY);
    for (i, cell) in t.cells.iter().enumerate() {
        if cell.computed {
            continue;
        }
        let k = i as i64;
        let v = match (cell.id.split('.').next(), cell.kind) {
            (_, ValueKind::Money) => Value::Money(Decimal::new(12_345_678 + k * 1_000_003, 4)),
            (_, ValueKind::Signed) => Value::Int((k * 7) % 23 - 11),
            (Some("s3"), _) => Value::Int(if cell.col == 0 {
                (k * 7) % 13
            } else {
                i64::from(k % 5 == 0)
            }),
            (Some("s4"), _) => Value::Int(k % 4),
            _ => Value::Int((k * 53) % 900),
        };
        r.set(i, v);
    }
    balance_section_three(&mut r);
    r.fill_totals();
    let total = |ids: &[&str]| -> i64 { ids.iter().map(|id| r.value(id).and_then(|v| v.as_int()).unwrap()).sum() };
    let received = total(&["s3.new.total"]);
    let review = total(&["s4.review.total"]);
    let suits = total(&["s4.suit_direct.total", "s4.suit_after_review.total"]);
    r.texts = texts(edition, received, review, suits);
    r
}

/// Sets `s3.new` so that 一+二 = 三（七）+四 in every input column of section 三.
fn balance_section_three(r: &mut Report) {
    let t = r.template();
    let s3 = t.table("s3").unwrap();
    for (c, column) in s3.columns.iter().enumerate() {
        if column.computed {
            continue;
        }
        let cell = |row: &str| format!("{row}.{}", column.id);
        let results: i64 = s3
            .rows
            .iter()
            .filter(|row| !["s3.new", "s3.carried_in", "s3.handled_total", "s3.carried_out"].contains(&row.id))
            .map(|row| r.get(row.cells[c]).as_int().unwrap())
            .sum();
        let carried_out = r.value(&cell("s3.carried_out")).and_then(|v| v.as_int()).unwrap();
        // Carried in: a plausible share, never more than what was handled, so that 一 stays ≥ 0.
        let carried_in = (results + carried_out) / 4;
        assert!(r.set_by_id(&cell("s3.carried_in"), Value::Int(carried_in)));
        assert!(r.set_by_id(&cell("s3.new"), Value::Int(results + carried_out - carried_in)));
    }
}

/// The fixture texts; section 一 quotes the figures passed in.
fn texts(edition: Edition, received: i64, review: i64, suits: i64) -> Texts {
    let fee = match edition {
        Edition::E2019 => "本年度无其他需要报告的事项。",
        Edition::E2021 => "本年度未发出收费通知，未收取信息处理费。",
    };
    Texts {
        preamble: "本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为本年1月1日至12月31日。\n\
                   \n\
                   本报告电子版可在本县人民政府门户网站下载。如有疑问，请与县政务公开办公室联系。"
            .to_owned(),
        overview: format!(
            "（一）主动公开\n\
             \u{3000}\u{3000}全县围绕中心工作，及时公开政策文件和办事指南。\n\
             （二）依申请公开\n\
             \u{3000}\u{3000}本年度共收到政府信息公开申请{received}件，均在法定期限内答复。\n\
             （三）监督保障\n\
             \u{3000}\u{3000}本年度涉及政府信息公开的行政复议{review}件，行政诉讼{suits}件。"
        ),
        problems: "一是部分单位更新不够及时。\n二是解读材料形式较单一。下一步将加强培训和督查。".to_owned(),
        other: fee.to_owned(),
    }
}

/// The section-三 example of template.md (2021): the figures it shows, every other input cell 0, totals filled.
pub fn template_example_2021() -> Report {
    let mut r = Report::new(Edition::E2021, 2021, AGENCY);
    r.fill_blanks_with_zero();
    for (id, n) in [
        ("s3.new.natural", 73),
        ("s3.new.commercial", 2),
        ("s3.granted.natural", 18),
        ("s3.partial.natural", 11),
        ("s3.partial.commercial", 1),
        // Not shown in the example (it elides these rows): what makes 三（七） read 64 and 2.
        ("s3.unavailable.not_held.natural", 35),
        ("s3.unavailable.not_held.commercial", 1),
        ("s3.carried_out.natural", 9),
    ] {
        assert!(r.set_by_id(id, Value::Int(n)), "{id}");
    }
    r.fill_totals();
    r
}

// ---------------------------------------------------------------- generated reports (proptest)

/// A value of `kind`: sometimes blank, small and very large numbers, money with 4 places.
pub fn arb_value(kind: ValueKind) -> BoxedStrategy<Value> {
    let big = prop_oneof![0i64..20, 0i64..100_000, 0i64..1_000_000_000_000];
    match kind {
        ValueKind::Count => prop_oneof![1 => Just(Value::Blank), 6 => big.prop_map(Value::Int)].boxed(),
        ValueKind::Signed => {
            prop_oneof![1 => Just(Value::Blank), 6 => (-1_000_000i64..1_000_000).prop_map(Value::Int)].boxed()
        }
        ValueKind::Money => prop_oneof![
            1 => Just(Value::Blank),
            6 => (0i64..10_000_000_000_000).prop_map(|n| Value::Money(Decimal::new(n, 4)))
        ]
        .boxed(),
    }
}

/// Prose: Chinese words and punctuation, sometimes an indent; never a heading or a table line.
pub fn arb_paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "本局",
            "公开",
            "信息",
            "工作",
            "全年",
            "，",
            "。",
            "群众",
            "2021年",
            "（一）",
            "网站",
        ]),
        1..12,
    )
    .prop_map(|w| w.concat())
    .prop_flat_map(|p| prop_oneof![Just(p.clone()), Just(format!("　　{p}"))])
}

/// A free text of up to three paragraphs, one per line.
pub fn arb_text() -> impl Strategy<Value = String> {
    prop::collection::vec(arb_paragraph(), 0..4).prop_map(|v| v.join("\n"))
}

/// A report of either edition: any year of the edition, cells blank or filled (totals computed or not), texts
/// as the export writes them back (one paragraph per line).
pub fn arb_report() -> impl Strategy<Value = Report> {
    (
        prop::sample::select(Edition::ALL.to_vec()),
        prop::sample::select(vec!["某县人民政府", "青山区统计局", "某市2号办公室"]),
    )
        .prop_flat_map(|(e, agency)| {
            let t = e.template();
            let year = if e == Edition::E2019 { 2019..2021 } else { 2021..2031 };
            let cells: Vec<BoxedStrategy<Value>> = t.cells.iter().map(|c| arb_value(c.kind)).collect();
            (
                Just(e),
                Just(agency),
                year,
                cells,
                arb_text(),
                arb_text(),
                arb_text(),
                arb_text(),
                any::<bool>(),
            )
        })
        .prop_map(
            |(e, agency, year, cells, preamble, overview, problems, other, totals)| {
                let mut r = Report::new(e, year, agency);
                r.cells = cells;
                if totals {
                    r.fill_totals();
                }
                r.texts = Texts {
                    preamble,
                    overview,
                    problems,
                    other,
                };
                r
            },
        )
}
