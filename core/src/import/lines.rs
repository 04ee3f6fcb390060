//! Layout detection: the input text as numbered lines of fields.
//!
//! - TAB-separated grids (one field per TAB);
//! - markdown / pipe tables, with or without the outer bars (`|---|` rules are kept as rule fields);
//! - one cell per line ending in ` |`, joined back into rows (a new row starts at a text cell that follows
//!   a number or an empty cell);
//! - HTML table markup pasted as text: `<tr>` → a line, `<td>`/`<th>` → a field (colspan kept as empty fields);
//! - anything else is a free line: one field holding the whole line.

use super::labels::{FieldKind, field_kind};

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
    let raw: Vec<(usize, String)> = if looks_like_html(text) {
        html_lines(text)
    } else {
        text.split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r').to_owned()))
            .collect()
    };
    let mut out: Vec<Line> = Vec::with_capacity(raw.len());
    // Cells of a run of one-cell-per-line lines, waiting to be joined into rows.
    let mut cells: Vec<(usize, String, String)> = Vec::new();
    for (no, l) in raw {
        if let Some(cell) = single_cell(&l) {
            cells.push((no, l.clone(), cell));
            continue;
        }
        flush_cells(&mut cells, &mut out);
        out.push(split_line(no, &l));
    }
    flush_cells(&mut cells, &mut out);
    out
}

/// Splits one line into fields.
fn split_line(no: usize, l: &str) -> Line {
    let source = l.to_owned();
    if l.contains('\t') {
        let fields = l.split('\t').map(str::to_owned).collect();
        return Line {
            no,
            source,
            fields,
            kind: Kind::Tab,
        };
    }
    let bar = |c: char| c == '|' || c == '｜';
    if l.contains(bar) {
        let t = l.trim();
        let t = t.strip_prefix(bar).unwrap_or(t);
        let t = t.strip_suffix(bar).unwrap_or(t);
        let fields = t.split(bar).map(|f| f.trim().to_owned()).collect();
        return Line {
            no,
            source,
            fields,
            kind: Kind::Pipe,
        };
    }
    Line {
        no,
        source,
        fields: vec![l.to_owned()],
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
        match row.as_mut() {
            Some(r) => {
                r.fields.push(cell);
                r.source.push(' ');
                r.source.push_str(source.trim());
            }
            None => {
                row = Some(Line {
                    no,
                    source: source.trim().to_owned(),
                    fields: vec![cell],
                    kind: Kind::Pipe,
                });
            }
        }
    }
    out.extend(row);
}

/// Whether the text is HTML table markup.
fn looks_like_html(text: &str) -> bool {
    let lower = text.get(..text.len().min(200_000)).unwrap_or(text).to_ascii_lowercase();
    lower.contains("<td") || lower.contains("<th") || lower.contains("<tr")
}

/// HTML → numbered lines: `<tr>` rows become TAB lines, block tags break lines, other tags vanish.
fn html_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_no = 1;
    let mut no = 1;
    let mut in_row = false;
    let mut span = 0;
    let mut rest = text;
    let flush = |cur: &mut String, cur_no: usize, out: &mut Vec<(usize, String)>| {
        let line = std::mem::take(cur);
        if !line.trim().is_empty() {
            out.push((cur_no, line));
        }
    };
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let tag = &rest[1..end];
            no += tag.matches('\n').count();
            let lower = tag.to_ascii_lowercase();
            let name: String = lower
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let closing = lower.starts_with('/');
            match name.as_str() {
                "tr" => {
                    if cur.trim_end_matches('\t').trim().is_empty() {
                        cur.clear();
                    }
                    flush(&mut cur, cur_no, &mut out);
                    in_row = !closing;
                    cur_no = no;
                }
                "td" | "th" if closing => {
                    // One field per cell, plus empty fields for the columns a merged cell covers.
                    cur.extend(std::iter::repeat_n('\t', 1 + span));
                    span = 0;
                }
                "td" | "th" => {
                    span = attr_number(&lower, "colspan").unwrap_or(1).saturating_sub(1);
                }
                "br" | "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "table" if !in_row => {
                    flush(&mut cur, cur_no, &mut out);
                    cur_no = no;
                }
                _ => {}
            }
            rest = &rest[end + 1..];
            continue;
        }
        if c == '&' {
            let (s, len) = entity(rest);
            cur.push_str(s);
            rest = &rest[len..];
            continue;
        }
        if c == '\n' {
            no += 1;
            if in_row {
                cur.push(' ');
            } else {
                flush(&mut cur, cur_no, &mut out);
                cur_no = no;
            }
        } else if c != '\r' {
            if cur.is_empty() {
                cur_no = no;
            }
            cur.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut cur, cur_no, &mut out);
    // Trailing TABs of a row are the closing tags of its last cell: drop one so a row has one field per cell.
    for (_, l) in &mut out {
        if l.ends_with('\t') {
            l.pop();
        }
        // Cells are trimmed text; a paragraph keeps its indent.
        if l.contains('\t') {
            *l = l.split('\t').map(str::trim).collect::<Vec<_>>().join("\t");
        }
    }
    out
}

/// A numeric attribute of a tag (`colspan="3"`).
fn attr_number(tag: &str, name: &str) -> Option<usize> {
    let at = tag.find(name)? + name.len();
    let rest = tag[at..].trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&n: &usize| (1..=50).contains(&n))
}

/// An HTML entity at the start of `s`: its text and length (a lone `&` is itself).
fn entity(s: &str) -> (&'static str, usize) {
    const NAMED: &[(&str, &str)] = &[
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
        ("&quot;", "\""),
        ("&ldquo;", "“"),
        ("&rdquo;", "”"),
        ("&#160;", " "),
        ("&emsp;", " "),
        ("&ensp;", " "),
    ];
    for (name, text) in NAMED {
        // Compare bytes: slicing the str at the entity's length could cut a character in two (`&洅…`).
        if s.as_bytes()
            .get(..name.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(name.as_bytes()))
        {
            return (text, name.len());
        }
    }
    ("&", 1)
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
    fn entities_next_to_wide_characters_do_not_cut_them() {
        // Found by the bounded fuzz run: `&` followed by a CJK character inside an HTML-looking text.
        assert_eq!(entity("&洅G塎X"), ("&", 1));
        assert_eq!(entity("&NBSP;规章"), (" ", 6));
        assert_eq!(entity("&lt"), ("&", 1));
        let _ = lines("<td>&洅G塎</td><td>&amp;规章&#16</td>");
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
        assert_eq!(
            fields(
                "<table>\n<tr><td>规章</td><td>0</td>\n<td>1</td></tr>\n<tr><td colspan=\"2\">a&nbsp;b</td></tr></table>"
            ),
            [(2, s(&["规章", "0", "1"])), (4, s(&["a b", ""]))]
        );
    }
}
