//! Word export and import: golden files of the main part of both editions, every merged cell of every Word
//! table walked against the template's grid, the export → import round trip over generated reports of both
//! editions, caps against zip bombs, "never panics" on arbitrary and damaged files, and the command line.
//!
//! Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test docx`, then review the diff.

// Helpers of this test crate may unwrap too: a panic there is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use nianbao::export::docx::{document_xml, to_docx};
use nianbao::export::{CellRole, grid};
use nianbao::import::docx::{DocxError, import_docx, is_docx, read_docx};
use nianbao::import::import_text;
use nianbao::open::{self, FileKind};
use nianbao::template::{Edition, Table};
use proptest::prelude::*;
use quick_xml::events::Event;
use std::io::{Read, Write};
use std::path::PathBuf;

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the golden file, or rewrites it when `UPDATE_GOLDEN=1`.
fn check_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             (if the change is intended: UPDATE_GOLDEN=1 cargo test --test docx)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// The parts of a package, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// A package of the given parts (deflated), as a test builds hostile files.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn golden_document_xml_of_both_editions() {
    for e in Edition::ALL {
        let r = common::full_report(e);
        let xml = document_xml(&r);
        check_golden(&format!("report-{}.document.xml", e.id()), &xml);
        // The package carries exactly that main part, and is the same bytes every time (no timestamps).
        let bytes = to_docx(&r);
        assert_eq!(bytes, to_docx(&r));
        let parts = unzip(&bytes);
        let main = parts.iter().find(|(n, _)| n == "word/document.xml").unwrap();
        assert_eq!(main.1, xml.as_bytes());
        assert_eq!(parts[0].0, "[Content_Types].xml");
        for (name, data) in &parts {
            let text = std::str::from_utf8(data).unwrap();
            assert!(
                !text.contains("dcterms:created") && !text.contains("dcterms:modified"),
                "{name}"
            );
            well_formed(name, text);
        }
    }
}

/// Every part parses as XML to the end.
fn well_formed(name: &str, xml: &str) {
    let mut r = quick_xml::Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    loop {
        match r.read_event() {
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn official_layout_settings_are_in_the_package() {
    let bytes = to_docx(&common::full_report(Edition::E2021));
    let parts = unzip(&bytes);
    let part = |n: &str| String::from_utf8(parts.iter().find(|(name, _)| name == n).unwrap().1.clone()).unwrap();
    let doc = part("word/document.xml");
    // A4; margins 37 / 35 / 28 / 26 mm in twips.
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "page size");
    assert!(
        doc.contains("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""),
        "margins"
    );
    let styles = part("word/styles.xml");
    for (what, needle) in [
        ("title font", "w:eastAsia=\"方正小标宋简体\""),
        ("title 22 pt", "<w:sz w:val=\"44\"/>"),
        ("body font", "w:eastAsia=\"仿宋_GB2312\""),
        ("body 16 pt", "<w:sz w:val=\"32\"/>"),
        ("fixed line spacing", "<w:spacing w:line=\"579\" w:lineRule=\"exact\"/>"),
        ("two-character indent", "w:firstLineChars=\"200\""),
        ("heading font", "w:eastAsia=\"黑体\""),
        ("sub-heading font", "w:eastAsia=\"楷体_GB2312\""),
        ("table font", "w:eastAsia=\"宋体\""),
        ("table 10.5 pt", "<w:sz w:val=\"21\"/>"),
    ] {
        assert!(styles.contains(needle), "{what}: {needle}");
    }
    let fonts = part("word/fontTable.xml");
    for (font, fallback) in [
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "宋体"),
    ] {
        assert!(
            fonts.contains(&format!("<w:font w:name=\"{font}\"><w:altName w:val=\"{fallback}\"/>")),
            "{font}"
        );
    }
    let footer = part("word/footer1.xml");
    assert!(footer.contains("— </w:t>") && footer.contains(" PAGE ") && footer.contains(" —</w:t>"));
    // The 勾稽关系 note sits in its own cell of section 三's table.
    assert!(doc.contains(">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</w:t>"));
    // Sub-headings of the texts are set in 楷体, their paragraphs kept as written.
    assert!(doc.contains("<w:pStyle w:val=\"BodySub\"/></w:pPr><w:r><w:t xml:space=\"preserve\">（一）主动公开</w:t>"));
    assert!(doc.contains("<w:pStyle w:val=\"BodyIndented\"/></w:pPr><w:r><w:t xml:space=\"preserve\">　　全县"));
}

/// One `w:tc` of the written XML.
#[derive(Debug, Default, Clone)]
struct Tc {
    span: usize,
    /// `Some(true)`: `w:vMerge w:val="restart"`; `Some(false)`: a continuation.
    vmerge: Option<bool>,
    width: u32,
    style: String,
    text: String,
}

/// One `w:tbl`: its grid columns, its rows (each with `w:tblHeader` or not) and their cells.
#[derive(Debug, Default)]
struct Tbl {
    grid: Vec<u32>,
    rows: Vec<(bool, Vec<Tc>)>,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    })
}

/// The tables of a main part, walked independently of the library's reader.
fn tables_of(xml: &str) -> Vec<Tbl> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Tbl> = Vec::new();
    let mut tc: Option<Tc> = None;
    let mut in_t = false;
    loop {
        let ev = r.read_event().unwrap();
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let v = |n: &[u8]| attr(e, n);
                match e.name().as_ref() {
                    b"w:tbl" => out.push(Tbl::default()),
                    b"w:gridCol" => out.last_mut().unwrap().grid.push(v(b"w:w").unwrap().parse().unwrap()),
                    b"w:tr" => out.last_mut().unwrap().rows.push((false, Vec::new())),
                    b"w:tblHeader" => out.last_mut().unwrap().rows.last_mut().unwrap().0 = true,
                    b"w:tc" => {
                        tc = Some(Tc {
                            span: 1,
                            ..Tc::default()
                        });
                    }
                    b"w:tcW" => tc.as_mut().unwrap().width = v(b"w:w").unwrap().parse().unwrap(),
                    b"w:gridSpan" => tc.as_mut().unwrap().span = v(b"w:val").unwrap().parse().unwrap(),
                    b"w:vMerge" => tc.as_mut().unwrap().vmerge = Some(v(b"w:val").as_deref() == Some("restart")),
                    b"w:pStyle" if tc.is_some() => tc.as_mut().unwrap().style = v(b"w:val").unwrap(),
                    b"w:t" => in_t = matches!(ev, Event::Start(_)),
                    _ => {}
                }
            }
            Event::Text(t) if in_t => {
                if let Some(c) = tc.as_mut() {
                    c.text.push_str(&t.xml10_content().unwrap());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_t = false,
                b"w:tc" => {
                    let c = tc.take().unwrap();
                    out.last_mut().unwrap().rows.last_mut().unwrap().1.push(c);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A merged cell as (first line, first column, columns, lines, text).
type Merge = (usize, usize, usize, usize, String);

/// The cells of a written table, with the lines each covers (a restart plus the continuations below it).
fn merges_of(t: &Tbl) -> Vec<Merge> {
    let width: usize = t.grid.len();
    let mut positions: Vec<Vec<(usize, &Tc)>> = Vec::new();
    for (line, (_, cells)) in t.rows.iter().enumerate() {
        let mut col = 0;
        let mut row = Vec::new();
        for c in cells {
            row.push((col, c));
            col += c.span;
        }
        assert_eq!(col, width, "line {line} covers {col} of {width} grid columns");
        positions.push(row);
    }
    let mut out = Vec::new();
    for (line, row) in positions.iter().enumerate() {
        for &(col, c) in row {
            if c.vmerge == Some(false) {
                assert!(c.text.is_empty(), "a continuation carries no text");
                continue;
            }
            let mut lines = 1;
            if c.vmerge == Some(true) {
                while positions.get(line + lines).is_some_and(|below| {
                    below
                        .iter()
                        .any(|&(bc, b)| bc == col && b.span == c.span && b.vmerge == Some(false))
                }) {
                    lines += 1;
                }
                assert!(lines > 1, "a restart at line {line} col {col} with nothing below");
            }
            out.push((line, col, c.span, lines, c.text.clone()));
        }
    }
    out.sort();
    out
}

/// The cells the template's grid says, for the tables of one section stacked into one Word table: every
/// item, and a 1×1 empty cell for each position no item covers.
fn expected_merges(r: &nianbao::report::Report, tables: &[&Table]) -> (Vec<Merge>, usize) {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut head = 0;
    for (k, table) in tables.iter().enumerate() {
        let g = grid(r, table);
        if k == 0 {
            head = g.head_lines;
        }
        let mut covered = vec![vec![false; g.width]; g.lines];
        for it in &g.items {
            out.push((offset + it.row, it.col, it.colspan, it.rowspan, it.text.clone()));
            for line in covered.iter_mut().skip(it.row).take(it.rowspan) {
                for slot in line.iter_mut().skip(it.col).take(it.colspan) {
                    *slot = true;
                }
            }
        }
        for (line, row) in covered.iter().enumerate() {
            for (col, &c) in row.iter().enumerate() {
                if !c {
                    out.push((offset + line, col, 1, 1, String::new()));
                }
            }
        }
        offset += g.lines;
    }
    out.sort();
    (out, head)
}

#[test]
fn every_merged_cell_matches_the_template_grid() {
    for e in Edition::ALL {
        for r in [common::full_report(e), common::blank_report(e)] {
            let t = r.template();
            let written = tables_of(&document_xml(&r));
            let sections: Vec<Vec<&Table>> = t
                .sections
                .iter()
                .map(|s| s.tables.iter().map(|&i| &t.tables[i]).collect::<Vec<_>>())
                .filter(|v| !v.is_empty())
                .collect();
            assert_eq!(written.len(), sections.len(), "{e:?}: one Word table per table section");
            for (w, tables) in written.iter().zip(&sections) {
                let id = tables[0].id;
                let (expected, head) = expected_merges(&r, tables);
                assert_eq!(merges_of(w), expected, "{e:?} {id}");
                assert_eq!(w.grid.len(), tables[0].width, "{id}");
                // Header lines repeat on each page: exactly the leading caption/header lines.
                let flags: Vec<bool> = w.rows.iter().map(|(h, _)| *h).collect();
                assert_eq!(flags.iter().take_while(|h| **h).count(), head, "{id}");
                assert_eq!(flags.iter().filter(|h| **h).count(), head, "{id}");
                for (line, (_, cells)) in w.rows.iter().enumerate() {
                    let mut col = 0;
                    for c in cells {
                        let grid_width: u32 = w.grid[col..col + c.span].iter().sum();
                        assert_eq!(
                            c.width, grid_width,
                            "{id} line {line} col {col}: tcW is the spanned grid"
                        );
                        col += c.span;
                    }
                }
            }
        }
    }
}

#[test]
fn numbers_are_centred_blanks_empty_money_with_four_places() {
    for e in Edition::ALL {
        let r = common::full_report(e);
        let t = r.template();
        let written = tables_of(&document_xml(&r));
        let all: Vec<&Tc> = written
            .iter()
            .flat_map(|w| w.rows.iter().flat_map(|(_, c)| c))
            .collect();
        // Every value of the report appears, in a centred (TableText) cell, as the text export writes it.
        let mut values = Vec::new();
        for table in t.tables {
            for it in grid(&r, table)
                .items
                .into_iter()
                .filter(|it| it.role == CellRole::Value)
            {
                if !it.text.is_empty() {
                    values.push(it.text);
                }
            }
        }
        let numeric: Vec<&&Tc> = all
            .iter()
            .filter(|c| !c.text.is_empty() && c.text.chars().all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-'))
            .collect();
        assert_eq!(numeric.len(), values.len(), "{e:?}");
        assert!(numeric.iter().all(|c| c.style == "TableText"), "{e:?}");
        let money_cell = t
            .cells
            .iter()
            .position(|c| c.kind == nianbao::template::ValueKind::Money)
            .unwrap();
        let money = r.get(money_cell).display(nianbao::template::ValueKind::Money);
        assert_eq!(money.split('.').nth(1).map(str::len), Some(4));
        assert!(numeric.iter().any(|c| c.text == money), "{money}");

        // Blank cells are empty: a blank report's tables hold no number at all.
        let blank = tables_of(&document_xml(&common::blank_report(e)));
        let numbers = blank
            .iter()
            .flat_map(|w| w.rows.iter().flat_map(|(_, c)| c))
            .filter(|c| !c.text.is_empty() && c.text.chars().all(|ch| ch.is_ascii_digit() || ch == '.' || ch == '-'))
            .count();
        assert_eq!(numbers, 0, "{e:?}");
    }
}

#[test]
fn fixtures_read_back_like_their_text() {
    for e in Edition::ALL {
        for r in [common::full_report(e), common::blank_report(e)] {
            let via_text = import_text(&nianbao::export::text::to_text(&r)).unwrap();
            let via_docx = import_docx(&to_docx(&r)).unwrap();
            // The same doubts as the text (a blank 2019 report has some), from the same lines.
            assert_eq!(via_docx.doubts, via_text.doubts, "{e:?}");
            assert_eq!(via_docx.report, via_text.report, "{e:?}");
            let opened = open::open_bytes(&to_docx(&r)).unwrap();
            assert_eq!(opened.kind, FileKind::Word);
            assert_eq!(opened.report, via_text.report);
        }
    }
}

#[test]
fn zip_bombs_and_other_packages_are_refused() {
    // 65 MiB of zeros deflate to a few tens of KiB: refused by the inflated-size cap, not read whole.
    let zeros = vec![b' '; 65 * 1024 * 1024];
    let bomb = zip_of(&[("word/document.xml", &zeros)]);
    assert!(bomb.len() < 1024 * 1024);
    assert!(matches!(read_docx(&bomb), Err(DocxError::TooLarge(_))));
    // Too many entries.
    let names: Vec<String> = (0..10_001).map(|i| format!("x/{i}.xml")).collect();
    let mut parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    parts.push(("word/document.xml", b"<w:document/>"));
    assert!(matches!(read_docx(&zip_of(&parts)), Err(DocxError::TooLarge(_))));
    // A spreadsheet or plain zip is not a Word document; open says what it is.
    let xlsx = zip_of(&[("xl/workbook.xml", b"<workbook/>")]);
    assert!(!is_docx(&xlsx));
    assert!(matches!(read_docx(&xlsx), Err(DocxError::NoDocument)));
    let msg = open::open_bytes(&xlsx).map(|_| ()).unwrap_err().to_string();
    assert!(msg.contains("另存为纯文本"), "{msg}");
    // A Word document that is not a report.
    let letter = zip_of(&[(
        "word/document.xml",
        "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>会议通知</w:t></w:r></w:p></w:body></w:document>".as_bytes(),
    )]);
    let msg = open::open_bytes(&letter).map(|_| ()).unwrap_err().to_string();
    assert!(msg.contains("不是年度报告"), "{msg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn export_then_import_gives_back_the_report(r in common::arb_report()) {
        let back = import_docx(&to_docx(&r)).unwrap();
        prop_assert!(back.doubts.is_empty(), "{:#?}", back.doubts);
        prop_assert_eq!(back.report, r);
    }

    #[test]
    fn read_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000), zip_magic in any::<bool>()) {
        let mut bytes = bytes;
        if zip_magic {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let _ = is_docx(&bytes);
        if let Err(e) = read_docx(&bytes) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
        if let Err(e) = open::open_bytes(&bytes) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
    }

    #[test]
    fn read_never_panics_on_a_damaged_package(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>(), truncate in any::<bool>()) {
        let mut bytes = to_docx(&common::full_report(Edition::E2021));
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Err(e) = open::open_bytes(&bytes) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
    }

    #[test]
    fn read_never_panics_on_damaged_xml(cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), junk in "[<>/=\"&#;a-z:0-9 \\t一（）]{0,12}") {
        let xml = document_xml(&common::full_report(Edition::E2019));
        let mut s: String = xml.chars().take(cut.index(xml.chars().count() + 1)).collect();
        let n = s.chars().count();
        let byte = s.char_indices().nth(at.index(n + 1)).map_or(s.len(), |(i, _)| i);
        s.insert_str(byte, &junk);
        let bytes = zip_of(&[("word/document.xml", s.as_bytes())]);
        prop_assert!(is_docx(&bytes));
        if let Ok(blocks) = read_docx(&bytes) {
            for b in &blocks {
                if let nianbao::import::source::Block::Table(t) = b {
                    prop_assert_eq!(t.rows.len(), t.origin.len());
                    prop_assert!(t.rows.iter().zip(&t.origin).all(|(r, o)| r.len() == o.len()));
                }
            }
        }
        if let Err(e) = open::open_bytes(&bytes) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
    }
}

fn run_cli(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_exports_docx_to_a_file_and_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let r = common::full_report(Edition::E2021);
    let src = dir.path().join("r.nianbao");
    nianbao::project::save(&src, &r).unwrap();
    let src = src.to_string_lossy().into_owned();
    let out = dir.path().join("r.docx");
    let out_s = out.to_string_lossy().into_owned();

    // Binary: never to the terminal unless asked for with `-o -`.
    let (code, stdout, err) = run_cli(&["export", &src, "--format", "docx"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty() && err.contains("-o") && is_chinese(&err), "{err}");
    let (code, stdout, err) = run_cli(&["export", &src, "--format", "docx", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout, to_docx(&r));

    let (code, _, err) = run_cli(&["export", &src, "--format", "docx", "-o", &out_s]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), to_docx(&r));

    let (code, stdout, err) = run_cli(&["import", &out_s, "--json"]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(j["report"]["agency"], common::AGENCY);
    assert_eq!(
        j["report"]["cells"]["s3.new.total"],
        r.value("s3.new.total").unwrap().as_int().unwrap()
    );

    let (code, stdout, err) = run_cli(&["check", &out_s]);
    assert_eq!(code, 0, "{err}");
    assert!(String::from_utf8_lossy(&stdout).contains("从 Word 文档读取"));
}
