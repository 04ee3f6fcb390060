//! The text reader for layouts whose lines say nothing: one cell per line, a browser's copy, a text browser's
//! box-drawn dump, PDF text, whitespace collapsed so that cells run together.
//!
//! The text becomes one stream of characters (normalised as labels are, whitespace and table rules dropped, but
//! where they were is remembered), the template's section headings, captions and row labels are found in it in
//! template order, and what lies between one row label and the next is that row's evidence: its numbers, as
//! separate fields where a separator stood between them, as one run where none did (the solver cuts runs).
//! Nothing here names a label: every key comes from the template.

use super::columns;
use super::labels::{FieldKind, field_kind, fold, is_number_char, normalize, strip_ordinal};
use super::quote::{QUOTE_CHARS, excerpt};
use super::tables::Found;
use crate::template::{Layout, Table, Template};
use std::ops::Range;

/// How far ahead of the cursor a label is looked for, in characters: a table's rows follow each other closely,
/// and a bounded search keeps the reader linear in the input.
const WINDOW: usize = 6000;

/// A wrapped label is recognised by this many leading characters.
const PREFIX: usize = 6;

/// The input as a stream of normalised characters.
pub(super) struct Stream {
    pub(super) chars: Vec<char>,
    /// Whether whitespace, a line end or a table rule stood before the character.
    sep: Vec<bool>,
    /// 0-based input line of each character (`u32`: the input is capped far below 4 G lines or bytes, and four
    /// bytes a character less matters on a 20 MB input).
    line: Vec<u32>,
    /// Byte offset of each character in its input line: what a doubt quotes of the line is cut there.
    col: Vec<u32>,
}

/// Whether `c` separates fields without being text: whitespace, box drawing, bars.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c) || matches!(c, '|' | '｜' | '\u{a0}' | '\u{3000}')
}

impl Stream {
    /// The 0-based input line of stream position `at`.
    pub(super) fn line_at(&self, at: usize) -> Option<usize> {
        self.line.get(at).map(|&l| l as usize)
    }

    fn new(text: &str) -> Stream {
        let mut s = Stream {
            chars: Vec::with_capacity(text.len() / 2),
            sep: Vec::with_capacity(text.len() / 2),
            line: Vec::with_capacity(text.len() / 2),
            col: Vec::with_capacity(text.len() / 2),
        };
        let mut line = 0usize;
        let mut line_start = 0usize;
        let mut pending = false;
        let mut it = text.char_indices().peekable();
        while let Some((at, c)) = it.next() {
            if c == '\n' || (c == '\r' && it.peek().map(|&(_, n)| n) != Some('\n')) {
                line += 1;
                line_start = at + c.len_utf8();
                pending = true;
                continue;
            }
            if is_separator(c) {
                pending = true;
                continue;
            }
            // The same folding as `normalize`, one character at a time.
            let Some(mut c) = fold(c) else {
                continue;
            };
            let prev = s.chars.last().copied();
            match (prev, c) {
                (Some(p), '、') if p.is_ascii_digit() => c = '.',
                (Some(p), '.') if "一二三四五六七八九十".contains(p) => c = '、',
                _ => {}
            }
            s.chars.push(c);
            s.sep.push(pending);
            s.line.push(u32::try_from(line).unwrap_or(u32::MAX));
            s.col.push(u32::try_from(at - line_start).unwrap_or(u32::MAX));
            pending = false;
        }
        s
    }

    /// First position in `from..until` where `key` starts (it may end after `until`).
    fn find(&self, key: &[char], from: usize, until: usize) -> Option<usize> {
        let first = *key.first()?;
        let end = self.chars.len().saturating_sub(key.len() - 1).min(until);
        (from..end).find(|&i| self.chars[i] == first && self.chars[i..i + key.len()] == *key)
    }

    /// The earliest match of any key: (start, end).
    pub(super) fn find_any(&self, keys: &[Vec<char>], from: usize, until: usize) -> Option<(usize, usize)> {
        keys.iter()
            .filter_map(|k| self.find(k, from, until).map(|p| (p, p + k.len())))
            .min_by_key(|&(p, e)| (p, std::cmp::Reverse(e)))
    }

    /// Start of an ordinal (`1.`, `（三）`, `一、`) written just before `at`, else `at`.
    fn ordinal_before(&self, at: usize) -> usize {
        let c = &self.chars;
        if at >= 2 && matches!(c[at - 1], '.' | '、') {
            let mut i = at - 1;
            while i > 0 && (c[i - 1].is_ascii_digit() || "一二三四五六七八九十".contains(c[i - 1])) && at - i < 4
            {
                i -= 1;
            }
            if i < at - 1 {
                return i;
            }
        }
        if at >= 3 && c[at - 1] == '）' {
            let mut i = at - 1;
            while i > 0 && "一二三四五六七八九十".contains(c[i - 1]) && at - i < 4 {
                i -= 1;
            }
            if i > 0 && i < at - 1 && c[i - 1] == '（' {
                return i - 1;
            }
        }
        at
    }

    /// The number fields in `from..to`: runs of number characters, a separator starting a new one; `true` when
    /// the field touched text or another field without a separator (it may be several cells run together).
    /// With them, where they are: from the first field's start to the last one's end (`from..from` when none).
    fn numbers(&self, from: usize, to: usize) -> (Vec<(String, bool)>, Range<usize>) {
        let mut out: Vec<(String, bool)> = Vec::new();
        let mut span: Option<Range<usize>> = None;
        let mut cur = String::new();
        let mut start = from;
        let mut run = false;
        // `end`: the stream position just past the field.
        let mut flush = |cur: &mut String, run: bool, (start, end): (usize, usize), out: &mut Vec<(String, bool)>| {
            // A number ending in a dot is the ordinal of a label wrapped around it (`1.`), not a cell.
            let ordinal = cur.ends_with(['.', '、']);
            let t = cur.trim_matches(|c: char| !c.is_ascii_digit() && c != '-');
            let t = t.trim_end_matches('-');
            if !ordinal && t.chars().any(|c| c.is_ascii_digit()) {
                out.push((t.to_owned(), run));
                span = Some(span.as_ref().map_or(start, |s| s.start)..end);
            }
            cur.clear();
        };
        let to = to.min(self.chars.len());
        for i in from..to {
            let c = self.chars[i];
            if is_number_char(c) && (c.is_ascii_digit() || !cur.is_empty() || c == '-') {
                if self.sep[i] && !cur.is_empty() {
                    flush(&mut cur, run, (start, i), &mut out);
                }
                if cur.is_empty() {
                    run = !self.sep[i];
                    start = i;
                }
                cur.push(c);
            } else if !cur.is_empty() {
                // A field followed directly by text (`12类`) is not a clean field either.
                run |= !self.sep[i];
                flush(&mut cur, run, (start, i), &mut out);
            }
        }
        flush(&mut cur, run, (start, to), &mut out);
        (out, span.unwrap_or(from..from))
    }
}

/// The forms a label is found by, best first: as written (and its aliases), without its ordinal, its first
/// characters (a label wrapped over lines or cells), the first characters after its ordinal (an ordinal
/// printed apart from its wrapped label).
pub(super) fn keys(forms: &[&str]) -> [Vec<Vec<char>>; 4] {
    let mut full: Vec<Vec<char>> = Vec::new();
    let mut bare: Vec<Vec<char>> = Vec::new();
    let mut prefix: Vec<Vec<char>> = Vec::new();
    let mut bare_prefix: Vec<Vec<char>> = Vec::new();
    for f in forms {
        let n = normalize(f);
        let chars: Vec<char> = n.chars().collect();
        if chars.is_empty() {
            continue;
        }
        if let Some(b) = strip_ordinal(&n)
            && b.chars().count() >= 3
        {
            let b: Vec<char> = b.chars().collect();
            if b.len() > PREFIX + 2 {
                bare_prefix.push(b[..PREFIX].to_vec());
            }
            bare.push(b);
        }
        if chars.len() > PREFIX + 2 {
            prefix.push(chars[..PREFIX].to_vec());
        }
        full.push(chars);
    }
    [full, bare, prefix, bare_prefix]
}

/// A label found: (start, end) in the stream.
pub(super) fn locate(s: &Stream, keys: &[Vec<Vec<char>>; 4], from: usize, end: usize) -> Option<(usize, usize)> {
    let [full, bare, prefix, bare_prefix] = keys;
    let until = end.min(from.saturating_add(WINDOW));
    if let Some(hit) = s.find_any(full, from, until) {
        return Some(hit);
    }
    if let Some((p, e)) = s.find_any(bare, from, until) {
        return Some((s.ordinal_before(p).max(from), e));
    }
    if let Some(hit) = s.find_any(prefix, from, until) {
        return Some(hit);
    }
    s.find_any(bare_prefix, from, until)
        .map(|(p, e)| (s.ordinal_before(p).max(from), e))
}

/// For a doubt: the 1-based input line the stream position `at` came from, and the quote of the evidence at
/// `span` (stream positions) as written on that line (the part of the span on other lines is not quoted).
pub(super) fn source_line(lines: &[&str], s: &Stream, at: usize, span: Range<usize>) -> (usize, String) {
    let no = s.line_at(at).unwrap_or(0);
    let text = lines.get(no).copied().unwrap_or("");
    // Quoted trimmed, as a stream line always was: the columns count from the trimmed start.
    let lead = text.len() - text.trim_start().len();
    let text = text.trim();
    let span = span.start.min(s.chars.len())..span.end.min(s.chars.len());
    // Lines only grow along the stream: the span's characters on line `no` are one run of it.
    let on_line = s.line.get(span.clone()).unwrap_or_default();
    let first = span.start + on_line.partition_point(|&l| (l as usize) < no);
    let last = span.start + on_line.partition_point(|&l| l as usize <= no);
    let bytes = match (s.col.get(first), last.checked_sub(1).and_then(|l| s.col.get(l))) {
        (Some(&a), Some(&b)) if first < last => {
            let (a, b) = (a as usize, b as usize);
            // The stream holds each character folded; its width in the input is the written one's.
            let (a, b) = (a.saturating_sub(lead), b.saturating_sub(lead));
            let width = text.get(b..).and_then(|r| r.chars().next()).map_or(0, char::len_utf8);
            a..b + width
        }
        _ => 0..0,
    };
    (no + 1, excerpt(text, bytes, QUOTE_CHARS))
}

/// A row's fields, in order: `true` where a field may be several cells run together.
type Cells = Vec<(String, bool)>;

/// What a place in the stream is.
#[derive(Clone, Debug)]
enum Mark {
    /// A heading or caption: ends the evidence before it.
    Anchor,
    /// A row's label (`None`: the start of an inline table).
    Row(usize, Option<usize>),
    /// A group's label written as one row, none of its rows found (`（六）其他处理` of the older form).
    Group(usize, Vec<usize>),
}

/// A text made ready for the stream reader once, to be read in each edition ([`Prepared::read`]).
pub struct Prepared<'a> {
    stream: Stream,
    /// The input lines, as the stream numbers them.
    lines: Vec<&'a str>,
}

impl<'a> Prepared<'a> {
    /// The stream of `text` and its lines.
    pub fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = if text.contains("\r\n") {
            text.split('\n').map(|l| l.trim_end_matches('\r')).collect()
        } else {
            text.split(['\n', '\r']).collect()
        };
        Prepared {
            stream: Stream::new(text),
            lines,
        }
    }

    /// Reads the tables of the template `t` from the text: every row found, with its evidence.
    pub fn read(&self, t: &Template) -> Vec<Found> {
        read_stream(t, &self.stream, &self.lines)
    }
}

/// Reads the tables of a report from its text as a stream: every row found, with its evidence.
#[cfg(test)]
pub fn read(t: &Template, text: &str) -> Vec<Found> {
    Prepared::new(text).read(t)
}

/// [`read`] on a text's stream `s` and lines.
fn read_stream(t: &Template, s: &Stream, lines: &[&str]) -> Vec<Found> {
    let n = s.chars.len();
    // Section headings in order, each searched once over the rest of the text (linear in the input).
    let mut heads: Vec<Option<(usize, usize)>> = Vec::with_capacity(t.sections.len());
    let mut from = 0usize;
    for sec in t.sections {
        let forms: Vec<&str> = std::iter::once(sec.heading)
            .chain(sec.aliases.iter().copied())
            .collect();
        let hit = s.find_any(&keys(&forms)[0], from, n);
        if let Some((_, e)) = hit {
            from = e;
        }
        heads.push(hit);
    }
    let mut cursor = 0usize;
    let mut marks: Vec<(usize, usize, Mark)> = Vec::new();
    for (si, sec) in t.sections.iter().enumerate() {
        if let Some((p, e)) = heads[si] {
            marks.push((p, e, Mark::Anchor));
            cursor = cursor.max(e);
        }
        // Rows of this section are looked for before the next heading found.
        let end = heads[si + 1..].iter().flatten().map(|h| h.0).next().unwrap_or(n);
        for &ti in sec.tables {
            let table = &t.tables[ti];
            if let Some(c) = table.caption
                && let Some((p, e)) = s.find_any(&keys(&[c])[0], cursor, end.min(cursor.saturating_add(WINDOW)))
            {
                marks.push((p, e, Mark::Anchor));
                cursor = e;
            }
            match table.layout {
                // An inline table's numbers follow its heading or caption; without either, nothing marks them.
                Layout::Inline if heads[si].is_some() || table.caption.is_some() => {
                    marks.push((cursor, cursor, Mark::Row(ti, None)));
                }
                Layout::Inline => {}
                Layout::Rows => read_rows(s, t, ti, &mut cursor, end, &mut marks),
            }
        }
    }
    let by_position = read_by_position(s, lines, t, &marks);
    let mut found: Vec<Found> = Vec::new();
    for (k, ((start, end, what), cells)) in marks.iter().zip(by_position).enumerate() {
        if matches!(what, Mark::Anchor) {
            continue;
        }
        let next = marks.get(k + 1).map_or(n, |m| m.0);
        let (numbers, at) = s.numbers(*end, next);
        // The evidence quoted: the label and the numbers read for it; an inline table's numbers alone (what
        // stands between its heading and them is the template's header); a row read one cell per line, its
        // label's line.
        let span = match (what, &cells) {
            (Mark::Row(_, None), None) if !at.is_empty() => at,
            (_, Some(_)) => *start..next,
            _ => *start..at.end.max(*end),
        };
        let (line, source) = source_line(lines, s, end.saturating_sub(1), span);
        match what {
            Mark::Anchor => {}
            Mark::Row(table, row) => found.push(Found {
                table: *table,
                row: *row,
                line,
                source,
                positional: cells.is_some(),
                tokens: cells.unwrap_or(numbers),
            }),
            Mark::Group(table, rows) => {
                let tokens = numbers;
                // Counts are never negative: rows adding up to a group of zeros are zeros, whichever they are.
                let columns = t.tables[*table].columns.len();
                let zeros = tokens.len() == columns && tokens.iter().all(|(x, run)| !run && x == "0");
                if zeros {
                    for &r in rows {
                        found.push(Found {
                            table: *table,
                            row: Some(r),
                            line,
                            source: source.clone(),
                            tokens: tokens.clone(),
                            positional: false,
                        });
                    }
                }
            }
        }
    }
    shift_displaced(t, &mut found);
    // A PDF's text in reading order lists a table's numbers column by column, apart from its labels.
    columns::prefer_columns(s, t, lines, &heads, &mut found);
    found
}

/// The cells of each mark that is read by position. A row (or inline table) whose empty lines stand for blank
/// cells is; so is each row written one cell per line in a table that has such a row, a row with no blank or
/// no number too, as the table is laid out one cell per line.
fn read_by_position(s: &Stream, lines: &[&str], t: &Template, marks: &[(usize, usize, Mark)]) -> Vec<Option<Cells>> {
    let n = s.chars.len();
    let table_of = |what: &Mark| match what {
        Mark::Row(table, _) => Some(*table),
        Mark::Anchor | Mark::Group(..) => None,
    };
    let mut cells: Vec<Option<Cells>> = marks
        .iter()
        .enumerate()
        .map(|(k, (_, end, what))| match what {
            Mark::Row(table, row) => {
                let next = marks.get(k + 1).map_or(n, |m| m.0);
                one_cell_per_line(s, lines, &t.tables[*table], *row, *end, next)
            }
            Mark::Anchor | Mark::Group(..) => None,
        })
        .collect();
    let mut laid_out = vec![false; t.tables.len()];
    for ((_, _, what), c) in marks.iter().zip(&cells) {
        if let (Some(table), Some(c)) = (table_of(what), c)
            && has_blank_and_number(c)
        {
            laid_out[table] = true;
        }
    }
    for ((_, _, what), c) in marks.iter().zip(&mut cells) {
        let keep =
            table_of(what).is_some_and(|table| laid_out[table]) || c.as_deref().is_some_and(has_blank_and_number);
        if !keep {
            *c = None;
        }
    }
    cells
}

/// A row written one cell per line: its label ends its line, and each line after it, up to the next text, is
/// one cell (a number, a dash, or nothing for a blank), as many lines as the row has grid cells; empty lines
/// past them are the gap before the next text. An inline table (`row` is `None`) is the last such run of lines
/// after its heading's header cells. Then the cells, in order; else `None` (the row is read by its numbers
/// alone).
fn one_cell_per_line(
    s: &Stream,
    lines: &[&str],
    table: &Table,
    row: Option<usize>,
    end: usize,
    next: usize,
) -> Option<Cells> {
    let label_line = s.line_at(end.checked_sub(1)?)?;
    if row.is_some() && s.line_at(end) == Some(label_line) && end < next {
        return None;
    }
    // The next label's line ends the row's lines even when nothing of it is text (an ordinal `1.`).
    let last = s.line_at(next).unwrap_or(lines.len());
    let grid = table.width.saturating_sub(table.label_cols);
    // An inline table's line holds all its cells; a row's, its columns or its grid cells.
    let widths = if row.is_some() {
        [table.columns.len(), grid]
    } else {
        [grid, grid]
    };
    let max = grid.max(widths[0]);
    let mut cells: Cells = Vec::new();
    for l in lines.iter().take(last).skip(label_line + 1) {
        let field = l.trim();
        let cell = match field_kind(field) {
            FieldKind::Empty | FieldKind::Dash => true,
            FieldKind::Number => !field.contains(char::is_whitespace),
            FieldKind::Text | FieldKind::Rule => false,
        };
        match (cell, row) {
            (true, _) => cells.push((field.to_owned(), false)),
            (false, Some(_)) => break,
            (false, None) => cells.clear(),
        }
    }
    while cells.len() > max && cells.last().is_some_and(|(x, _)| x.is_empty()) {
        cells.pop();
    }
    // Grid slots past the row's columns (the empty fourth column of a 2019 block) are empty cells.
    let spare = cells.get(widths[0]..).unwrap_or_default();
    (widths.contains(&cells.len()) && spare.iter().all(|(x, _)| x.is_empty())).then_some(cells)
}

/// Whether a row's lines show the layout by themselves: an empty line among numbers is a blank cell. Alone, a
/// row with no empty line is read by count (a PDF's text may list numbers alone on their lines, by column), and
/// so is a row with no number (its numbers may be printed elsewhere).
fn has_blank_and_number(cells: &[(String, bool)]) -> bool {
    cells.iter().any(|(x, _)| x.is_empty()) && !cells.iter().all(|(x, _)| x.is_empty())
}

/// The rows of a [`Layout::Rows`] table, found in order from `cursor` before `end`.
fn read_rows(
    s: &Stream,
    t: &Template,
    ti: usize,
    cursor: &mut usize,
    end: usize,
    marks: &mut Vec<(usize, usize, Mark)>,
) {
    let table = &t.tables[ti];
    let group_of = |ri: usize| {
        let l = table.rows[ri].labels;
        (l.len() >= 2).then(|| l[l.len() - 2])
    };
    let mut ri = 0;
    while ri < table.rows.len() {
        // The rows of one group, together: a group found alone stands for its rows.
        let group = group_of(ri);
        let last = if group.is_some() {
            (ri..table.rows.len())
                .take_while(|&r| group_of(r) == group)
                .last()
                .unwrap_or(ri)
        } else {
            ri
        };
        let start = *cursor;
        let mut any = false;
        for r in ri..=last {
            let row = &table.rows[r];
            let forms: Vec<&str> = row.label_forms().collect();
            if let Some((p, e)) = locate(s, &keys(&forms), *cursor, end) {
                marks.push((p, e, Mark::Row(ti, Some(r))));
                *cursor = e;
                any = true;
            }
        }
        if !any
            && last > ri
            && let Some(g) = group
            && let Some((p, e)) = locate(s, &keys(&[g]), start, end)
        {
            marks.push((p, e, Mark::Group(ti, (ri..=last).collect())));
            *cursor = e;
        }
        ri = last + 1;
    }
}

/// Text laid out by position (PDF text) prints a wrapped row's numbers on its middle line, which may come after
/// the next row's label: a row short of numbers followed by one with as many too many takes them back.
fn shift_displaced(t: &Template, found: &mut [Found]) {
    for k in 1..found.len() {
        let (a, b) = found.split_at_mut(k);
        let (prev, cur) = (&mut a[k - 1], &mut b[0]);
        if prev.table != cur.table || prev.row.is_none() || cur.row.is_none() || prev.positional || cur.positional {
            continue;
        }
        let columns = t.tables[cur.table].columns.len();
        let clean = |f: &Found| f.tokens.iter().all(|(_, run)| !run);
        if prev.tokens.len() < columns
            && cur.tokens.len() > columns
            && prev.tokens.len() + cur.tokens.len() == 2 * columns
            && clean(prev)
            && clean(cur)
        {
            let moved = columns - prev.tokens.len();
            prev.tokens.extend(cur.tokens.drain(..moved));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;

    /// The rows found, by row id, with their fields.
    fn rows(t: &Template, text: &str) -> Vec<(&'static str, Vec<(String, bool)>)> {
        read(t, text)
            .into_iter()
            .filter_map(|f| f.row.map(|r| (t.tables[f.table].rows[r].id, f.tokens)))
            .collect()
    }

    fn fields(s: &str) -> Vec<(String, bool)> {
        s.split(' ').map(|x| (x.to_owned(), false)).collect()
    }

    const HEAD: &str = "三、收到和处理政府信息公开申请情况\n申请人情况\n";

    #[test]
    fn collapsed_numbers_are_one_run() {
        let t = Edition::E2021.template();
        let text = format!("{HEAD}一、本年新收政府信息公开申请数量732000075二、上年结转政府信息公开申请数量0000000");
        let got = rows(t, &text);
        assert_eq!(got[0], ("s3.new", vec![("732000075".to_owned(), true)]));
        assert_eq!(got[1], ("s3.carried_in", vec![("0000000".to_owned(), true)]));
    }

    #[test]
    fn next_ordinal_is_not_a_number_of_the_row_before() {
        let t = Edition::E2021.template();
        let text = format!("{HEAD}（三）不予公开1.属于国家秘密10000012.其他法律法规禁止公开0000000");
        let got = rows(t, &text);
        assert_eq!(got[0], ("s3.denied.state_secret", vec![("1000001".to_owned(), true)]));
        assert_eq!(got[1], ("s3.denied.prohibited", vec![("0000000".to_owned(), true)]));
    }

    #[test]
    fn one_cell_per_line_and_box_drawn_rows() {
        let t = Edition::E2021.template();
        for text in [
            format!("{HEAD}一、本年新收政府信息公开申请数量\n73\n2\n0\n0\n0\n0\n75\n"),
            format!("{HEAD}│一、本年新收政府信息公开申请数量 │ 73 │ 2 │ 0 │ 0 │ 0 │ 0 │ 75 │\n├────┤\n"),
            format!("{HEAD}一、本年新收政府信息公开申请数量\r\r\t\r\r73\r\r\t\r\r2\r0\r0\r0\r0\r75\r"),
            format!("{HEAD}一、本年新收政府信息公开申请数量\r\n73 2 0 0 0 0 75\r\n"),
        ] {
            assert_eq!(rows(t, &text)[0], ("s3.new", fields("73 2 0 0 0 0 75")), "{text:?}");
        }
    }

    #[test]
    fn one_cell_per_line_keeps_blank_cells_in_place() {
        let t = Edition::E2021.template();
        let text = format!(
            "{HEAD}一、本年新收政府信息公开申请数量\n73\n\n0\n\n0\n0\n73\n二、上年结转政府信息公开申请数量\n1\n2\n3\n4\n5\n6\n21\n"
        );
        let found = read(t, &text);
        let mut rows = found.iter().filter(|f| f.row.is_some());
        let first = rows.next();
        assert_eq!(first.map(|f| f.positional), Some(true));
        assert_eq!(first.map(|f| f.tokens.clone()), Some(fields("73  0  0 0 73")));
        // The table is laid out one cell per line, so a row with no blank is read by position too.
        let second = rows.next();
        assert_eq!(
            second.map(|f| (f.positional, f.tokens.clone())),
            Some((true, fields("1 2 3 4 5 6 21")))
        );
        // Alone, such a row is read by count.
        let text = format!("{HEAD}二、上年结转政府信息公开申请数量\n1\n2\n3\n4\n5\n6\n21\n");
        assert!(read(t, &text).iter().all(|f| !f.positional));
        // A label alone before an empty line is no row of blanks: its number may be listed elsewhere.
        let text = format!("{HEAD}一、本年新收政府信息公开申请数量\n\n二、上年结转政府信息公开申请数量\n");
        assert!(read(t, &text).iter().all(|f| !f.positional));
    }

    #[test]
    fn one_cell_per_line_inline_table_keeps_its_blanks() {
        let t = Edition::E2019.template();
        // The header's cells, then the one line of numbers one per line, a blank first and one in the middle,
        // then the gap before the next heading.
        let numbers = "\n1\n2\n3\n6\n0\n1\n1\n1\n3\n0\n0\n\n0\n0\n\n";
        let text = format!(
            "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n{numbers}\n五、存在的主要问题及改进情况\n"
        );
        let found = read(t, &text);
        let inline = found.iter().find(|f| f.row.is_none());
        assert_eq!(inline.map(|f| f.positional), Some(true));
        assert_eq!(
            inline.map(|f| f.tokens.clone()),
            Some(fields(" 1 2 3 6 0 1 1 1 3 0 0  0 0"))
        );
    }

    #[test]
    fn wrapped_label_and_numbers_printed_after_the_next_label() {
        let t = Edition::E2021.template();
        // A PDF's layout text: the ordinal apart from its wrapped label, a row's numbers on its middle line.
        let text = format!(
            "{HEAD}8.属于行政查询事项\n本机关不掌握相关政府 77\n 1.\n信息 1 2 0 2 0 82\n2.没有现成信息需要另行\n0 0 0 0 0 0 0\n制作"
        );
        let got = rows(t, &text);
        assert_eq!(got[0], ("s3.denied.inquiry", Vec::new()));
        assert_eq!(got[1], ("s3.unavailable.not_held", fields("77 1 2 0 2 0 82")));
        assert_eq!(got[2], ("s3.unavailable.needs_creation", fields("0 0 0 0 0 0 0")));

        let text = format!("{HEAD}8.属于行政查询事项\n1.本机关不掌握相关政府\n0 0 0 0 0 0 0\n信息 77 1 2 0 2 0 82\n");
        let got = rows(t, &text);
        assert_eq!(got[0], ("s3.denied.inquiry", fields("0 0 0 0 0 0 0")));
        assert_eq!(got[1], ("s3.unavailable.not_held", fields("77 1 2 0 2 0 82")));
    }

    #[test]
    fn a_group_written_as_one_row_of_zeros_gives_zeros_to_its_rows() {
        let t = Edition::E2021.template();
        let zeros = format!("{HEAD}（六）其他处理 0 0 0 0 0 0 0\n（七）总计 1 0 0 0 0 0 1\n");
        let got = rows(t, &zeros);
        let ids: Vec<&str> = got.iter().map(|r| r.0).collect();
        assert_eq!(
            ids,
            [
                "s3.other_handling.no_correction",
                "s3.other_handling.unpaid_fee",
                "s3.other_handling.other",
                "s3.handled_total"
            ]
        );
        assert!(got[..3].iter().all(|r| r.1 == fields("0 0 0 0 0 0 0")));
        // Not zeros: which of its rows holds what is unknown, so none is read.
        let some = format!("{HEAD}（六）其他处理 2 0 0 0 0 0 2\n（七）总计 2 0 0 0 0 0 2\n");
        let ids: Vec<&str> = rows(t, &some).iter().map(|r| r.0).collect();
        assert_eq!(ids, ["s3.handled_total"]);
    }

    #[test]
    fn collapsed_zero_digits_are_cells_of_their_own() {
        use crate::report::Value::Int;
        // Whitespace gone: nothing tells 24 0 67 from 2 40 67, nor (under the row total) 11 0 0 0 11 from
        // 1 10 0 0 11; a 0 digit is likelier a cell of its own.
        let text = "某县人民政府2021年政府信息公开工作年度报告 一、总体情况 全年工作有序开展。\
                    二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数\
                    规章000行政规范性文件24067\
                    四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计\
                    20002000001100011 五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。";
        let imported = crate::import::import_text(text);
        let t = Edition::E2021.template();
        let cell = |id: &str| {
            let c = t.cells.iter().position(|c| c.id == id);
            c.and_then(|c| imported.as_ref().ok().map(|i| i.report.cells[c].clone()))
        };
        let row = |r: &str, cols: &[&str]| cols.iter().map(|c| cell(&format!("{r}.{c}"))).collect::<Vec<_>>();
        assert_eq!(
            row("s2.normative", &["issued", "repealed", "in_force"]),
            [Some(Int(24)), Some(Int(0)), Some(Int(67))]
        );
        assert_eq!(
            row(
                "s4.suit_after_review",
                &["upheld", "corrected", "other", "pending", "total"]
            ),
            [Some(Int(11)), Some(Int(0)), Some(Int(0)), Some(Int(0)), Some(Int(11))]
        );
    }
}
