//! The tables: every line of the table sections matched against the template's captions, headers and row
//! labels, then each found row's numbers placed (by grid position when the whole table is on the official
//! grid, else in order, with [`super::split`] when the count is off).

use super::Doubt;
use super::labels::{FieldKind, LabelHit, LabelIndex, RowRef, field_kind, normalize, split_trailing_number};
use super::lines::{Kind, Line};
use super::quote::{QUOTE_CHARS, excerpt};
use super::split::{
    Guess, Outcome, OwnSums, Pending, blank_candidates, group_message, has_row_total, resolve, same_problem,
    split_candidates,
};
use crate::report::{InputError, Value, parse_input};
use crate::template::{CellIdx, Layout, Table, Template, ValueKind};

/// A number field (or a piece of one) after a row label.
#[derive(Clone, Debug)]
struct Token {
    /// The text.
    text: String,
    /// Field position in the line.
    pos: usize,
    /// Written without separators after a label or another number: may be several cells run together.
    run: bool,
}

/// A data line found for a row (or the number line of an inline table).
#[derive(Clone, Debug)]
struct Hit {
    table: usize,
    /// `None` for an inline table (all rows on one line).
    row: Option<usize>,
    line: usize,
    source: String,
    /// Number, dash and empty fields after the label, with positions.
    tokens: Vec<Token>,
    /// The line is on the official grid exactly (width, label columns, value columns).
    exact: bool,
    /// The numbers came from a line of separated fields (TAB, `|`), where a blank cell is an empty field: fewer
    /// fields than cells means a number was lost, not that blanks were left out.
    separated: bool,
}

/// A row (or an inline table) found by the stream reader, with its evidence.
#[derive(Clone, Debug)]
pub struct Found {
    /// Index in [`Template::tables`].
    pub table: usize,
    /// The row; `None` for an inline table.
    pub row: Option<usize>,
    /// 1-based input line where its label ends.
    pub line: usize,
    /// What a doubt quotes of that line: the label and the numbers read for it as written (cut to a readable
    /// length; a short line whole).
    pub source: String,
    /// Its number fields, in order; `true` when a field may be several cells run together.
    pub tokens: Vec<(String, bool)>,
    /// The tokens are the row's grid cells in order, one per line, an empty one for a blank cell (one cell per
    /// line): read by position, not by count.
    pub positional: bool,
}

/// The rows found by the stream reader, placed: values written into `cells`, doubts returned with the count of
/// rows found.
pub fn place_found(t: &'static Template, found: &[Found], cells: &mut [Value]) -> (Vec<Doubt>, usize) {
    let hits: Vec<Hit> = found
        .iter()
        .map(|f| {
            // Grid positions of a positional row's cells: after the label columns, as on the official grid.
            let first = if f.positional { t.tables[f.table].label_cols } else { 1 };
            Hit {
                table: f.table,
                row: f.row,
                line: f.line,
                source: f.source.clone(),
                tokens: f
                    .tokens
                    .iter()
                    .enumerate()
                    .map(|(k, (text, run))| Token {
                        text: text.clone(),
                        pos: first + k,
                        run: *run,
                    })
                    .collect(),
                exact: f.positional,
                separated: false,
            }
        })
        .collect();
    let mut doubts = Vec::new();
    place(t, &hits, cells, &mut doubts);
    (doubts, hits.len())
}

/// The tables read: values written into `cells`, doubts pushed.
pub fn read_tables(
    t: &'static Template,
    idx: &LabelIndex,
    lines: &[(&Line, Option<usize>)],
    cells: &mut [Value],
) -> (Vec<Doubt>, usize) {
    let mut doubts = Vec::new();
    let mut hits: Vec<Hit> = Vec::new();
    let mut current: Option<usize> = None;
    let mut last_section: Option<usize> = None;
    for &(line, section) in lines {
        if section != last_section {
            last_section = section;
            current = section
                .and_then(|s| t.sections.get(s))
                .and_then(|s| s.tables.first().copied());
        }
        if line.is_blank() && line.fields.len() <= 1 {
            continue;
        }
        read_line(t, idx, line, &mut current, &mut hits, &mut doubts);
    }
    let found = hits.len();
    place(t, &hits, cells, &mut doubts);
    (doubts, found)
}

/// Reads one line: a caption, a header, a row with its numbers, or numbers alone.
fn read_line(
    t: &Template,
    idx: &LabelIndex,
    line: &Line,
    current: &mut Option<usize>,
    hits: &mut Vec<Hit>,
    doubts: &mut Vec<Doubt>,
) {
    let kinds: Vec<FieldKind> = line.fields.iter().map(|f| field_kind(f)).collect();
    if kinds.iter().all(|k| matches!(k, FieldKind::Empty | FieldKind::Rule)) {
        hits.extend(blank_inline_line(t, line, *current, &kinds));
        return;
    }
    let mut scan = LineScan::default();
    for (pos, (field, kind)) in line.fields.iter().zip(&kinds).enumerate() {
        match kind {
            FieldKind::Empty | FieldKind::Number | FieldKind::Dash => {
                let new = value_tokens(field, *kind, pos, line.kind == Kind::Free);
                if scan.row.is_some() {
                    scan.tokens.extend(new);
                } else {
                    scan.loose.extend(new);
                }
            }
            FieldKind::Rule => {}
            FieldKind::Text => scan.label(idx, field, pos, line.kind, current),
        }
    }
    scan.finish(t, line, &kinds, *current, hits, doubts);
}

/// The data line of an inline table left entirely blank, on the grid: its cells are blank, not missing.
fn blank_inline_line(t: &Template, line: &Line, current: Option<usize>, kinds: &[FieldKind]) -> Option<Hit> {
    let ti = current.filter(|&c| t.tables[c].layout == Layout::Inline)?;
    if line.kind == Kind::Free
        || line.fields.len() != t.tables[ti].width
        || !kinds.iter().all(|k| *k == FieldKind::Empty)
    {
        return None;
    }
    let tokens = (0..line.fields.len())
        .map(|pos| Token {
            text: String::new(),
            pos,
            run: false,
        })
        .collect();
    Some(Hit {
        table: ti,
        row: None,
        line: line.no,
        source: quote(line, 0, line.fields.len().saturating_sub(1)),
        tokens,
        exact: true,
        separated: true,
    })
}

/// What a doubt quotes of a line: its fields `first..=last` as written (see [`excerpt`]).
fn quote(line: &Line, first: usize, last: usize) -> String {
    let start = line.spans.get(first).map_or(0, |r| r.start);
    let end = line.spans.get(last).map_or(line.source.len(), |r| r.end);
    excerpt(&line.source, start..end.max(start), QUOTE_CHARS)
}

/// The tokens of a value field: each number of a number field (several when the field runs numbers
/// together), or the field itself (empty, a dash).
fn value_tokens(field: &str, kind: FieldKind, pos: usize, free: bool) -> Vec<Token> {
    if kind == FieldKind::Number {
        field
            .split_whitespace()
            .map(|s| Token {
                text: s.to_owned(),
                pos,
                run: free,
            })
            .collect()
    } else {
        vec![Token {
            text: field.trim().to_owned(),
            pos,
            run: false,
        }]
    }
}

/// The label a text field is, and the number written right after it in the same field (`规章5`).
fn find_label<'f>(idx: &LabelIndex, field: &'f str) -> (Option<LabelHit>, Option<&'f str>) {
    let norm = normalize(field);
    if let Some(hit) = idx.lookup(&norm) {
        return (Some(hit), None);
    }
    if let Some((label, num)) = split_trailing_number(field) {
        let n = normalize(label);
        let hit = idx
            .lookup(&n)
            .or_else(|| idx.suffix_row(&n).map(|(r, _)| LabelHit::Row(r)));
        match hit {
            Some(LabelHit::Row(r)) => return (Some(LabelHit::Row(r)), Some(num)),
            Some(other) => return (Some(other), None),
            None => {}
        }
    }
    (idx.suffix_row(&norm).map(|(r, _)| LabelHit::Row(r)), None)
}

/// What one line holds, gathered field by field.
#[derive(Default)]
struct LineScan {
    /// The row whose label the line has.
    row: Option<RowRef>,
    /// The field of that label.
    label_pos: usize,
    /// Values after the row's label.
    tokens: Vec<Token>,
    /// Values before any row label.
    loose: Vec<Token>,
    /// Text that is no label of the template.
    unknown_text: bool,
    /// A header label.
    header: bool,
}

impl LineScan {
    /// A text field: a caption, group or header moves to its table; a row label starts the row.
    fn label(&mut self, idx: &LabelIndex, field: &str, pos: usize, kind: Kind, current: &mut Option<usize>) {
        let (hit, trailing) = find_label(idx, field);
        match hit {
            Some(LabelHit::Caption(ti) | LabelHit::Group(ti)) => *current = Some(ti),
            Some(LabelHit::Header(ts)) => {
                self.header = true;
                if current.is_none_or(|c| !ts.contains(&c)) {
                    *current = ts.first().copied();
                }
            }
            Some(LabelHit::Row(rs)) => {
                let r = rs.iter().find(|r| Some(r.table) == *current).or(rs.first()).copied();
                // A second label on the same line replaces a first one only if no number came yet.
                if let Some(r) = r
                    && (self.row.is_none() || self.tokens.iter().all(|tk| tk.text.is_empty()))
                {
                    self.row = Some(r);
                    self.label_pos = pos;
                    self.tokens.clear();
                    *current = Some(r.table);
                }
                if let Some(num) = trailing {
                    self.tokens.extend(num.split_whitespace().map(|s| Token {
                        text: s.to_owned(),
                        pos,
                        run: true,
                    }));
                }
            }
            None => {
                if kind == Kind::Free && idx.is_header_run(&normalize(field)) {
                    self.header = true;
                } else {
                    self.unknown_text = true;
                }
            }
        }
    }

    /// The line read: a row's hit, an inline table's numbers, the numbers of a row broken over two lines, or a
    /// doubt about numbers that belong nowhere.
    fn finish(
        self,
        t: &Template,
        line: &Line,
        kinds: &[FieldKind],
        current: Option<usize>,
        hits: &mut Vec<Hit>,
        doubts: &mut Vec<Doubt>,
    ) {
        let has_numbers = |v: &[Token]| v.iter().any(|tk| !tk.text.is_empty());
        // The fields quoted for a doubt: the label and the numbers read for it, or the numbers alone.
        let last_pos = |v: &[Token]| v.iter().map(|tk| tk.pos).max();
        if let Some(r) = self.row {
            let exact = is_exact(&t.tables[r.table], r.row, line, kinds);
            let last = last_pos(&self.tokens).map_or(self.label_pos, |p| p.max(self.label_pos));
            hits.push(Hit {
                table: r.table,
                row: Some(r.row),
                line: line.no,
                source: quote(line, self.label_pos, last),
                tokens: self.tokens,
                exact,
                separated: line.kind != Kind::Free,
            });
            return;
        }
        if !has_numbers(&self.loose) {
            return;
        }
        let loose = quote(
            line,
            self.loose.first().map_or(0, |tk| tk.pos),
            last_pos(&self.loose).unwrap_or(0),
        );
        let inline = current.filter(|&c| t.tables[c].layout == Layout::Inline);
        if let (Some(ti), false) = (inline, self.unknown_text) {
            let exact = line.kind != Kind::Free && line.fields.len() == t.tables[ti].width;
            hits.push(Hit {
                table: ti,
                row: None,
                line: line.no,
                source: loose,
                tokens: self.loose,
                exact,
                separated: line.kind != Kind::Free,
            });
            return;
        }
        // Numbers on the line after a label that had none (a row broken over two lines).
        if !self.unknown_text
            && !self.header
            && let Some(prev) = hits.last_mut()
            && prev.row.is_some()
            && !has_numbers(&prev.tokens)
        {
            prev.tokens = self.loose;
            prev.exact = false;
            prev.separated = line.kind != Kind::Free;
            return;
        }
        doubts.push(Doubt {
            cells: Vec::new(),
            line: line.no,
            source: loose,
            message: "这一行有数字，但找不到它属于表格的哪一项，未读入".to_owned(),
        });
    }
}

/// Whether a row line sits exactly on the official grid: `width` fields, labels only in the label columns,
/// the values in the value columns, nothing after them.
fn is_exact(table: &Table, row: usize, line: &Line, kinds: &[FieldKind]) -> bool {
    if line.kind == Kind::Free || line.fields.len() != table.width {
        return false;
    }
    let own_col = table
        .labels
        .iter()
        .find(|g| g.row == row && normalize(g.text) == normalize(table.rows[row].label()))
        .map(|g| g.col);
    let values = table.label_cols..table.label_cols + table.columns.len();
    kinds.iter().enumerate().all(|(pos, k)| match k {
        FieldKind::Text => pos < table.label_cols && own_col.is_none_or(|c| c >= pos),
        FieldKind::Number | FieldKind::Dash => values.contains(&pos),
        FieldKind::Empty | FieldKind::Rule => true,
    })
}

/// A published value, kept as published when it is a number at all: a negative count or a fraction stays
/// (the checks report it); only what is not a number is refused.
fn lenient(kind: ValueKind, s: &str) -> Result<Value, InputError> {
    if field_kind(s) == FieldKind::Dash {
        return Ok(Value::Blank);
    }
    match parse_input(kind, s) {
        Err(InputError::Negative) => parse_input(ValueKind::Signed, s),
        Err(InputError::NotInteger) => parse_input(ValueKind::Money, s),
        r => r,
    }
}

/// The cells a hit fills, with the row's name and short name.
fn target(t: &Template, h: &Hit) -> (Vec<CellIdx>, String, String) {
    let table = &t.tables[h.table];
    if let Some(r) = h.row {
        (
            table.rows[r].cells.to_vec(),
            table.rows[r].label().to_owned(),
            table.rows[r].short.to_owned(),
        )
    } else {
        {
            let heading = t
                .sections
                .iter()
                .find(|s| s.id == table.section)
                .map_or(table.id, |s| s.heading);
            (
                table.rows.iter().flat_map(|r| r.cells.iter().copied()).collect(),
                heading.to_owned(),
                heading.to_owned(),
            )
        }
    }
}

/// Places the numbers of every hit; reports rows not found.
fn place(t: &'static Template, hits: &[Hit], cells: &mut [Value], doubts: &mut Vec<Doubt>) {
    // A table is on the grid only if all its lines are.
    let exact_table = |ti: usize| hits.iter().filter(|h| h.table == ti).all(|h| h.exact);
    let mut done: Vec<(usize, Option<usize>, usize)> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    // Cells whose text could not be read: no relation through them can pick a reading.
    let mut unread: Vec<CellIdx> = Vec::new();
    for h in hits {
        let (targets, name, short) = target(t, h);
        let kinds: Vec<ValueKind> = targets.iter().map(|&c| t.cells[c].kind).collect();
        let computed: Vec<bool> = targets.iter().map(|&c| t.cells[c].computed).collect();
        let has_numbers = h.tokens.iter().any(|tk| !tk.text.is_empty());
        if let Some(&(_, _, first_line)) = done.iter().find(|d| d.0 == h.table && d.1 == h.row) {
            if has_numbers {
                doubts.push(Doubt {
                    cells: targets,
                    line: h.line,
                    source: h.source.clone(),
                    message: format!("「{name}」出现了不止一次（第{first_line}行已读入），这一行未读入"),
                });
            }
            continue;
        }
        if !has_numbers
            && hits
                .iter()
                .any(|o| o.table == h.table && o.row == h.row && o.tokens.iter().any(|tk| !tk.text.is_empty()))
        {
            // A label repeated (a table split across pages): the line with numbers counts.
            continue;
        }
        done.push((h.table, h.row, h.line));
        let mut bad: Vec<(CellIdx, String, String)> = Vec::new();
        let mut fixed = |values: Vec<(CellIdx, ValueKind, &str)>, cells: &mut [Value]| {
            for (c, kind, text) in values {
                match lenient(kind, text) {
                    Ok(v) => cells[c] = v,
                    Err(e) => bad.push((c, text.to_owned(), e.to_string())),
                }
            }
        };
        let table = &t.tables[h.table];
        if exact_table(h.table) {
            let mut vals = Vec::new();
            for (k, (&c, &kind)) in targets.iter().zip(&kinds).enumerate() {
                let pos = match h.row {
                    Some(r) => table.value_position(r, k % table.columns.len()).1,
                    None => k,
                };
                if let Some(tk) = h.tokens.iter().find(|tk| tk.pos == pos) {
                    vals.push((c, kind, tk.text.as_str()));
                }
            }
            fixed(vals, cells);
        } else {
            let values: Vec<&Token> = h.tokens.iter().filter(|tk| !tk.text.is_empty()).collect();
            let (have, need) = (values.len(), targets.len());
            if have == need {
                fixed(
                    targets
                        .iter()
                        .zip(&kinds)
                        .zip(&values)
                        .map(|((&c, &k), tk)| (c, k, tk.text.as_str()))
                        .collect(),
                    cells,
                );
            } else if have > 0 {
                match uneven(t, h, &values, &targets, &kinds, &computed, (&name, &short)) {
                    Ok(p) => pending.push(p),
                    Err(d) => {
                        unread.extend(&d.cells);
                        doubts.push(d);
                    }
                }
            }
        }
        for (c, text, why) in bad {
            unread.push(c);
            doubts.push(Doubt {
                cells: vec![c],
                line: h.line,
                source: h.source.clone(),
                message: format!("「{}」：{why}（原文「{text}」），已留空", t.cells[c].label),
            });
        }
    }
    let outcomes = resolve(t, cells, &pending, &unread);
    let doubtful: Vec<(&Pending, Outcome)> = pending
        .iter()
        .zip(outcomes)
        .filter_map(|(p, o)| o.map(|o| (p, o)))
        .collect();
    doubts.extend(grouped(&doubtful));
    missing_rows(t, &done, doubts);
}

/// One doubt per problem: the rows of a table with the same kind of damage and the same kind of outcome make
/// one doubt naming them all (a clerk works through it once), in the order of the rows.
fn grouped(doubtful: &[(&Pending, Outcome)]) -> Vec<Doubt> {
    let mut groups: Vec<Vec<(&Pending, &Outcome)>> = Vec::new();
    for (p, o) in doubtful {
        let item: (&Pending, &Outcome) = (p, o);
        match groups
            .iter_mut()
            .find(|g| g.first().is_some_and(|&first| same_problem(first, item)))
        {
            Some(g) => g.push(item),
            None => groups.push(vec![item]),
        }
    }
    groups
        .into_iter()
        .filter_map(|g| {
            let &(first, _) = g.first()?;
            Some(Doubt {
                cells: g.iter().flat_map(|(_, o)| o.cells.iter().copied()).collect(),
                line: first.line,
                source: group_source(&g),
                message: group_message(&g),
            })
        })
        .collect()
}

/// At most this many rows' evidence is quoted by a doubt naming several rows (its message names them all).
const QUOTED_ROWS: usize = 4;

/// What a doubt naming several rows quotes: each row's evidence once, in the order of the rows, `；` between
/// them, `；等` after the first [`QUOTED_ROWS`] when there are more.
fn group_source(rows: &[(&Pending, &Outcome)]) -> String {
    let mut quoted: Vec<&str> = Vec::new();
    for (p, _) in rows {
        let s = p.source.trim();
        if !s.is_empty() && !quoted.contains(&s) {
            quoted.push(s);
        }
    }
    let more = quoted.len() > QUOTED_ROWS;
    quoted.truncate(QUOTED_ROWS);
    let mut source = quoted.join("；");
    if more {
        source.push_str("；等");
    }
    source
}

/// A row line with more or fewer numbers than cells: the readings the solver chooses among (numbers run
/// together split apart, blanks left out, or a window of the numbers), or a doubt when there is none.
fn uneven(
    t: &Template,
    h: &Hit,
    values: &[&Token],
    targets: &[CellIdx],
    kinds: &[ValueKind],
    computed: &[bool],
    (name, short): (&str, &str),
) -> Result<Pending, Doubt> {
    let table = &t.tables[h.table];
    let (have, need) = (values.len(), targets.len());
    let texts: Vec<String> = values.iter().map(|tk| tk.text.clone()).collect();
    let ((cands, complete), guess) = if have < need && values.iter().any(|tk| tk.run) {
        (
            split_candidates(
                &texts,
                kinds,
                computed,
                (has_row_total(t, targets), &OwnSums::of(t, targets)),
            ),
            Guess::Split(texts.join(" ")),
        )
    } else if have < need {
        let guess = if h.separated {
            Guess::Lost { have, need }
        } else {
            Guess::Blanks { have, need }
        };
        (blank_candidates(&texts, kinds, computed), guess)
    } else {
        (
            (window_candidates(table, h, values, kinds), true),
            Guess::Window { have, need },
        )
    };
    if cands.is_empty() {
        return Err(Doubt {
            cells: targets.to_vec(),
            line: h.line,
            source: h.source.clone(),
            message: format!("「{name}」的数字无法分到{need}个单元格中，未读入"),
        });
    }
    Ok(Pending {
        cells: targets.to_vec(),
        cands,
        complete,
        guess,
        table: h.table,
        name: name.to_owned(),
        short: short.to_owned(),
        line: h.line,
        source: h.source.clone(),
    })
}

/// Doubts for the tables and rows no line was found for (their cells stay blank).
fn missing_rows(t: &Template, done: &[(usize, Option<usize>, usize)], doubts: &mut Vec<Doubt>) {
    for (ti, table) in t.tables.iter().enumerate() {
        let found = |r: Option<usize>| done.iter().any(|d| d.0 == ti && (d.1 == r || r.is_none()));
        let name = table.caption.unwrap_or_else(|| {
            t.sections
                .iter()
                .find(|s| s.id == table.section)
                .map_or(table.id, |s| s.heading)
        });
        if !found(None) {
            doubts.push(Doubt {
                cells: table.rows.iter().flat_map(|r| r.cells.iter().copied()).collect(),
                line: 0,
                source: String::new(),
                message: format!("没有找到表格「{name}」，其中各格留空"),
            });
            continue;
        }
        if table.layout == Layout::Inline {
            continue;
        }
        // The rows of a table not found make one doubt.
        let missing: Vec<&crate::template::Row> = table
            .rows
            .iter()
            .enumerate()
            .filter(|&(ri, _)| !found(Some(ri)))
            .map(|(_, r)| r)
            .collect();
        let message = match missing.as_slice() {
            [] => continue,
            [row] => format!("「{name}」中没有找到「{}」这一行，其中各格留空", row.label()),
            rows => format!(
                "「{name}」中没有找到{}行：「{}」，其中各格留空",
                rows.len(),
                rows.iter().map(|r| r.short).collect::<Vec<_>>().join("」「")
            ),
        };
        doubts.push(Doubt {
            cells: missing.iter().flat_map(|r| r.cells.iter().copied()).collect(),
            line: 0,
            source: String::new(),
            message,
        });
    }
}

/// Candidates taking `need` consecutive numbers out of more: nearest the expected columns first.
fn window_candidates(table: &Table, h: &Hit, values: &[&Token], kinds: &[ValueKind]) -> Vec<Vec<Value>> {
    let need = kinds.len();
    let start = if h.row.is_some() { table.label_cols } else { 0 };
    let mut windows: Vec<usize> = (0..=values.len() - need).collect();
    windows.sort_by_key(|&w| values[w].pos.abs_diff(start));
    windows
        .into_iter()
        .filter_map(|w| {
            values[w..w + need]
                .iter()
                .zip(kinds)
                .map(|(tk, &k)| parse_input(k, &tk.text).ok())
                .collect::<Option<Vec<Value>>>()
        })
        .collect()
}
