//! PDF import: text from PDFs made here (so the tests run without `../shared`), the real 洪泽 PDFs in
//! `../shared/samples` when present, and "never panics" on arbitrary bytes behind a PDF header, on damaged
//! copies of a made PDF and on truncated copies of the real ones.
//!
//! The number of property-test cases comes from `NIANBAO_FUZZ_CASES` (default 64), as in `hostile.rs`.

// Tests may unwrap (house rule); this covers the helpers too, not only the #[test] functions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use nianbao::import::pdf::{PdfError, is_pdf, pdf_text};
use nianbao::import::{FileError, import_bytes};
use nianbao::open;
use nianbao::report::Value;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Property-test cases per test.
fn cases() -> u32 {
    std::env::var("NIANBAO_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

/// Whether a message is written for a Chinese clerk (has at least one CJK ideograph).
fn is_chinese(msg: &str) -> bool {
    msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A PDF with one page per entry of `pages`, each line of a page drawn in Helvetica 12 pt, 20 pt apart from
/// the top; the cross-reference table has the real offsets.
fn make_pdf(pages: &[&[&str]]) -> Vec<u8> {
    let n = pages.len();
    // Objects: 1 catalog, 2 page tree, 3 font, then per page: page, contents.
    let mut objects: Vec<String> = Vec::new();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_owned());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned());
    for (i, lines) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 12 Tf\n");
        for (k, line) in lines.iter().enumerate() {
            let escaped = line.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
            writeln!(content, "1 0 0 1 72 {} Tm ({escaped}) Tj", 760 - 20 * k).unwrap();
        }
        content.push_str("ET\n");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> \
             /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn text_of_a_made_pdf_keeps_lines_and_marks_pages() {
    let pdf = make_pdf(&[&["First line 2023", "Second line"], &["Third line"]]);
    assert!(is_pdf(&pdf));
    let got = pdf_text(&pdf).unwrap();
    assert_eq!(got.stopped_at, None);
    let lines: Vec<&str> = got
        .text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines,
        ["First line 2023", "Second line", "Third line"],
        "{:?}",
        got.text
    );
    // The second page starts with a form feed, as pdftotext writes it.
    let ff = got.text.find('\u{c}').expect("a page break");
    assert!(ff > got.text.find("Second line").unwrap() && ff < got.text.find("Third line").unwrap());
}

#[test]
fn a_pdf_that_is_not_a_report_is_refused_in_chinese() {
    let pdf = make_pdf(&[&["Hello world", "Nothing to see here"]]);
    let err = import_bytes(&pdf).unwrap_err();
    assert!(matches!(err, FileError::Pdf(PdfError::NotAReport(_))), "{err:?}");
    let msg = open::open_bytes(&pdf).map(|_| ()).unwrap_err().to_string();
    assert!(msg.contains("不是年度报告"), "{msg}");
}

#[test]
fn a_pdf_with_too_many_pages_is_refused() {
    let pages: Vec<&[&str]> = vec![&["x"]; 2001];
    assert_eq!(pdf_text(&make_pdf(&pages)).unwrap_err(), PdfError::TooLarge);
    let pages: Vec<&[&str]> = vec![&["x"]; 30];
    assert!(pdf_text(&make_pdf(&pages)).is_ok());
}

#[test]
fn a_pdf_without_text_says_so() {
    let pdf = make_pdf(&[&[]]);
    assert_eq!(pdf_text(&pdf).unwrap_err(), PdfError::NoText);
    let msg = open::open_bytes(&pdf).map(|_| ()).unwrap_err().to_string();
    assert!(msg.contains("扫描件"), "{msg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn bytes_behind_a_pdf_header_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let bytes = [b"%PDF-1.4\n".as_slice(), &tail].concat();
        if let Err(e) = open::open_bytes(&bytes) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
        if let Err(e) = import_bytes(&bytes) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
    }

    #[test]
    fn damaged_copies_of_a_pdf_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut pdf = make_pdf(&[&["Some text 1", "2 3 4"], &["More text"]]);
        for (at, byte) in edits {
            let i = at.index(pdf.len());
            pdf[i] = byte;
        }
        let keep = pdf.len() / 2 + cut.index(pdf.len() / 2 + 1);
        pdf.truncate(keep);
        if let Err(e) = open::open_bytes(&pdf) {
            prop_assert!(is_chinese(&e.to_string()), "{e:?}");
        }
    }
}

/// The real 洪泽 PDFs beside the repository (absent on some machines: the tests that need them skip).
fn real_pdfs() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut v: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    v.sort();
    v
}

#[test]
fn real_pdfs_import_with_title_and_the_expected_numbers() {
    let pdfs = real_pdfs();
    if pdfs.is_empty() {
        eprintln!("../shared/samples has no PDF here; skipped");
        return;
    }
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/expected.json"))
            .unwrap(),
    )
    .unwrap();
    for (stem, path) in pdfs {
        let bytes = std::fs::read(&path).unwrap();
        let opened = open::open_bytes(&bytes).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let r = &opened.report;
        let year: i32 = stem.rsplit('-').next().unwrap().parse().unwrap();
        assert_eq!(r.year, year, "{stem}");
        assert!(
            r.agency.ends_with("人民政府") && r.agency.contains("洪泽区"),
            "{stem}: {}",
            r.agency
        );
        // Every number of the rows 一 and （七） of section 三, as published.
        let want = &expected[&stem]["t3"];
        for (key, row) in [("一", "new"), ("（七）", "handled_total")] {
            for (k, col) in [
                "natural",
                "commercial",
                "research",
                "nonprofit",
                "legal",
                "other_org",
                "total",
            ]
            .iter()
            .enumerate()
            {
                let id = format!("s3.{row}.{col}");
                let got = match r.value(&id).unwrap() {
                    Value::Int(n) => Some(n),
                    _ => None,
                };
                assert_eq!(got, want[key][k].as_i64(), "{stem}: {id}");
            }
        }
        // Texts without page furniture.
        for text in [&r.texts.preamble, &r.texts.overview, &r.texts.problems, &r.texts.other] {
            assert!(!text.is_empty(), "{stem}");
            assert!(!text.contains('\u{c}'), "{stem}: {text:?}");
            for line in text.lines() {
                let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
                let page_number = t.starts_with('-') && t.ends_with('-') && t.len() < 8;
                assert!(!page_number, "{stem}: page number left in {line:?}");
            }
        }
    }
}

#[test]
fn truncated_real_pdfs_never_panic() {
    let pdfs = real_pdfs();
    if pdfs.is_empty() {
        eprintln!("../shared/samples has no PDF here; skipped");
        return;
    }
    for (stem, path) in pdfs {
        let bytes = std::fs::read(&path).unwrap();
        let step = (bytes.len() / 24).max(1);
        let cuts = (0..bytes.len()).step_by(step).chain([1, 5, 9, 64, bytes.len() - 1]);
        for cut in cuts {
            if let Err(e) = open::open_bytes(&bytes[..cut]) {
                assert!(is_chinese(&e.to_string()), "{stem} cut at {cut}: {e:?}");
            }
        }
    }
}

#[test]
fn the_command_line_reads_a_pdf() {
    let Some((stem, path)) = real_pdfs().into_iter().next() else {
        eprintln!("../shared/samples has no PDF here; skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Decided by content: the name says nothing.
    let renamed = dir.path().join("报告.dat");
    std::fs::copy(&path, &renamed).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["import", renamed.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{stem}: {out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["report"]["agency"].as_str().unwrap().contains("洪泽区"), "{v}");
    for cmd in ["check", "export"] {
        let args: Vec<&str> = if cmd == "export" {
            vec![cmd, renamed.to_str().unwrap(), "--format", "json"]
        } else {
            vec![cmd, renamed.to_str().unwrap()]
        };
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(&args)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains("无法读取") && out.status.code() != Some(2),
            "{cmd}: {all}"
        );
        // check reports on the cells (the 2023 report's section 四 totals are printed wrong); export writes
        // the report with its agency.
        let want = if cmd == "check" { "错误" } else { "洪泽区" };
        assert!(all.contains(want), "{cmd}: {all}");
        if cmd == "check" {
            assert!(all.contains("（从 PDF 读取"), "check names the kind of file: {all}");
        }
    }
}

#[test]
fn a_panic_in_the_pdf_reader_is_contained() {
    // The page names a font object that is not there: pdf-extract 0.12 panics on it (`expect("Font")`); should
    // a later version refuse it without panicking, pick another crasher (the proptests above find many).
    let pdf = make_pdf(&[&["Some text"]]);
    let pdf = String::from_utf8(pdf)
        .unwrap()
        .replace("3 0 obj\n", "3 0Zobj\n")
        .into_bytes();
    let err = pdf_text(&pdf).unwrap_err();
    assert_eq!(err, PdfError::Crashed);
    let msg = open::open_bytes(&pdf).map(|_| ()).unwrap_err().to_string();
    assert!(msg.starts_with("无法读取 PDF："), "{msg}");
    // The program goes on: the next PDF reads.
    assert!(pdf_text(&make_pdf(&[&["Again"]])).unwrap().text.contains("Again"));
}
