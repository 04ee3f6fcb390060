//! Tables listed column by column: a PDF's text in reading order (`pdftotext` without `-layout`, or a copy out
//! of a PDF viewer) gives the numbers of a table apart from its row labels. Where rows sit close together, each
//! table column of those rows comes out as one block of lines, one number a line, the blocks one after the
//! other (a row standing apart gives one block per cell); the row labels come before, after or between these
//! blocks in an order of their own.
//!
//! What holds in that order is that the numbers are listed top to bottom: the blocks of one run of rows, taken
//! column by column, are those rows, and the runs follow each other as the rows do (a page break or a header
//! between them changes nothing). So the rows present in the table (their labels found anywhere in it) are
//! given the number rows in template order. The reading is offered beside the stream reader's; the table's
//! relations (row totals, column sums) decide which one is kept, and whether a run of blocks was a block of
//! columns or a row written across lines after all.

use super::labels::{FieldKind, field_kind};
use super::split::is_error_equation;
use super::stream::{Stream, keys, locate, source_line};
use super::tables::Found;
use crate::template::{CellIdx, Layout, Template};
use rust_decimal::Decimal;
use std::ops::Range;

/// Most lines a table's column may have: a longer block of numbers is no table's column.
const MAX_ROWS: usize = 64;

/// A run of number blocks read as rows: `blocks` are the blocks in order, `columns` the table's width.
#[derive(Clone, Debug)]
struct Chunk {
    blocks: Vec<Vec<String>>,
    /// Each block a column of the chunk's rows (else the values row after row).
    column_major: bool,
}

impl Chunk {
    /// Number of table rows the chunk holds.
    fn rows(&self, columns: usize) -> usize {
        if self.column_major {
            self.blocks.first().map_or(0, Vec::len)
        } else {
            self.blocks.iter().map(Vec::len).sum::<usize>() / columns.max(1)
        }
    }

    /// The chunk's rows, as the chunk says (`column_major`) or the other way (`transposed`).
    fn read(&self, columns: usize, transposed: bool) -> Vec<Vec<String>> {
        let rows = self.rows(columns);
        if self.column_major ^ transposed {
            (0..rows)
                .map(|r| self.blocks.iter().map(|b| b[r].clone()).collect())
                .collect()
        } else {
            let all: Vec<String> = self.blocks.iter().flatten().cloned().collect();
            all.chunks(columns.max(1)).map(<[String]>::to_vec).collect()
        }
    }
}

/// The value a line holds when it holds one number (or a dash for a blank) and nothing else.
fn value_line(line: &str) -> Option<String> {
    let t = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}');
    match field_kind(t) {
        FieldKind::Number if !t.contains(char::is_whitespace) => Some(t.to_owned()),
        FieldKind::Dash => Some("-".to_owned()),
        _ => None,
    }
}

/// Blocks of consecutive number lines in `lines` (a blank or text line ends one).
fn blocks(lines: &[&str]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for l in lines {
        match value_line(l) {
            Some(v) => cur.push(v),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The blocks as chunks of rows: runs of one-line blocks are rows written cell by cell; runs of longer blocks
/// are, `columns` blocks at a time, the columns of as many rows as each block has lines. `None` when the
/// blocks do not make whole rows (a cell left out, a stray number): this is then not a table listed by columns.
fn chunks(blocks: Vec<Vec<String>>, columns: usize) -> Option<Vec<Chunk>> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut run: Vec<Vec<String>> = Vec::new();
    let flush = |run: &mut Vec<Vec<String>>, out: &mut Vec<Chunk>| -> Option<()> {
        if run.is_empty() {
            return Some(());
        }
        if run[0].len() == 1 {
            if !run.len().is_multiple_of(columns) {
                return None;
            }
            out.push(Chunk {
                blocks: std::mem::take(run),
                column_major: false,
            });
            return Some(());
        }
        if !run.len().is_multiple_of(columns) {
            return None;
        }
        for part in run.chunks(columns) {
            // The columns of one run of rows have as many lines each.
            if part.iter().any(|b| b.len() != part[0].len()) {
                return None;
            }
            out.push(Chunk {
                blocks: part.to_vec(),
                column_major: true,
            });
        }
        run.clear();
        Some(())
    };
    for b in blocks {
        if b.len() > MAX_ROWS {
            return None;
        }
        let single = b.len() == 1;
        if run.first().is_some_and(|f| (f.len() == 1) != single) {
            flush(&mut run, &mut out)?;
        }
        run.push(b);
    }
    flush(&mut run, &mut out)?;
    Some(out)
}

/// A row of the table as the document shows it: a row whose label was found, or a group's label standing for
/// its rows (none of them found); with where the label is in the stream.
enum Visual {
    Row(usize, Range<usize>),
    Group(Vec<usize>, Range<usize>),
}

/// The rows of table `ti` whose labels are in `from..to`, in template order (the order the rows are printed).
fn visual_rows(s: &Stream, t: &Template, ti: usize, from: usize, to: usize) -> Vec<Visual> {
    let table = &t.tables[ti];
    let group_of = |ri: usize| {
        let l = table.rows[ri].labels;
        (l.len() >= 2).then(|| l[l.len() - 2])
    };
    let mut out = Vec::new();
    let mut ri = 0;
    while ri < table.rows.len() {
        let group = group_of(ri);
        let last = (ri..table.rows.len())
            .take_while(|&r| group.is_some() && group_of(r) == group)
            .last()
            .unwrap_or(ri);
        let mut any = false;
        for r in ri..=last {
            let row = &table.rows[r];
            let forms: Vec<&str> = row.label_forms().collect();
            if let Some((p, e)) = locate(s, &keys(&forms), from, to) {
                out.push(Visual::Row(r, p..e));
                any = true;
            }
        }
        if !any
            && last > ri
            && let Some(g) = group
            && let Some((p, e)) = locate(s, &keys(&[g]), from, to)
        {
            out.push(Visual::Group((ri..=last).collect(), p..e));
        }
        ri = last + 1;
    }
    out
}

/// The value of a number as written, for weighing readings (a blank or a dash is none).
fn number(s: &str) -> Option<Decimal> {
    s.replace([',', '，'], "").parse().ok()
}

/// The error relations (`=`) among cells of table `ti`.
fn table_relations(t: &Template, ti: usize) -> Vec<usize> {
    t.relations
        .iter()
        .enumerate()
        .filter(|(_, r)| is_error_equation(t, r) && r.lhs.iter().chain(r.rhs).all(|&c| t.cells[c].table == ti))
        .map(|(i, _)| i)
        .collect()
}

/// How well values fit the relations `rels`: relations that hold less those broken, over the relations whose
/// cells all have a value; and how many cells have one.
fn fit(t: &Template, rels: &[usize], values: &[Option<Decimal>]) -> (i64, usize) {
    let mut score = 0i64;
    for &r in rels {
        let rel = &t.relations[r];
        let side = |cells: &[CellIdx]| -> Option<Decimal> {
            cells.iter().try_fold(Decimal::ZERO, |acc, &c| {
                values.get(c).copied().flatten().map(|v| acc + v)
            })
        };
        if let (Some(a), Some(b)) = (side(rel.lhs), side(rel.rhs)) {
            score += if a == b { 1 } else { -1 };
        }
    }
    (score, values.iter().filter(|v| v.is_some()).count())
}

/// The values rows found give the cells of table `ti`: a row with exactly one clean field per column.
fn values_of(t: &Template, ti: usize, found: &[Found]) -> Vec<Option<Decimal>> {
    let mut values = vec![None; t.cells.len()];
    let columns = t.tables[ti].columns.len();
    for f in found.iter().filter(|f| f.table == ti) {
        let Some(r) = f.row else { continue };
        if f.tokens.len() != columns || f.tokens.iter().any(|(_, run)| *run) {
            continue;
        }
        for (&c, (text, _)) in t.tables[ti].rows[r].cells.iter().zip(&f.tokens) {
            values[c] = number(text);
        }
    }
    values
}

/// Where each table's text is: (start, end) in the stream, from its caption (or its section's heading) to the
/// next table's caption or the next heading. `heads` are the section headings found, in template order.
fn regions(s: &Stream, t: &Template, heads: &[Option<(usize, usize)>]) -> Vec<Option<(usize, usize)>> {
    let len = s.chars.len();
    let mut out: Vec<Option<(usize, usize)>> = vec![None; t.tables.len()];
    for (si, sec) in t.sections.iter().enumerate() {
        let Some((_, head_end)) = heads[si] else { continue };
        let end = heads[si + 1..].iter().flatten().map(|h| h.0).next().unwrap_or(len);
        let mut starts: Vec<(usize, Option<(usize, usize)>)> = Vec::new();
        let mut cursor = head_end;
        for (k, &ti) in sec.tables.iter().enumerate() {
            let caption = t.tables[ti]
                .caption
                .and_then(|c| s.find_any(&keys(&[c])[0], cursor, end));
            match caption {
                Some(hit) => {
                    starts.push((ti, Some(hit)));
                    cursor = hit.1;
                }
                // Only the first table may go without its caption: it starts at the heading.
                None if k == 0 => starts.push((ti, Some((head_end, head_end)))),
                None => starts.push((ti, None)),
            }
        }
        for (k, &(ti, at)) in starts.iter().enumerate() {
            let Some((_, from)) = at else { continue };
            let to = starts[k + 1..].iter().find_map(|(_, a)| a.map(|a| a.0)).unwrap_or(end);
            out[ti] = Some((from, to.max(from)));
        }
    }
    out
}

/// The rows of table `ti` read as columns of number blocks in `from..to`, and whether any blocks were read as
/// columns; `None` when the blocks do not make as many rows as the table shows.
fn read_table(
    s: &Stream,
    t: &Template,
    lines: &[&str],
    ti: usize,
    (from, to): (usize, usize),
    rels: &[usize],
) -> Option<(Vec<Found>, bool)> {
    let table = &t.tables[ti];
    let columns = table.columns.len();
    let n = s.chars.len();
    let first = s.line_at(from.saturating_sub(1)).unwrap_or(0);
    let last = if to < n {
        s.line_at(to).unwrap_or(lines.len())
    } else {
        lines.len()
    };
    let body = lines.get(first..last.max(first))?;
    let chunks = chunks(blocks(body), columns)?;
    let visual = visual_rows(s, t, ti, from, to);
    let total: usize = chunks.iter().map(|c| c.rows(columns)).sum();
    if total != visual.len() || total == 0 {
        return None;
    }
    let found_of = |transposed: &[bool]| -> Vec<Found> {
        let rows = chunks.iter().zip(transposed).flat_map(|(c, &tr)| c.read(columns, tr));
        let mut out = Vec::new();
        for (v, values) in visual.iter().zip(rows) {
            let tokens: Vec<(String, bool)> = values.into_iter().map(|x| (x, false)).collect();
            match v {
                // The numbers stand apart from the label: the label is the evidence quoted.
                Visual::Row(r, at) => {
                    let (line, source) = source_line(lines, s, at.start, at.clone());
                    out.push(Found {
                        table: ti,
                        row: Some(*r),
                        line,
                        source,
                        tokens,
                        positional: false,
                    });
                }
                // Counts are never negative: rows adding up to a group of zeros are zeros, whichever they are.
                Visual::Group(rows, at) if tokens.iter().all(|(x, _)| x == "0") => {
                    let (line, source) = source_line(lines, s, at.start, at.clone());
                    for &r in rows {
                        out.push(Found {
                            table: ti,
                            row: Some(r),
                            line,
                            source: source.clone(),
                            tokens: tokens.clone(),
                            positional: false,
                        });
                    }
                }
                Visual::Group(..) => {}
            }
        }
        out
    };
    // Each block of columns read as columns unless its rows fit the relations better read across.
    let mut transposed = vec![false; chunks.len()];
    for k in 0..chunks.len() {
        if !chunks[k].column_major {
            continue;
        }
        let as_columns = fit(t, rels, &values_of(t, ti, &found_of(&transposed))).0;
        transposed[k] = true;
        let across = fit(t, rels, &values_of(t, ti, &found_of(&transposed))).0;
        transposed[k] = across > as_columns;
    }
    let by_columns = chunks.iter().zip(&transposed).any(|(c, &tr)| c.column_major && !tr);
    Some((found_of(&transposed), by_columns))
}

/// Replaces the stream reader's rows of each table by the rows read as columns where those fit the table's
/// relations better, or fit as well and fill more cells, or fill as many and the numbers stood in columns (the
/// stream reader would take them row by row).
pub fn prefer_columns(
    s: &Stream,
    t: &Template,
    lines: &[&str],
    heads: &[Option<(usize, usize)>],
    found: &mut Vec<Found>,
) {
    for (ti, region) in regions(s, t, heads).into_iter().enumerate() {
        let Some(region) = region else { continue };
        let mut rows = found.iter().filter(|f| f.table == ti && f.row.is_some()).peekable();
        // A table written one cell per line is read by position already.
        let by_position = rows.peek().is_some() && rows.all(|f| f.positional);
        if t.tables[ti].layout != Layout::Rows || by_position {
            continue;
        }
        let rels = table_relations(t, ti);
        let Some((by_columns, in_columns)) = read_table(s, t, lines, ti, region, &rels) else {
            continue;
        };
        let old = fit(t, &rels, &values_of(t, ti, found));
        let new = fit(t, &rels, &values_of(t, ti, &by_columns));
        if new > old || (new == old && in_columns) {
            let at = found.iter().position(|f| f.table == ti).unwrap_or(found.len());
            found.retain(|f| f.table != ti);
            let at = at.min(found.len());
            found.splice(at..at, by_columns);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;
    use crate::template::Edition;
    use std::fmt::Write;

    fn lines(s: &str) -> Vec<&str> {
        s.split('\n').collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|&x| x.to_owned()).collect()
    }

    /// The rows the stream reader finds, by row id, with their fields.
    fn rows(t: &Template, text: &str) -> Vec<(&'static str, Vec<String>)> {
        super::super::stream::read(t, text)
            .into_iter()
            .filter_map(|f| {
                let r = f.row?;
                Some((
                    t.tables[f.table].rows[r].id,
                    f.tokens.into_iter().map(|x| x.0).collect(),
                ))
            })
            .collect()
    }

    fn row<'a>(got: &'a [(&'static str, Vec<String>)], id: &str) -> Option<&'a [String]> {
        got.iter().find(|r| r.0 == id).map(|r| r.1.as_slice())
    }

    #[test]
    fn blocks_of_number_lines() {
        let text = "规章\n0\n\n5\n1\n-\n\n文字 3\n7730.28\n";
        assert_eq!(
            blocks(&lines(text)),
            vec![strings(&["0"]), strings(&["5", "1", "-"]), strings(&["7730.28"])]
        );
    }

    #[test]
    fn runs_become_rows() {
        // Two columns: a row cell by cell, then two rows column by column.
        let got = chunks(
            vec![
                strings(&["1"]),
                strings(&["2"]),
                strings(&["3", "5"]),
                strings(&["4", "6"]),
            ],
            2,
        )
        .unwrap_or_default();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].read(2, false), vec![strings(&["1", "2"])]);
        assert_eq!(got[1].read(2, false), vec![strings(&["3", "4"]), strings(&["5", "6"])]);
        assert_eq!(got[1].read(2, true), vec![strings(&["3", "5"]), strings(&["4", "6"])]);
        // Columns of unequal length, or a cell too few: not whole rows.
        assert!(chunks(vec![strings(&["3", "5"]), strings(&["4"]), strings(&["7", "8"])], 2).is_none());
        assert!(chunks(vec![strings(&["1"]), strings(&["2"]), strings(&["3"])], 2).is_none());
    }

    #[test]
    fn section_two_listed_by_columns_and_a_number_before_its_label() {
        let t = Edition::E2021.template();
        let text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n\n本年制发件数\n\n本年废止件数\n\n现行有效件数\n\n\
                    规章\n行政规范性文件\n\n0\n4\n\n1\n5\n\n2\n6\n\n第二十条第（五）项\n信息内容\n\n本年处理决定数量\n550\n\n\
                    行政许可\n\n第二十条第（六）项\n信息内容\n\n行政处罚\n\n12\n\n行政强制\n\n3\n";
        let got = rows(t, text);
        assert_eq!(row(&got, "s2.rules"), Some(&strings(&["0", "1", "2"])[..]));
        assert_eq!(row(&got, "s2.normative"), Some(&strings(&["4", "5", "6"])[..]));
        assert_eq!(row(&got, "s2.licensing"), Some(&strings(&["550"])[..]));
        assert_eq!(row(&got, "s2.penalty"), Some(&strings(&["12"])[..]));
        assert_eq!(row(&got, "s2.coercion"), Some(&strings(&["3"])[..]));
    }

    /// Section 三 of the 2021 form as a PDF's reading order lists it: rows standing apart cell by cell, runs
    /// of rows column by column (or, `across`, the run of (三)1–7 one row per block), the labels in runs of
    /// their own, a page break, the group （六） printed as one row.
    fn section_three(across: bool) -> String {
        let t = Edition::E2021.template();
        let label = |id: &str| {
            t.tables
                .iter()
                .flat_map(|x| x.rows)
                .find(|r| r.id == id)
                .map_or("", |r| r.label())
        };
        let mut values: Vec<(&str, [u32; 7])> = vec![
            ("s3.new", [3, 2, 0, 0, 0, 0, 5]),
            ("s3.carried_in", [0; 7]),
            ("s3.granted", [2, 1, 0, 0, 0, 0, 3]),
            ("s3.partial", [0; 7]),
        ];
        let denied = [
            "state_secret",
            "prohibited",
            "security",
            "third_party",
            "internal",
            "process",
            "enforcement",
        ];
        let ids: Vec<String> = denied.iter().map(|d| format!("s3.denied.{d}")).collect();
        values.extend(ids.iter().enumerate().map(|(k, id)| {
            let mut v = [0; 7];
            if k < 2 {
                v[k] = 1;
                v[6] = 1;
            }
            (id.as_str(), v)
        }));
        let singles = |v: &[u32]| {
            v.iter().fold(String::new(), |mut acc, x| {
                let _ = write!(acc, "{x}\n\n");
                acc
            })
        };
        let columns = |rows: &[[u32; 7]]| {
            (0..7).fold(String::new(), |mut acc, c| {
                for r in rows {
                    let _ = writeln!(acc, "{}", r[c]);
                }
                acc.push('\n');
                acc
            })
        };
        let mut text = format!("{}\n申请人情况\n\n自然人\n\n总计\n\n", t.sections[2].heading);
        text += &singles(&values[0].1);
        for (id, v) in &values[1..4] {
            let _ = write!(text, "{}\n\n{}", label(id), singles(v));
        }
        let block: Vec<[u32; 7]> = values[4..].iter().map(|v| v.1).collect();
        if across {
            text += &block
                .iter()
                .map(|r| columns(&[*r]).replace("\n\n", "\n"))
                .collect::<Vec<_>>()
                .join("\n");
            text += "\n";
        } else {
            text += &columns(&block);
        }
        text += "三、本年度办理结果\n\n";
        let _ = write!(text, "{}\n\n", label("s3.new"));
        for id in &ids[..3] {
            let _ = writeln!(text, "{}", label(id));
        }
        text += "（三）不予公开\n";
        for id in &ids[3..] {
            let _ = writeln!(text, "{}", label(id));
        }
        text += "\n- 3 -\n\u{c}";
        text += &columns(&[[0; 7]; 4]);
        text += &singles(&[0; 14]);
        text += &columns(&[[0; 7], [0; 7], [0; 7], [0; 7], [3, 2, 0, 0, 0, 0, 5]]);
        let _ = write!(text, "{}\n\n{}", label("s3.carried_out"), singles(&[0; 7]));
        for id in [
            "s3.denied.inquiry",
            "s3.unavailable.not_held",
            "s3.unavailable.needs_creation",
            "s3.unavailable.unclear",
            "s3.not_processed.complaint",
            "s3.not_processed.duplicate",
            "s3.not_processed.publication",
            "s3.not_processed.excessive",
            "s3.not_processed.confirm",
        ] {
            let _ = writeln!(text, "{}", label(id));
        }
        text += "（六）其他处理\n（七）总计\n\n四、政府信息公开行政复议、行政诉讼情况\n";
        text
    }

    #[test]
    fn section_three_listed_by_columns() {
        let t = Edition::E2021.template();
        for across in [false, true] {
            let text = section_three(across);
            let got = rows(t, &text);
            let want = |v: &[&str]| Some(strings(v));
            let get = |id: &str| row(&got, id).map(<[String]>::to_vec);
            assert_eq!(get("s3.new"), want(&["3", "2", "0", "0", "0", "0", "5"]), "{text}");
            assert_eq!(get("s3.granted"), want(&["2", "1", "0", "0", "0", "0", "3"]));
            assert_eq!(
                get("s3.denied.state_secret"),
                want(&["1", "0", "0", "0", "0", "0", "1"])
            );
            assert_eq!(get("s3.denied.prohibited"), want(&["0", "1", "0", "0", "0", "0", "1"]));
            assert_eq!(get("s3.other_handling.other"), want(&["0"; 7]));
            assert_eq!(get("s3.handled_total"), want(&["3", "2", "0", "0", "0", "0", "5"]));
            assert_eq!(get("s3.carried_out"), want(&["0"; 7]));
            // The whole import takes this reading.
            let imported = crate::import::import_text(&text);
            let cell = |id: &str| {
                let c = t.cells.iter().position(|c| c.id == id);
                c.and_then(|c| imported.as_ref().ok().map(|i| i.report.cells[c].clone()))
            };
            assert_eq!(cell("s3.new.commercial"), Some(Value::Int(2)));
            assert_eq!(cell("s3.handled_total.total"), Some(Value::Int(5)));
        }
    }

    #[test]
    fn rows_that_are_not_whole_stay_with_the_stream_reader() {
        let t = Edition::E2021.template();
        // A cell lost in one column: the columns make no whole rows, the labels' own numbers are read.
        let text = "二、主动公开政府信息情况\n第二十条第（一）项\n规章\n0\n\n1\n\n2\n\n行政规范性文件\n4\n5\n\n6\n\n";
        let got = rows(t, text);
        assert_eq!(row(&got, "s2.rules"), Some(&strings(&["0", "1", "2"])[..]));
    }
}
