//! Layout detection: the input text as numbered lines of fields.
//!
//! - TAB-separated grids (one field per TAB);
//! - markdown / pipe tables, with or without the outer bars (`|---|` rules are kept as rule fields);
//! - one cell per line ending in ` |`, joined back into rows (a new row starts at a text cell that follows
//!   a number or an empty cell);
//! - anything else is a free line: one field holding the whole line.
//!
//! HTML never reaches this reader: a page is laid out as such text first (see `import::html`).

use super::labels::{FieldKind, field_kind};
use std::ops::Range;

/// How a line was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// TAB-separated fields.
    Tab,
    /// Fields separated by `|` (markdown, web tables, one cell per line).
    Pipe,
    /// No separator: the whole line is one field.
    Free,
}

/// A line of the input.
#[derive(Clone, Debug)]
pub struct Line {
    /// 1-based number of the (first) input line it came from.
    pub no: usize,
    /// The input line as written (for doubts).
    pub source: String,
    /// Its fields.
    pub fields: Vec<String>,
    /// Where each field is in `source` (bytes): a doubt quotes the fields of its row, not a whole long line.
    pub spans: Vec<Range<usize>>,
    /// How it was written.
    pub kind: Kind,
}

impl Line {
    /// Whether the line holds nothing.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Splits the input into lines of fields.
pub fn lines(text: &str) -> Vec<Line> {
    let raw = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    let mut out: Vec<Line> = Vec::new();
    // Cells of a run of one-cell-per-line lines, waiting to be joined into rows.
    let mut cells: Vec<(usize, String, String)> = Vec::new();
    for (no, l) in raw {
        if let Some(cell) = single_cell(l) {
            cells.push((no, l.to_owned(), cell));
            continue;
        }
        flush_cells(&mut cells, &mut out);
        out.push(split_line(no, l));
    }
    flush_cells(&mut cells, &mut out);
    out
}

/// The parts of `s` between separators, with their byte ranges in `s` (offset by `at`), trimmed if `trim`.
fn split_at(s: &str, at: usize, sep: impl Fn(char) -> bool, trim: bool) -> (Vec<String>, Vec<Range<usize>>) {
    let mut fields = Vec::new();
    let mut spans = Vec::new();
    let mut start = 0;
    let ends = s
        .char_indices()
        .filter(|&(_, c)| sep(c))
        .map(|(i, c)| (i, i + c.len_utf8()));
    for (end, next) in ends.chain(std::iter::once((s.len(), s.len()))) {
        let raw = &s[start..end];
        let body = if trim { raw.trim() } else { raw };
        let lead = if trim { raw.len() - raw.trim_start().len() } else { 0 };
        let from = start + lead;
        fields.push(body.to_owned());
        spans.push(at + from..at + from + body.len());
        start = next;
    }
    (fields, spans)
}

/// Splits one line into fields.
fn split_line(no: usize, l: &str) -> Line {
    let source = l.to_owned();
    if l.contains('\t') {
        let (fields, spans) = split_at(l, 0, |c| c == '\t', false);
        return Line {
            no,
            source,
            fields,
            spans,
            kind: Kind::Tab,
        };
    }
    let bar = |c: char| c == '|' || c == '｜';
    if l.contains(bar) {
        let t = l.trim_start();
        let mut at = l.len() - t.len();
        let t = t.trim_end();
        let t = match t.strip_prefix(bar) {
            Some(rest) => {
                at += t.len() - rest.len();
                rest
            }
            None => t,
        };
        let t = t.strip_suffix(bar).unwrap_or(t);
        let (fields, spans) = split_at(t, at, bar, true);
        return Line {
            no,
            source,
            fields,
            spans,
            kind: Kind::Pipe,
        };
    }
    Line {
        no,
        source,
        fields: vec![l.to_owned()],
        spans: std::iter::once(0..l.len()).collect(),
        kind: Kind::Free,
    }
}

/// The cell of a one-cell-per-line line (`规章 |`, `0 |`, ` |`), if it is one.
fn single_cell(l: &str) -> Option<String> {
    let t = l.trim();
    let bar = |c: char| c == '|' || c == '｜';
    let body = t.strip_suffix(bar)?;
    if body.contains(bar) || body.contains('\t') || field_kind(body) == FieldKind::Rule {
        return None;
    }
    Some(body.trim().to_owned())
}

/// Joins a run of one-cell lines into rows: a text cell after a number or empty cell starts a new row.
fn flush_cells(cells: &mut Vec<(usize, String, String)>, out: &mut Vec<Line>) {
    let mut row: Option<Line> = None;
    let mut seen_value = false;
    for (no, source, cell) in cells.drain(..) {
        let kind = field_kind(&cell);
        if kind == FieldKind::Text && seen_value {
            out.extend(row.take());
            seen_value = false;
        }
        if kind != FieldKind::Text {
            seen_value = true;
        }
        // The cell starts its line (trimmed): `single_cell` only drops the bar and the spaces before it.
        match row.as_mut() {
            Some(r) => {
                r.source.push(' ');
                r.spans.push(r.source.len()..r.source.len() + cell.len());
                r.fields.push(cell);
                r.source.push_str(source.trim());
            }
            None => {
                row = Some(Line {
                    no,
                    source: source.trim().to_owned(),
                    spans: std::iter::once(0..cell.len()).collect(),
                    fields: vec![cell],
                    kind: Kind::Pipe,
                });
            }
        }
    }
    out.extend(row);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(usize, Vec<String>)> {
        lines(text)
            .into_iter()
            .filter(|l| !l.is_blank())
            .map(|l| (l.no, l.fields))
            .collect()
    }

    #[test]
    fn spans_are_the_fields_in_the_source() {
        for text in [
            "规章\t0\t 1 \t2\r",
            "  | 规章 | 0 |  1 | 2 |  ",
            "｜规章｜0｜",
            "规章 | 0 | 1 | 2",
            "规章 0 1 2",
            "规章 |\n0 |\n1 |\n |\n规范性文件 |\n3 |\n",
        ] {
            for l in lines(text) {
                let quoted: Vec<&str> = l.spans.iter().map(|r| l.source.get(r.clone()).unwrap_or("?")).collect();
                assert_eq!(quoted, l.fields, "{text:?}");
            }
        }
    }

    #[test]
    fn layouts_table() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(fields("规章\t0\t1\t2\r\n"), [(1, s(&["规章", "0", "1", "2"]))]);
        assert_eq!(fields("| 规章 | 0 | 1 | 2 |"), [(1, s(&["规章", "0", "1", "2"]))]);
        assert_eq!(fields("规章 | 0 | 1 | 2"), [(1, s(&["规章", "0", "1", "2"]))]);
        assert_eq!(fields("规章 0 1 2"), [(1, s(&["规章 0 1 2"]))]);
        assert_eq!(
            fields("规章 |\n0 |\n1 |\n |\n规范性文件 |\n3 |\n"),
            [(1, s(&["规章", "0", "1", ""])), (5, s(&["规范性文件", "3"]))]
        );
    }
}
