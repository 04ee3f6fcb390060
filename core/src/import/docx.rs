//! Word documents (`.docx`): the package's main part read into [`Block`]s (paragraphs and tables with their
//! merges expanded), and those blocks written as the official plain-text layout that [`super::import_text`]
//! reads (its plain-text reader: a document's text is never markup). A document exported by nianbao reads
//! back as the same report; other agencies' Word layouts reach the importer through the same blocks.
//!
//! Hostile files are expected: the package is size- and entry-capped before anything is inflated (zip
//! bombs), the XML is read as a stream (no recursion), and merged cells are expanded only within a budget.

use super::source::{Block, Table};
use super::{ImportError, Imported, read_text};
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// The main part of a Word document.
const DOCUMENT_PART: &str = "word/document.xml";
/// Most entries a package may list (a Word document has a dozen or two; thousands mean something else).
const MAX_ENTRIES: usize = 10_000;
/// Largest main part, inflated.
const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;
/// Widest table, in grid columns (Word itself allows 63).
const MAX_COLUMNS: usize = 256;
/// Most rows of one table.
const MAX_ROWS: usize = 20_000;
/// Most bytes of cell text after merged cells have been copied into every slot they cover, per document.
const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// Why a file could not be read as a Word document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// Not a readable zip package.
    #[error("文件已损坏，不是完整的 Word 文档（.docx）")]
    NotAPackage,
    /// A zip package without a Word main part (an Excel or other Office file, or a plain zip).
    #[error("压缩包中没有 Word 文档正文（word/document.xml），不是 Word 文档")]
    NoDocument,
    /// Over one of the caps (entries, inflated size, table size).
    #[error("Word 文档过大或结构异常（{0}），为安全起见不予读取")]
    TooLarge(&'static str),
    /// The main part is not well-formed XML.
    #[error("Word 文档正文已损坏（第{0}字节处无法读取）")]
    BadXml(u64),
    /// The document reads, but is not an annual report.
    #[error("{0}")]
    NotAReport(#[from] ImportError),
}

/// Whether `bytes` are a Word document: a zip package that holds `word/document.xml` (decided by the
/// content, not by a file name).
pub fn is_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .is_ok_and(|mut a| a.len() <= MAX_ENTRIES && a.by_name(DOCUMENT_PART).is_ok())
}

/// Reads a Word document into its blocks, in document order.
pub fn read_docx(bytes: &[u8]) -> Result<Vec<Block>, DocxError> {
    let xml = document_part(bytes)?;
    parse_document(&xml)
}

/// Reads a Word document as a report: its blocks as the official text ([`blocks_to_text`]), imported.
pub fn import_docx(bytes: &[u8]) -> Result<Imported, DocxError> {
    let blocks = read_docx(bytes)?;
    Ok(read_text(&blocks_to_text(&blocks))?)
}

/// The blocks as the official plain-text layout (template.md): one paragraph per line, each table as
/// TAB-separated lines on its grid (a merged cell's text in its top-left slot only, empty fields for the slots
/// it covers), one empty line between blocks.
pub fn blocks_to_text(blocks: &[Block]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(p) => {
                parts.extend(
                    p.lines()
                        .map(str::trim_end)
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_owned),
                );
            }
            Block::Table(t) => {
                let lines: Vec<String> = t
                    .rows
                    .iter()
                    .zip(&t.origin)
                    .map(|(row, origin)| {
                        row.iter()
                            .zip(origin)
                            .map(|(text, &o)| if o { field(text) } else { String::new() })
                            .collect::<Vec<_>>()
                            .join("\t")
                    })
                    // Rows of blanks stay: a blank report's value line is one (section 四 of a blank report).
                    .collect();
                if !lines.is_empty() {
                    parts.push(lines.join("\n"));
                }
            }
        }
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// A cell's text as one field: its paragraphs and line breaks joined by spaces, TABs too, trimmed.
fn field(text: &str) -> String {
    text.split(['\n', '\r', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The inflated main part, within the caps.
fn document_part(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| DocxError::NotAPackage)?;
    if archive.len() > MAX_ENTRIES {
        return Err(DocxError::TooLarge("压缩包中的文件过多"));
    }
    let file = archive.by_name(DOCUMENT_PART).map_err(|e| match e {
        zip::result::ZipError::FileNotFound => DocxError::NoDocument,
        _ => DocxError::NotAPackage,
    })?;
    if file.size() > MAX_DOCUMENT_BYTES {
        return Err(DocxError::TooLarge("正文解压后超过 64 MB"));
    }
    // The declared size may lie: read at most one byte past the cap.
    let mut data = Vec::new();
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|_| DocxError::NotAPackage)?;
    if data.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(DocxError::TooLarge("正文解压后超过 64 MB"));
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
    String::from_utf8(data.to_vec()).map_err(|e| DocxError::BadXml(e.utf8_error().valid_up_to() as u64))
}

/// How a cell joins the cell above it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A `w:tc` as written: its text, grid columns and merges.
struct CellSrc {
    text: String,
    span: usize,
    vmerge: VMerge,
    hmerge_continue: bool,
}

/// A `w:tr` as written.
#[derive(Default)]
struct RowSrc {
    before: usize,
    cells: Vec<CellSrc>,
}

/// Elements whose content is not the document's text: properties (their `w:tab` are tab stops, not TABs),
/// revisions' old state, deleted and moved-away text, field codes, drawings and their text boxes (which hold
/// paragraphs of their own), and the fallback copy of alternate content.
const SKIPPED: &[&[u8]] = &[
    b"pPr",
    b"rPr",
    b"tblPr",
    b"tblGrid",
    b"sectPr",
    b"pPrChange",
    b"rPrChange",
    b"tcPrChange",
    b"trPrChange",
    b"tblPrChange",
    b"del",
    b"delText",
    b"moveFrom",
    b"instrText",
    b"delInstrText",
    b"drawing",
    b"pict",
    b"object",
    b"Fallback",
    b"footnoteReference",
    b"endnoteReference",
    b"commentReference",
];

/// The reader's state while walking the main part.
#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    /// Depth of `w:tbl` elements we are in; only the outermost table keeps its structure, nested tables' text
    /// goes into the outer cell.
    tables: usize,
    rows: Vec<RowSrc>,
    cell: Option<CellSrc>,
    /// Depth of `w:p` (a paragraph inside a paragraph only happens through text boxes, which are skipped, but
    /// a broken file may nest them).
    paragraphs: usize,
    paragraph: String,
    in_text: bool,
    expanded: usize,
}

impl Walker {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), DocxError> {
        let name = e.local_name();
        match name.as_ref() {
            b"p" => {
                self.paragraphs += 1;
                if empty {
                    self.end(b"p")?;
                }
            }
            b"t" => self.in_text = !empty,
            b"tab" | b"ptab" if self.paragraphs > 0 => self.paragraph.push('\t'),
            b"br" | b"cr" if self.paragraphs > 0 => self.paragraph.push('\n'),
            b"noBreakHyphen" if self.paragraphs > 0 => self.paragraph.push('-'),
            b"tbl" => {
                self.tables += 1;
                if self.tables == 1 {
                    self.rows.clear();
                }
                if empty {
                    self.end(b"tbl")?;
                }
            }
            b"tr" if self.tables == 1 => {
                if self.rows.len() >= MAX_ROWS {
                    return Err(DocxError::TooLarge("表格行数过多"));
                }
                self.rows.push(RowSrc::default());
            }
            b"tc" if self.tables == 1 => {
                self.cell = Some(CellSrc {
                    text: String::new(),
                    span: 1,
                    vmerge: VMerge::None,
                    hmerge_continue: false,
                });
                if empty {
                    self.end(b"tc")?;
                }
            }
            b"gridSpan" if self.tables == 1 => {
                if let Some(c) = self.cell.as_mut() {
                    c.span = number(e).unwrap_or(1).clamp(1, MAX_COLUMNS);
                }
            }
            b"vMerge" if self.tables == 1 => {
                if let Some(c) = self.cell.as_mut() {
                    c.vmerge = if val(e).as_deref() == Some("restart") {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            b"hMerge" if self.tables == 1 => {
                if let Some(c) = self.cell.as_mut() {
                    c.hmerge_continue = val(e).as_deref() != Some("restart");
                }
            }
            b"gridBefore" if self.tables == 1 && self.cell.is_none() => {
                if let Some(r) = self.rows.last_mut() {
                    r.before = number(e).unwrap_or(0).min(MAX_COLUMNS);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), DocxError> {
        match name {
            b"t" => self.in_text = false,
            b"p" if self.paragraphs > 0 => {
                self.paragraphs -= 1;
                if self.paragraphs == 0 {
                    let text = std::mem::take(&mut self.paragraph);
                    if self.tables == 0 {
                        self.blocks.push(Block::Paragraph(text));
                    } else if let Some(c) = self.cell.as_mut() {
                        if !c.text.is_empty() && !text.is_empty() {
                            c.text.push('\n');
                        }
                        c.text.push_str(&text);
                    }
                }
            }
            b"tc" if self.tables == 1 => {
                if let (Some(c), Some(r)) = (self.cell.take(), self.rows.last_mut()) {
                    r.cells.push(c);
                }
            }
            b"tbl" if self.tables > 0 => {
                self.tables -= 1;
                if self.tables == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    let table = expand(&rows, &mut self.expanded)?;
                    self.blocks.push(Block::Table(table));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, s: &str) {
        if self.in_text && self.paragraphs > 0 {
            self.paragraph.push_str(s);
        }
    }
}

/// The `w:val` attribute.
fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == b"val")
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
}

/// The `w:val` attribute as a count.
fn number(e: &BytesStart<'_>) -> Option<usize> {
    val(e)?.trim().parse().ok()
}

/// Walks the main part's XML into blocks.
fn parse_document(xml: &str) -> Result<Vec<Block>, DocxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut w = Walker::default();
    // Depth inside a skipped element (0: not skipping), and that element's name.
    let mut skip: Option<(Vec<u8>, usize)> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|_| DocxError::BadXml(at))?;
        if let Some((name, depth)) = skip.as_mut() {
            match &event {
                Event::Start(e) if e.local_name().as_ref() == name.as_slice() => *depth += 1,
                Event::End(e) if e.local_name().as_ref() == name.as_slice() => {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                if SKIPPED.contains(&local.as_ref()) {
                    skip = Some((local.as_ref().to_vec(), 1));
                } else {
                    w.start(&e, false)?;
                }
            }
            Event::Empty(e) if !SKIPPED.contains(&e.local_name().as_ref()) => w.start(&e, true)?,
            Event::End(e) => w.end(e.local_name().as_ref())?,
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|_| DocxError::BadXml(at))?;
                w.text(&s);
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|_| DocxError::BadXml(at))?;
                w.text(&s);
            }
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|_| DocxError::BadXml(at))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or(DocxError::BadXml(at))?
                            .to_owned()
                    }
                    Err(_) => return Err(DocxError::BadXml(at)),
                };
                w.text(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if w.tables > 0 {
        // A table left open at the end of a truncated file: keep what it had.
        let rows = std::mem::take(&mut w.rows);
        let table = expand(&rows, &mut w.expanded)?;
        w.blocks.push(Block::Table(table));
    }
    Ok(w.blocks)
}

/// The full grid of a table: every slot gets the text of the cell covering it; `w:vMerge` continuations join
/// the cell above, `w:hMerge` continuations the cell to the left. `expanded` counts the bytes copied so far in
/// this document, against [`MAX_EXPANDED_BYTES`].
fn expand(rows: &[RowSrc], expanded: &mut usize) -> Result<Table, DocxError> {
    let width = rows
        .iter()
        .map(|r| r.before + r.cells.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0);
    if width > MAX_COLUMNS {
        return Err(DocxError::TooLarge("表格列数过多"));
    }
    // owner[r][c]: index into `texts` of the cell covering the slot; origins: where each cell starts.
    let mut owner: Vec<Vec<Option<usize>>> = Vec::with_capacity(rows.len());
    let mut texts: Vec<String> = Vec::new();
    let mut origins: Vec<(usize, usize)> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line = vec![None; width];
        let mut c = row.before;
        for cell in &row.cells {
            let above = (r > 0).then(|| owner[r - 1].get(c).copied().flatten()).flatten();
            let left = (c > 0).then(|| line.get(c - 1).copied().flatten()).flatten();
            let joined = match (cell.vmerge, cell.hmerge_continue) {
                (VMerge::Continue, _) => above,
                (_, true) => left,
                _ => None,
            };
            let id = if let Some(id) = joined {
                // Text in a continuation (Word shows it in the merged cell): keep it, after the cell's own.
                if !cell.text.is_empty() {
                    let t: &mut String = &mut texts[id];
                    if !t.is_empty() {
                        t.push('\n');
                    }
                    t.push_str(&cell.text);
                }
                id
            } else {
                texts.push(cell.text.clone());
                origins.push((r, c));
                texts.len() - 1
            };
            for slot in line.iter_mut().skip(c).take(cell.span) {
                *slot = Some(id);
            }
            c += cell.span;
        }
        owner.push(line);
    }
    let mut table = Table {
        rows: Vec::with_capacity(rows.len()),
        origin: Vec::with_capacity(rows.len()),
    };
    for (r, line) in owner.iter().enumerate() {
        let mut texts_row = Vec::with_capacity(width);
        let mut origin_row = Vec::with_capacity(width);
        for (c, slot) in line.iter().enumerate() {
            let text = slot.map_or(String::new(), |id| texts[id].clone());
            *expanded += text.len() + 1;
            if *expanded > MAX_EXPANDED_BYTES {
                return Err(DocxError::TooLarge("合并单元格展开后过大"));
            }
            texts_row.push(text);
            origin_row.push(slot.is_some_and(|id| origins[id] == (r, c)));
        }
        table.rows.push(texts_row);
        table.origin.push(origin_row);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(inner: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body>{inner}</w:body></w:document>"
        )
    }

    #[test]
    fn paragraphs_runs_breaks_and_skipped_parts() {
        let xml = body(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr>\
             <w:r><w:t>一、</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">总体 &amp; 情况</w:t></w:r>\
             <w:r><w:tab/><w:t>x</w:t><w:br/><w:t>&#x4E2D;</w:t></w:r>\
             <w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>\
             <w:p/>",
        );
        let blocks = parse_document(&xml).unwrap();
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph("一、总体 & 情况\tx\n中".into()),
                Block::Paragraph(String::new())
            ]
        );
    }

    #[test]
    fn merges_are_expanded_with_origins() {
        // | A (2 wide, 2 high) | B |
        // | (A continued)      | C |
        let xml = body(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
             <w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/><w:vMerge/></w:tcPr><w:p/></w:tc>\
             <w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p><w:p><w:r><w:t>D</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        let blocks = parse_document(&xml).unwrap();
        let Block::Table(t) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.rows, vec![vec!["A", "A", "B"], vec!["A", "A", "C\nD"]]);
        assert_eq!(t.origin, vec![vec![true, false, true], vec![false, false, true]]);
        assert_eq!(blocks_to_text(&blocks), "A\t\tB\n\t\tC D\n");
    }

    #[test]
    fn broken_input_is_an_error_not_a_panic() {
        let cases: &[&[u8]] = &[
            b"",
            b"PK\x03\x04",
            b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
            b"not a zip",
        ];
        for bytes in cases {
            assert!(read_docx(bytes).is_err());
            assert!(!is_docx(bytes));
        }
        assert!(matches!(parse_document("<w:p><w:t>a</w:x>"), Err(DocxError::BadXml(_))));
    }
}
