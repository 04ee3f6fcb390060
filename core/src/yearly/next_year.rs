//! Next year's report from this year's (文件 → 新建下一年度报告, `nianbao next-year`).

use super::{DRAFT_MARKER, PreviousSummary};
use crate::report::{Report, Sum, Value};
use crate::template::{Edition, RuleKind, Template, Term, TextId};
use std::fmt::Write as _;

/// Next year's report and what the clerk should know about how it was made.
#[derive(Clone, Debug, PartialEq)]
pub struct NextYear {
    /// The new report: year + 1, edition for that year, carried-over figures, draft texts, predecessor summary.
    pub report: Report,
    /// Last year's filled-in cells that the new edition has no place for (edition change), one Chinese note each.
    pub not_carried: Vec<String>,
    /// What was done, in Chinese, for the clerk (edition change, figures carried, texts drafted).
    pub notes: Vec<String>,
}

/// Why there is no next year's report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NextYearError {
    /// The year is the last one a report can have.
    #[error("{0}年度已是能表示的最后一年，无法新建下一年度报告")]
    LastYear(i32),
}

/// Starts next year's report from `this`; refused when `this` is of the last year a report can have.
///
/// - year + 1, same agency, the edition of the new year (2020 → 2021 moves to the 2021 edition);
/// - section 三 `carried_in` = this year's `carried_out`, column by column (the template's `carry_over` pairs);
/// - 2019 edition: `prev_items` = this year's `prev_items + change`;
/// - texts brought over as drafts starting with [`DRAFT_MARKER`]; no other figure is copied;
/// - the new report remembers `this` as its predecessor ([`PreviousSummary`], with `path` if given), so that
///   the cross-year checks run on it.
pub fn next_year(this: &Report, path: Option<&str>) -> Result<NextYear, NextYearError> {
    let year = this.year.checked_add(1).ok_or(NextYearError::LastYear(this.year))?;
    let edition = Edition::for_year(year);
    let t = edition.template();
    let mut r = Report::new(edition, year, this.agency.clone());
    let mut notes = Vec::new();

    if edition != this.edition {
        notes.push(format!(
            "{year}年度报告改用《{}》（{}），只带入含义相同的栏目。",
            t.name, t.notice
        ));
    }

    r.title = next_title(&this.title, this.year, year);

    let mut drafted = Vec::new();
    for id in TextId::ALL {
        let old = strip_draft_marker(this.texts.get(id));
        if !old.trim().is_empty() {
            *r.texts.get_mut(id) = format!("{DRAFT_MARKER}\n{old}");
            drafted.push(t.text_label(id));
        }
    }
    if !drafted.is_empty() {
        notes.push(format!(
            "以下部分带入了上一年度的文字，已标为草稿，请逐段改写：{}。",
            drafted.join("、")
        ));
    }

    notes.extend(carry_over(this, &mut r, t));
    notes.extend(carry_prev_items(this, &mut r, t));
    r.fill_totals();

    let not_carried = not_carried(this, t);
    r.previous = Some(PreviousSummary::of(this, path.map(str::to_string)));
    notes.push(format!(
        "本年度其他数字没有沿用上一年度，请按{year}年度的实际情况填写。"
    ));
    Ok(NextYear {
        report: r,
        not_carried,
        notes,
    })
}

/// The text without a leading [`DRAFT_MARKER`] line (a draft never rewritten is not marked twice).
pub fn strip_draft_marker(text: &str) -> &str {
    match text.strip_prefix(DRAFT_MARKER) {
        Some(rest) => rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest),
        None => text,
    }
}

/// A custom title with the year moved on; empty (the standard title) when the year cannot be found in it.
fn next_title(title: &str, old_year: i32, year: i32) -> String {
    let old = format!("{old_year}年");
    if title.trim().is_empty() || !title.contains(&old) {
        return String::new();
    }
    title.replacen(&old, &format!("{year}年"), 1)
}

/// Fills the new report's `carry_over` targets from last year's cells. Returns a note per rule that carried a
/// figure, naming the rows from the templates (`「二、上年结转政府信息公开申请数量」已按2020年度报告的「四、结转下年度继续办理」填入。`).
fn carry_over(this: &Report, r: &mut Report, t: &Template) -> Vec<String> {
    let old = this.template();
    let mut notes = Vec::new();
    for rule in t.rules {
        let RuleKind::CarryOver { pairs } = &rule.kind else {
            continue;
        };
        let mut carried = false;
        for &(to, from_id) in *pairs {
            if let Some(v) = this.value(from_id) {
                carried |= !v.is_blank();
                r.set(to, v);
            }
        }
        if let (true, Some(&(to, from_id))) = (carried, pairs.first())
            && let Some(from) = old.cell_index(from_id)
        {
            notes.push(format!(
                "「{}」已按{}年度报告的「{}」填入。",
                t.row_of(to).1.label(),
                this.year,
                old.row_of(from).1.label()
            ));
        }
    }
    notes
}

/// Fills the cells that the template's cross-year rules derive from last year's figures alone (2019:
/// `prev_items` = last year's `prev_items + change`). Rules that also need this year's figures (2021
/// `in_force`) are left to the clerk and checked later. Returns a note per rule that filled a figure, naming
/// the columns from the templates (`「上一年项目数量」已按上一年度的「上一年项目数量」加「本年增/减」填入。`).
fn carry_prev_items(this: &Report, r: &mut Report, t: &Template) -> Vec<String> {
    let old = this.template();
    let mut notes = Vec::new();
    for rule in t.rules {
        let RuleKind::CrossYear { rows } = &rule.kind else {
            continue;
        };
        let mut described = None;
        for row in rows.iter().filter(|row| row.this_year.is_empty()) {
            if let Some(v) = signed_sum(this, row.last_year) {
                if !v.is_blank() {
                    described.get_or_insert(row);
                }
                r.set(row.target, v);
            }
        }
        let Some(row) = described else { continue };
        let mut terms = String::new();
        for (k, term) in row.last_year.iter().enumerate() {
            let Some(i) = old.cell_index(term.cell) else { continue };
            match (k, term.negative) {
                (_, true) => terms.push('减'),
                (0, false) => {}
                (_, false) => terms.push('加'),
            }
            let _ = write!(terms, "「{}」", old.column_of(i).label);
        }
        notes.push(format!(
            "「{}」已按上一年度的{terms}填入。",
            t.column_of(row.target).label
        ));
    }
    notes
}

/// The signed sum of `report`'s cells: `None` if it lacks one of them, blank if all are blank. A sum that has
/// no value (a term that is no number, or too large) is not carried: the clerk fills the cell in, and the
/// cross-year check compares it with last year's figures.
fn signed_sum(report: &Report, terms: &[Term<&str>]) -> Option<Value> {
    let mut sum = Sum::default();
    for term in terms {
        sum.add(&report.value(term.cell)?, term.negative);
    }
    sum.value().ok()
}

/// Notes for last year's non-blank cells whose id the new edition lacks.
fn not_carried(this: &Report, t: &Template) -> Vec<String> {
    let old_t = this.template();
    old_t
        .cells
        .iter()
        .zip(&this.cells)
        .filter(|(c, v)| !v.is_blank() && t.cell_index(c.id).is_none())
        .map(|(c, v)| {
            let shown = match v {
                Value::Blank => String::new(),
                _ => v.display(c.kind),
            };
            format!(
                "「{}」（{}年度为{shown}）：《{}》中没有这一栏，未带入。",
                c.label, this.year, t.name
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_marker_is_stripped_once() {
        let cases = [
            ("", ""),
            ("正文", "正文"),
            ("【草稿：以下为上一年度内容，请改写】\n正文", "正文"),
            ("【草稿：以下为上一年度内容，请改写】\r\n正文", "正文"),
            (
                "前言【草稿：以下为上一年度内容，请改写】",
                "前言【草稿：以下为上一年度内容，请改写】",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(strip_draft_marker(input), want, "{input:?}");
        }
    }

    #[test]
    fn notes_name_the_rows_and_columns_of_the_templates() {
        let mut this = Report::new(Edition::E2019, 2019, "某县人民政府");
        this.set_by_id("s3.carried_out.natural", Value::Int(3));
        this.set_by_id("s2.licensing.prev_items", Value::Int(10));
        this.set_by_id("s2.licensing.change", Value::Int(-2));
        let next = next_year(&this, None).unwrap();
        let want = [
            "「二、上年结转政府信息公开申请数量」已按2019年度报告的「四、结转下年度继续办理」填入。",
            "「上一年项目数量」已按上一年度的「上一年项目数量」加「本年增/减」填入。",
        ];
        for w in want {
            assert!(next.notes.iter().any(|n| n == w), "{w}: {:#?}", next.notes);
        }
        assert_eq!(next.report.value("s2.licensing.prev_items"), Some(Value::Int(8)));
        // Nothing carried: no note.
        let blank = next_year(&Report::new(Edition::E2019, 2019, "某县人民政府"), None).unwrap();
        assert!(!blank.notes.iter().any(|n| n.contains("已按")), "{:#?}", blank.notes);
    }

    #[test]
    fn custom_titles_move_on_a_year() {
        let cases = [
            ("", 2020, ""),
            (
                "某县2020年政府信息公开工作年度报告（修订）",
                2020,
                "某县2021年政府信息公开工作年度报告（修订）",
            ),
            ("某县年度报告", 2020, ""),
        ];
        for (title, year, want) in cases {
            assert_eq!(next_title(title, year, year + 1), want, "{title:?}");
        }
    }
}
