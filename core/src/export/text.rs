//! Plain text in the official layout (template.md, "The plain-text layout"): what agencies paste into their
//! websites' CMS. Title, preamble, the six headings each followed by its text or its tables, one empty line
//! between blocks; tables as TAB-separated lines on the official grid.

use super::{Grid, grid, paragraphs};
use crate::report::Report;

/// Line ends of the written text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineEnd {
    /// `\n` (default).
    #[default]
    Lf,
    /// `\r\n` (Windows Notepad, older CMSs).
    CrLf,
}

/// Character encoding of the written text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 (default).
    #[default]
    Utf8,
    /// GB18030 (a superset of GBK; what older Windows tools and CMSs expect).
    Gb18030,
}

/// The report as plain text with LF line ends (UTF-8 `String`); see [`encode`] for bytes.
pub fn to_text(report: &Report) -> String {
    let t = report.template();
    let mut blocks: Vec<String> = vec![report.display_title()];
    blocks.extend(paragraphs(&report.texts.preamble).map(str::to_owned));
    for section in t.sections {
        blocks.push(section.heading.to_owned());
        if let Some(id) = section.text {
            blocks.extend(paragraphs(report.texts.get(id)).map(str::to_owned));
        }
        // The blocks of a section (the four or five of section 二) are one table in Word: no empty line between.
        let lines: Vec<String> = section
            .tables
            .iter()
            .filter_map(|&ti| t.tables.get(ti))
            .flat_map(|table| grid_lines(&grid(report, table)))
            .collect();
        if !lines.is_empty() {
            blocks.push(lines.join("\n"));
        }
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// A laid-out table as TAB-separated lines of exactly `width` fields each.
pub fn grid_lines(g: &Grid) -> Vec<String> {
    g.fields().into_iter().map(|line| line.join("\t")).collect()
}

/// The bytes to write: `text` (LF line ends) with the chosen line ends, in the chosen encoding.
///
/// GB18030 can encode every Unicode character, so nothing is lost or replaced.
pub fn encode(text: &str, encoding: Encoding, line_end: LineEnd) -> Vec<u8> {
    let text = match line_end {
        LineEnd::Lf => text.replace("\r\n", "\n"),
        // Normalise first so that a CRLF already in the text does not become CR CR LF.
        LineEnd::CrLf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
    };
    match encoding {
        Encoding::Utf8 => text.into_bytes(),
        Encoding::Gb18030 => encoding_rs::GB18030.encode(&text).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_table() {
        let cases: &[(&str, Encoding, LineEnd, &[u8])] = &[
            ("a\nb\n", Encoding::Utf8, LineEnd::Lf, b"a\nb\n"),
            ("a\nb\n", Encoding::Utf8, LineEnd::CrLf, b"a\r\nb\r\n"),
            ("a\r\nb\n", Encoding::Utf8, LineEnd::CrLf, b"a\r\nb\r\n"),
            ("a\r\nb", Encoding::Utf8, LineEnd::Lf, b"a\nb"),
            ("中\n", Encoding::Gb18030, LineEnd::CrLf, &[0xD6, 0xD0, b'\r', b'\n']),
            ("中", Encoding::Utf8, LineEnd::Lf, "中".as_bytes()),
        ];
        for (text, enc, le, want) in cases {
            assert_eq!(encode(text, *enc, *le), *want, "{text:?} {enc:?} {le:?}");
        }
    }

    #[test]
    fn gb18030_encodes_characters_outside_gbk() {
        // An emoji and a CJK extension B character: four-byte GB18030 sequences, not replacement marks.
        let s = "😀𠀀€";
        let bytes = encode(s, Encoding::Gb18030, LineEnd::Lf);
        let (back, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
        assert!(!had_errors);
        assert_eq!(back, s);
        assert!(!bytes.contains(&b'?'));
    }
}
