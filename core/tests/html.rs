//! The HTML reader never panics, whatever the page: any bytes, any string, and tag soup made of the elements
//! a report's page has (tables with odd spans, paragraphs, breaks, entities, unclosed and stray tags).
//! Where the `../shared` samples are there, their pages read as the reports they are.

#![allow(clippy::unwrap_used)]

use nianbao_core::import::html::{looks_like_html, read_html};
use nianbao_core::import::{decode, docx::blocks_to_text, import_text};
use nianbao_core::report::Value;
use proptest::prelude::*;

/// Tag soup: table and paragraph markup, spans (some huge or odd), entities, CJK and ASCII text, line ends.
fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "<table>",
            "</table>",
            "<tr>",
            "</tr>",
            "<td>",
            "</td>",
            "<th>",
            "<tbody>",
            "<thead>",
            "<caption>",
            "<p>",
            "</p>",
            "<br>",
            "<div>",
            "</div>",
            "<span>",
            "</span>",
            "<o:p></o:p>",
            "<pre>",
            "</pre>",
            "<script>",
            "</script>",
            "<style>",
            "<html>",
            "<body>",
            "<svg>",
            "<template>",
            "<li>",
            "<font>",
            "&nbsp;",
            "&lt;",
            "&amp",
            "&#x4E2D;",
            "&#0;",
            "&#99999999;",
            "\n",
            " ",
            "\t",
            "\r",
            "\u{a0}",
            "规章",
            "一、总体情况",
            "二、主动公开政府信息情况",
            "12",
            "0",
            "年",
            "中\n文",
            "<",
            ">",
            "&",
            "\"",
            "'",
        ])
        .prop_map(str::to_owned),
        (
            prop::sample::select(vec!["td", "th"]),
            prop::sample::select(vec!["colspan", "rowspan"]),
            prop::sample::select(vec![
                "0",
                "1",
                "2",
                "3",
                "-1",
                "+2",
                "99999999999",
                "300",
                "x",
                " 4 ",
                ""
            ]),
        )
            .prop_map(|(t, a, v)| format!("<{t} {a}=\"{v}\">")),
        "[a-z0-9 ]{0,6}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn read_never_panics_on_tag_soup(s in soup()) {
        let _ = looks_like_html(&s);
        if let Ok(blocks) = read_html(&s) {
            let _ = blocks_to_text(&blocks);
        }
        let _ = import_text(&s);
    }

    #[test]
    fn read_never_panics_on_any_string(s in any::<String>()) {
        let _ = read_html(&s);
        let _ = import_text(&format!("<table>{s}"));
    }

    #[test]
    fn read_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let text = decode(&bytes);
        let _ = read_html(&text);
        let _ = import_text(&format!("<td>{text}"));
    }

    #[test]
    fn every_grid_is_full_and_each_cell_has_one_origin(s in soup()) {
        if let Ok(blocks) = read_html(&s) {
            for b in &blocks {
                if let nianbao_core::import::source::Block::Table(t) = b {
                    let width = t.rows.first().map_or(0, Vec::len);
                    prop_assert!(t.rows.iter().all(|r| r.len() == width));
                    prop_assert_eq!(t.rows.len(), t.origin.len());
                    prop_assert!(t.origin.iter().zip(&t.rows).all(|(o, r)| o.len() == r.len()));
                }
            }
        }
    }
}

/// The three saved pages of `../shared/samples`, when they are there: title, edition and every section-三 total
/// as `expected.json` has them (the full score is `import-score`'s).
#[test]
fn the_sample_pages_read_as_their_reports() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples");
    let Ok(expected) = std::fs::read_to_string(dir.join("expected.json")) else {
        return;
    };
    let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
    for (stem, agency) in [
        ("jiaozuo-city-2020", "焦作市人民政府"),
        ("huixian-city-2021", "辉县市人民政府"),
        ("zhengzhou-erqi-stats-2020", "郑州市二七区统计局"),
    ] {
        let Ok(bytes) = std::fs::read(dir.join(format!("{stem}.html"))) else {
            continue;
        };
        let imported = import_text(&decode(&bytes)).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let r = &imported.report;
        assert_eq!(r.agency, agency, "{stem}");
        assert!(imported.doubts.is_empty(), "{stem}: {:#?}", imported.doubts);
        let want = &expected[stem];
        assert_eq!(r.edition.id(), want["edition"].to_string(), "{stem}");
        assert!(!r.texts.overview.is_empty(), "{stem}");
        // Row 一 (new requests) of section 三, all seven columns.
        let cols = [
            "natural",
            "commercial",
            "research",
            "nonprofit",
            "legal",
            "other_org",
            "total",
        ];
        for (k, col) in cols.iter().enumerate() {
            let n = want["t3"]["一"][k].as_i64().unwrap();
            assert_eq!(r.value(&format!("s3.new.{col}")), Some(Value::Int(n)), "{stem} {col}");
        }
    }
}
