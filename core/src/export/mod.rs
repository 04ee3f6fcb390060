//! Export of a report: plain text in the official layout, JSON, HTML, a Word document.
//!
//! Text and HTML lay out each table the same way, from the template's grid ([`grid`]): a caption line spanning
//! the width, the header lines with their merged cells, then the data lines (row labels with their merges, and
//! the values at [`Table::value_position`]). Nothing here names a label or a cell id.

pub mod docx;
pub mod html;
pub mod json;
pub mod text;

use crate::report::Report;
use crate::template::Table;
use text::{Encoding, LineEnd};

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text in the official layout.
    #[default]
    Text,
    /// One printable HTML page.
    Html,
    /// The JSON object of `interfaces.md`.
    Json,
    /// A Word document in the official layout.
    Docx,
}

impl Format {
    /// Every format, in the order the window offers them.
    pub const ALL: [Format; 4] = [Format::Text, Format::Html, Format::Json, Format::Docx];

    /// File extension, without dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Html => "html",
            Format::Json => "json",
            Format::Docx => "docx",
        }
    }

    /// Chinese name for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "文本",
            Format::Html => "网页",
            Format::Json => "JSON",
            Format::Docx => "Word 文档",
        }
    }
}

/// Format, encoding and line ends: what the export window and `nianbao export` let one choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Options {
    /// The format.
    pub format: Format,
    /// Encoding of the text format (HTML and JSON are always UTF-8).
    pub encoding: Encoding,
    /// Line ends of the text formats.
    pub line_end: LineEnd,
}

/// The exact bytes of an export, the one place both the window and the command line get them from: line ends
/// apply to every text format, the encoding to text only (HTML and JSON are always UTF-8); a Word document has
/// neither.
pub fn render(report: &Report, opts: Options) -> Vec<u8> {
    let (content, encoding) = match opts.format {
        Format::Docx => return docx::to_docx(report),
        Format::Text => (text::to_text(report), opts.encoding),
        Format::Html => (html::to_html(report), Encoding::Utf8),
        Format::Json => (json::to_json_string(report), Encoding::Utf8),
    };
    text::encode(&content, encoding, opts.line_end)
}

/// What a laid-out grid cell is (for styling in HTML).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellRole {
    /// The caption line above the header (`第二十条第（一）项`).
    Caption,
    /// A header cell.
    Header,
    /// A row label.
    Label,
    /// A value (number, or empty when blank).
    Value,
}

/// One cell of a laid-out table: its text and the grid lines and columns it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridItem {
    /// The text written in the cell (empty for a blank value).
    pub text: String,
    /// First grid line, counted from the table's first line (the caption, if any).
    pub row: usize,
    /// First grid column.
    pub col: usize,
    /// Columns covered (≥ 1).
    pub colspan: usize,
    /// Lines covered (≥ 1).
    pub rowspan: usize,
    /// What the cell is.
    pub role: CellRole,
}

/// A table laid out on the official Word table's grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Columns of the grid: every line has this many fields.
    pub width: usize,
    /// Number of grid lines (caption + header + data).
    pub lines: usize,
    /// Number of leading lines that are caption or header (repeated on each printed page).
    pub head_lines: usize,
    /// The cells, sorted by line then column. Grid positions not covered by any item are empty.
    pub items: Vec<GridItem>,
}

impl Grid {
    /// The grid as lines of `width` fields: each item's text in its first field, empty fields for the columns
    /// and lines its merge covers and for positions no item covers.
    pub fn fields(&self) -> Vec<Vec<&str>> {
        let mut out = vec![vec![""; self.width]; self.lines];
        for it in &self.items {
            // Items come from a template validated by `template::load`, so they fit; `get_mut` keeps a bad one harmless.
            if let Some(slot) = out.get_mut(it.row).and_then(|line| line.get_mut(it.col)) {
                *slot = &it.text;
            }
        }
        out
    }
}

/// Lays out `table` with the values of `report`.
pub fn grid(report: &Report, table: &Table) -> Grid {
    let mut items = Vec::new();
    let caption_lines = usize::from(table.caption.is_some());
    if let Some(caption) = table.caption {
        items.push(GridItem {
            text: caption.to_string(),
            row: 0,
            col: 0,
            colspan: table.width,
            rowspan: 1,
            role: CellRole::Caption,
        });
    }
    for h in table.header {
        items.push(GridItem {
            text: h.text.to_string(),
            row: caption_lines + h.row,
            col: h.col,
            colspan: h.colspan,
            rowspan: h.rowspan,
            role: CellRole::Header,
        });
    }
    let head_lines = caption_lines + table.header_rows;
    for l in table.labels {
        items.push(GridItem {
            text: l.text.to_string(),
            row: head_lines + l.row,
            col: l.col,
            colspan: l.colspan,
            rowspan: l.rowspan,
            role: CellRole::Label,
        });
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, (column, &cell)) in table.columns.iter().zip(row.cells).enumerate() {
            let (line, col) = table.value_position(r, c);
            items.push(GridItem {
                text: report.get(cell).display(column.kind),
                row: head_lines + line,
                col,
                colspan: 1,
                rowspan: 1,
                role: CellRole::Value,
            });
        }
    }
    items.sort_by_key(|it| (it.row, it.col));
    Grid {
        width: table.width,
        lines: head_lines + table.body_rows(),
        head_lines,
        items,
    }
}

/// The paragraphs of a free text: each non-empty line is one paragraph (trailing spaces dropped, a leading
/// indent kept).
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn render_is_the_library_format_encoded() {
        use crate::template::Edition;
        let r = Report::new(Edition::E2021, 2025, "某县人民政府");
        let text = text::to_text(&r);
        for encoding in [Encoding::Utf8, Encoding::Gb18030] {
            for line_end in [LineEnd::Lf, LineEnd::CrLf] {
                let opts = |format| Options {
                    format,
                    encoding,
                    line_end,
                };
                assert_eq!(render(&r, opts(Format::Text)), text::encode(&text, encoding, line_end));
                // HTML and JSON ignore the encoding; Word ignores both.
                let html = text::encode(&html::to_html(&r), Encoding::Utf8, line_end);
                assert_eq!(render(&r, opts(Format::Html)), html);
                let json = text::encode(&json::to_json_string(&r), Encoding::Utf8, line_end);
                assert_eq!(render(&r, opts(Format::Json)), json);
                assert_eq!(render(&r, opts(Format::Docx)), docx::to_docx(&r));
            }
        }
    }

    use super::*;
    use crate::template::Edition;

    #[test]
    fn grids_have_the_spec_widths_and_no_overlaps() {
        for e in Edition::ALL {
            let t = e.template();
            let r = Report::new(e, 2021, "某县人民政府");
            for table in t.tables {
                let g = grid(&r, table);
                let mut covered = vec![vec![false; g.width]; g.lines];
                for it in &g.items {
                    for line in covered.iter_mut().skip(it.row).take(it.rowspan) {
                        for slot in line.iter_mut().skip(it.col).take(it.colspan) {
                            assert!(!*slot, "{}: overlap at {} {}", table.id, it.row, it.col);
                            *slot = true;
                        }
                    }
                    assert!(
                        it.row + it.rowspan <= g.lines && it.col + it.colspan <= g.width,
                        "{}",
                        table.id
                    );
                }
                let expect = match table.section {
                    "s2" => 4,
                    "s3" => 10,
                    _ => 15,
                };
                assert_eq!(g.width, expect, "{}", table.id);
            }
        }
    }

    #[test]
    fn paragraphs_skip_blank_lines_and_keep_indent() {
        let got: Vec<&str> = paragraphs("　　第一段。  \r\n\r\n   \n第二段\n").collect();
        assert_eq!(got, ["　　第一段。", "第二段"]);
    }
}
