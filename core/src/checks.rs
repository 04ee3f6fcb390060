//! Checks: `(report, last year?) -> findings`.
//!
//! [`check`] runs every rule of the report's template (`Template::rules`), dispatching on [`RuleKind`]. Nothing
//! here names a label or a cell id: messages are built from the template's labels, scopes and rule texts.
//!
//! The work is arranged so that a report with nothing wrong costs no string building: sums are exact integers
//! (`i128`, money in `Decimal`), and a message is formatted only once a finding exists.

use crate::report::{Report, Sum, SumError, Value};
use crate::template::{
    CellIdx, CrossYearRow, Edition, Op, Quote, Relation, Rule, RuleKind, Severity, Template, TextId, ValueKind,
};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// One problem found in a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable rule id (`balance`, `blank`, …).
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The cells involved, first the one to jump to.
    pub cells: Vec<CellIdx>,
    /// What the value should be, where that is known.
    pub expected: Option<Value>,
    /// What it is.
    pub actual: Option<Value>,
    /// A Chinese message a clerk understands.
    pub message: String,
    /// The edition whose cell indices `cells` holds (for [`Finding::key`] and the JSON cell ids).
    pub edition: Edition,
    /// A warning the clerk marked as checked (已核实): its key is in `Report::acknowledged`. Never set on errors.
    pub acknowledged: bool,
}

impl Finding {
    /// The stable key used to acknowledge this warning in `Report::acknowledged`: `rule:first-cell-id`, or the
    /// rule id alone when the finding names no cell.
    pub fn key(&self) -> String {
        let t = self.edition.template();
        match self.cells.first().and_then(|&c| t.cells.get(c)) {
            Some(cell) => format!("{}:{}", self.rule, cell.id),
            None => self.rule.to_string(),
        }
    }

    /// Its kind in words: [`Severity::label`], and `（已核实）` after a warning the clerk marked as checked.
    pub fn label(&self) -> String {
        if self.acknowledged {
            format!("{}（已核实）", self.severity.label())
        } else {
            self.severity.label().to_string()
        }
    }

    /// Whether the clerk may mark it as checked (warnings only).
    pub fn can_acknowledge(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// The JSON object of `interfaces.md` (`rule`, `severity`, `cells` as ids, `expected`, `actual`, `message`),
    /// plus `acknowledged`. `template` must be the report's template (the cells are its indices).
    pub fn to_json(&self, template: &Template) -> serde_json::Value {
        let cells: Vec<serde_json::Value> = self
            .cells
            .iter()
            .filter_map(|&c| template.cells.get(c))
            .map(|c| serde_json::Value::from(c.id))
            .collect();
        serde_json::json!({
            "rule": self.rule,
            "severity": match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            "cells": cells,
            "expected": value_json(self.expected.as_ref()),
            "actual": value_json(self.actual.as_ref()),
            "message": self.message,
            "acknowledged": self.acknowledged,
        })
    }
}

/// A value as in the report JSON: integers as numbers, money as a decimal string, blank or unknown as `null`,
/// invalid text as that text.
fn value_json(v: Option<&Value>) -> serde_json::Value {
    match v {
        None | Some(Value::Blank) => serde_json::Value::Null,
        Some(Value::Int(n)) => (*n).into(),
        Some(Value::Money(d)) => d.to_string().into(),
        Some(Value::Invalid(s)) => s.clone().into(),
    }
}

/// Counts of findings: what the status bar and `check` print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Errors (never acknowledged).
    pub errors: usize,
    /// Warnings not yet marked as checked.
    pub warnings: usize,
    /// Warnings marked as checked (已核实).
    pub acknowledged: usize,
}

/// Counts errors, open warnings and acknowledged warnings.
pub fn summarize(findings: &[Finding]) -> Summary {
    let mut s = Summary::default();
    for f in findings {
        match (f.severity, f.acknowledged) {
            (Severity::Error, _) => s.errors += 1,
            (Severity::Warning, false) => s.warnings += 1,
            (Severity::Warning, true) => s.acknowledged += 1,
        }
    }
    s
}

/// Runs every rule of the report's template. `previous` is last year's report, for the cross-year rules
/// (`carry_over`, `same_as_last_year`, cross-year identities); without it those rules are skipped.
///
/// Findings come errors first, then warnings, each in template order of their first cell (findings about the
/// whole report, with no cell, first); findings whose key is in `report.acknowledged` are returned with
/// `acknowledged` set (warnings only).
pub fn check(report: &Report, previous: Option<&Report>) -> Vec<Finding> {
    let t = report.template();
    let mut out = Out {
        edition: report.edition,
        findings: Vec::new(),
    };
    for (ri, rule) in t.rules.iter().enumerate() {
        match &rule.kind {
            RuleKind::Relation => {
                for rel in t.relations.iter().filter(|r| r.rule == ri) {
                    check_relation(&mut out, report, rule, rel);
                }
            }
            RuleKind::Value => check_values(&mut out, report, rule),
            RuleKind::EditionYear => check_edition_year(&mut out, report, rule),
            RuleKind::Blank => check_blanks(&mut out, report, rule),
            RuleKind::Precision => check_precision(&mut out, report, rule),
            RuleKind::TextLayout => check_text_layout(&mut out, report, rule),
            RuleKind::FeeReport { text, keyword, cell } => {
                check_fee_report(&mut out, report, rule, *text, keyword, *cell);
            }
            RuleKind::Narrative { quotes } => check_narrative(&mut out, report, rule, quotes),
            RuleKind::Draft { marker } => check_draft(&mut out, report, rule, marker),
            RuleKind::CarryOver { pairs } => {
                if let Some(prev) = previous {
                    check_carry_over(&mut out, report, prev, rule, pairs);
                }
            }
            RuleKind::SameAsLastYear => {
                if let Some(prev) = previous {
                    check_same_as_last_year(&mut out, report, prev, rule);
                }
            }
            RuleKind::CrossYear { rows } => {
                if let Some(prev) = previous {
                    for row in *rows {
                        check_cross_year(&mut out, report, prev, rule, row);
                    }
                }
            }
        }
    }
    let mut findings = out.findings;
    if !report.acknowledged.is_empty() {
        for f in &mut findings {
            f.acknowledged = f.can_acknowledge() && report.acknowledged.contains(&f.key());
        }
    }
    // Stable: equal keys keep rule order.
    findings.sort_by_key(|f| (f.severity, f.cells.first().copied()));
    findings
}

/// Collects findings of one report.
struct Out {
    edition: Edition,
    findings: Vec<Finding>,
}

impl Out {
    fn push(&mut self, rule: &Rule, cells: Vec<CellIdx>, expected: Option<Value>, actual: Option<Value>, msg: String) {
        self.findings.push(Finding {
            rule: rule.id,
            severity: rule.severity,
            cells,
            expected,
            actual,
            message: msg,
            edition: self.edition,
            acknowledged: false,
        });
    }
}

/// The sum of `cells` of `report`. A total left blank because it could not be computed (a term that is no
/// number, or too large) is unknown, not 0.
fn sum_of(report: &Report, cells: &[CellIdx]) -> Sum {
    let mut s = Sum::default();
    for &c in cells {
        s.add(&report.get(c), false);
        if uncomputable_total(report, c) {
            s.set_unknown();
        }
    }
    s
}

/// Whether `cell` is a total that [`Report::fill_totals`] left blank because its sum has no value.
fn uncomputable_total(report: &Report, cell: CellIdx) -> bool {
    let t = report.template();
    let Some(f) = t.cells.get(cell).and_then(|c| c.formula) else {
        return false;
    };
    if !report.get(cell).is_blank() {
        return false;
    }
    let s = sum_of(report, t.relations[f].rhs);
    s.is_unknown() || s.is_too_large()
}

/// A sum as a finding's `expected`/`actual`: blank counts as 0 (the arithmetic's view); `None` when it has no
/// value.
fn figure(s: Sum) -> Option<Value> {
    match s.value() {
        Ok(Value::Blank) => Some(Value::Int(0)),
        Ok(v) => Some(v),
        Err(_) => None,
    }
}

/// The unit of a figure in messages: `件` for counts, none for money (its label says 万元).
fn unit(t: &Template, cells: &[CellIdx]) -> &'static str {
    if cells
        .iter()
        .any(|&c| t.cells.get(c).is_some_and(|c| c.kind == ValueKind::Money))
    {
        ""
    } else {
        "件"
    }
}

fn check_relation(out: &mut Out, report: &Report, rule: &Rule, rel: &Relation) {
    let lhs = sum_of(report, rel.lhs);
    let rhs = sum_of(report, rel.rhs);
    let Some(ord) = lhs.compare(rhs) else {
        // Invalid text: the `value` rule names the cell. Too large: said here, where the sum is made.
        if lhs.is_too_large() || rhs.is_too_large() {
            let cells: Vec<CellIdx> = rel.lhs.iter().chain(rel.rhs).copied().collect();
            let msg = format!(
                "{}：{}（{}，{}）",
                rel.scope,
                SumError::TooLarge,
                rel.lhs_text,
                rel.rhs_text
            );
            out.push(rule, cells, None, None, msg);
        }
        return;
    };
    let wrong = match rel.op {
        Op::Eq => ord != Ordering::Equal,
        Op::Le => ord == Ordering::Greater,
    };
    if !wrong {
        return;
    }
    // Cold path from here on: build the message.
    let t = report.template();
    let cells: Vec<CellIdx> = rel.lhs.iter().chain(rel.rhs).copied().collect();
    let (l, r) = (lhs.show(), rhs.show());
    let (scope, lt, rt) = (rel.scope, rel.lhs_text, rel.rhs_text);
    let msg = match rel.op {
        Op::Eq => {
            let diff = lhs
                .minus(rhs)
                .map_or_else(String::new, |d| format!("，相差{}{}", d.abs().show(), unit(t, &cells)));
            format!("{scope}：{lt}（{l}）≠ {rt}（{r}）{diff}")
        }
        Op::Le => format!("{scope}：{lt}（{l}）> {rt}（{r}）"),
    };
    // A computing relation: the stored total is what is (actual), the sum of its parts what it should be.
    let (expected, actual) = match (rel.computes, rel.op) {
        (Some(_), _) | (None, Op::Le) => (figure(rhs), figure(lhs)),
        (None, Op::Eq) => (figure(lhs), figure(rhs)),
    };
    out.push(rule, cells, expected, actual, msg);
}

fn check_values(out: &mut Out, report: &Report, rule: &Rule) {
    let t = report.template();
    for (i, c) in t.cells.iter().enumerate() {
        let v = report.get(i);
        if let Some(p) = v.problem(c.kind) {
            let shown = v.display(c.kind);
            let msg = if v.is_invalid() {
                format!(
                    "「{}」：{p}（现在是「{shown}」，不是有效的数字，相关合计无法计算）",
                    c.label
                )
            } else {
                format!("「{}」：{p}（现在是{shown}）", c.label)
            };
            out.push(rule, vec![i], None, Some(v), msg);
        }
    }
}

fn check_edition_year(out: &mut Out, report: &Report, rule: &Rule) {
    let t = report.template();
    if t.covers_year(report.year) {
        return;
    }
    let need = Edition::for_year(report.year).template();
    let msg = format!(
        "{}年度的报告应使用《{}》（{}），现在用的是《{}》（{}）",
        report.year, need.name, need.notice, t.name, t.notice
    );
    out.push(rule, Vec::new(), None, None, msg);
}

fn check_blanks(out: &mut Out, report: &Report, rule: &Rule) {
    let t = report.template();
    for (i, c) in t.cells.iter().enumerate() {
        if !c.computed && report.get(i).is_blank() {
            out.push(rule, vec![i], None, None, format!("「{}」未填写，按0计算", c.label));
        }
    }
}

fn check_precision(out: &mut Out, report: &Report, rule: &Rule) {
    let t = report.template();
    for (i, c) in t.cells.iter().enumerate() {
        if c.kind != ValueKind::Money {
            continue;
        }
        // `12.50000` has scale 5 but only one real decimal place: normalise first.
        if let Value::Money(d) = report.get(i)
            && d.scale() > 4
            && d.normalize().scale() > 4
        {
            let msg = format!(
                "「{}」的金额{}超过4位小数（单位万元，保留4位小数）",
                c.label,
                d.normalize()
            );
            out.push(rule, vec![i], None, Some(Value::Money(d)), msg);
        }
    }
}

/// `text_layout`: in the text export a text's lines stand between the section headings and the tables, as they
/// are. A line holding a TAB reads as a table row there, and a line that is a section heading reads as the start
/// of another section (and vanishes into it when the text is imported again). Warned, not escaped: the text stays
/// what the clerk wrote, and the clerk, who sees the warning, decides.
fn check_text_layout(out: &mut Out, report: &Report, rule: &Rule) {
    let t = report.template();
    let bare = |s: &str| -> String {
        s.trim()
            .trim_matches(['#', '*', ' ', '\u{3000}'])
            .trim_end_matches(['：', ':'])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let headings: Vec<String> = t
        .sections
        .iter()
        .flat_map(|s| std::iter::once(s.heading).chain(s.aliases.iter().copied()))
        .map(bare)
        .collect();
    for id in TextId::ALL {
        for (n, line) in report.texts.get(id).lines().enumerate() {
            let what = if line.contains('\t') {
                "含有制表符（Tab），导出的文本中会像表格的一行"
            } else if headings.contains(&bare(line)) && !bare(line).is_empty() {
                "与部分标题相同，导出的文本中会被当作另一部分的开始"
            } else {
                continue;
            };
            let msg = format!("「{}」第{}行{what}：{}", id.label(), n + 1, line.trim());
            out.push(rule, Vec::new(), None, None, msg);
        }
    }
}

/// The word that names the fee notices in section 六 (`发出收费通知N件`). A heuristic of this module, not
/// a template label: it only decides whether the text reports how many notices were sent.
const NOTICE_WORD: &str = "收费通知";

/// Characters around [`NOTICE_WORD`] within which a digit counts as "the text gives a number of notices".
const NOTICE_WINDOW: usize = 12;

/// `fee_report`: the text must mention the keyword (信息处理费); and when applications were dropped for unpaid
/// fees (the cell > 0), fee notices were sent, so the text must report them: we warn when no occurrence of
/// 收费通知 has a digit within a few characters (so `本年度未收取信息处理费` or `未发出收费通知` warn,
/// `发出收费通知2件` does not).
fn check_fee_report(out: &mut Out, report: &Report, rule: &Rule, text: TextId, keyword: &str, cell: CellIdx) {
    let s = report.texts.get(text);
    if !s.contains(keyword) {
        let msg = format!(
            "「{}」没有报告{keyword}情况（应写明发出收费通知的件数和金额、实际收取的金额，没有的也要写明）",
            report.template().text_label(text)
        );
        out.push(rule, Vec::new(), None, None, msg);
    }
    let v = report.get(cell);
    if v.as_decimal() > Decimal::ZERO && !mentions_notice_count(s) {
        let t = report.template();
        let label = t.cells.get(cell).map_or("", |c| c.label);
        let msg = format!(
            "「{label}」填了{}件，说明发出过收费通知，但「{}」没有写发出收费通知的件数",
            v.display(ValueKind::Count),
            report.template().text_label(text)
        );
        out.push(rule, vec![cell], None, Some(v), msg);
    }
}

/// A text that still holds the draft marker put before last year's wording: not yet rewritten.
fn check_draft(out: &mut Out, report: &Report, rule: &Rule, marker: &str) {
    for id in TextId::ALL {
        if report.texts.get(id).contains(marker) {
            let msg = format!(
                "「{}」还留有草稿标记（{marker}…），上一年度的文字请改写后删去标记",
                id.label()
            );
            out.push(rule, Vec::new(), None, None, msg);
        }
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn mentions_notice_count(s: &str) -> bool {
    s.match_indices(NOTICE_WORD).any(|(pos, w)| {
        s[..pos].chars().rev().take(NOTICE_WINDOW).any(is_digit)
            || s[pos + w.len()..].chars().take(NOTICE_WINDOW).any(is_digit)
    })
}

/// Characters allowed between a narrative keyword and its figure (`共`, `为`, `了`, `数量`, `：`, `共计`,
/// `案件`…). Anything else (`同比下降`, `较上年`) means the figure is not the quoted total.
fn is_filler(c: char) -> bool {
    matches!(
        c,
        '共' | '为' | '了' | '数' | '量' | '：' | ':' | '计' | '总' | '合' | '达' | '有' | '案' | '件' | '是'
    ) || c.is_whitespace()
}

/// How many filler characters may stand between keyword and figure.
const MAX_FILLER: usize = 6;

/// How far back (characters) the quoted fragment may start before its keyword.
const MAX_LEAD: usize = 30;

/// A figure quoted in a text: `…keyword[filler]N件`.
struct Quoted<'a> {
    /// The quote of the template it refers to.
    quote: &'a Quote,
    /// The number.
    number: i128,
    /// Byte range of the fragment to show (sentence start to `件`).
    start: usize,
    end: usize,
}

/// `narrative`: scans each text for `N件` (cheap: one search for `件`), and only there looks back for a
/// keyword of a quote, possibly followed by a few filler characters. Conservative: `100余件`, `1.5件`,
/// `较上年增加3件` are not quotes.
fn check_narrative(out: &mut Out, report: &Report, rule: &Rule, quotes: &'static [Quote]) {
    for id in TextId::ALL {
        let text = report.texts.get(id);
        for (pos, _) in text.match_indices('件') {
            let Some(q) = quoted_before(text, pos, quotes) else {
                continue;
            };
            if q.quote.cells.iter().all(|&c| report.get(c).is_blank()) {
                continue;
            }
            let table = sum_of(report, q.quote.cells);
            let said = Sum::int(q.number);
            if table.compare(said) == Some(Ordering::Equal) {
                continue;
            }
            let t = report.template();
            let fragment: String = text[q.start..q.end].split_whitespace().collect();
            let labels: Vec<&str> = q
                .quote
                .cells
                .iter()
                .filter_map(|&c| t.cells.get(c))
                .map(|c| c.label)
                .collect();
            let mut msg = format!(
                "「{}」中的「{fragment}」与表格不一致：表格中",
                report.template().text_label(id)
            );
            if let [one] = labels.as_slice() {
                let _ = write!(msg, "「{one}」为{}件", table.show());
            } else {
                for l in &labels {
                    let _ = write!(msg, "「{l}」");
                }
                let _ = write!(msg, "合计{}件", table.show());
            }
            out.push(rule, q.quote.cells.to_vec(), figure(table), figure(said), msg);
        }
    }
}

/// If the `件` at byte `pos` ends `keyword[filler]N件` for a keyword of `quotes`, the quoted figure.
fn quoted_before<'a>(text: &str, pos: usize, quotes: &'a [Quote]) -> Option<Quoted<'a>> {
    let end = pos + '件'.len_utf8();
    // Whitespace between number and 件 (hard-wrapped text).
    let before = text[..pos].trim_end();
    // The number: digits (ASCII or full-width), ASCII thousands separators inside.
    let mut num_start = before.len();
    for (i, c) in before.char_indices().rev() {
        if is_digit(c) || c == ',' {
            num_start = i;
        } else {
            break;
        }
    }
    let digits = before[num_start..].trim_start_matches(',');
    num_start = before.len() - digits.len();
    if digits.is_empty() || digits.ends_with(',') {
        return None;
    }
    let head = &before[..num_start];
    // Not a decimal fraction.
    if head.ends_with(['.', '．']) {
        return None;
    }
    let mut number: i128 = 0;
    let mut n_digits = 0;
    for c in digits.chars().filter(|&c| c != ',') {
        let d = if c.is_ascii_digit() {
            c as u32 - '0' as u32
        } else {
            c as u32 - '０' as u32
        };
        number = number * 10 + i128::from(d);
        n_digits += 1;
        if n_digits > 18 {
            return None;
        }
    }
    // Look back over at most MAX_FILLER filler characters for a keyword.
    let mut p = head.len();
    let mut fillers = head[..p].chars().rev();
    for step in 0..=MAX_FILLER {
        let h = &head[..p];
        let last = h.chars().next_back()?;
        for quote in quotes {
            // Comparing last characters first keeps this cheap for the many `N件` that quote nothing.
            let ends = |k: &&&str| k.ends_with(last) && h.ends_with(**k);
            if let Some(kw) = quote.keywords.iter().find(ends) {
                let kw_start = p - kw.len();
                return Some(Quoted {
                    quote,
                    number,
                    start: sentence_start(text, kw_start),
                    end,
                });
            }
        }
        if step == MAX_FILLER {
            break;
        }
        match fillers.next() {
            Some(c) if is_filler(c) => p -= c.len_utf8(),
            _ => break,
        }
    }
    None
}

/// Start of the fragment to quote: just after the last sentence or clause break before `at`, at most
/// [`MAX_LEAD`] characters back.
fn sentence_start(text: &str, at: usize) -> usize {
    let mut start = at;
    for (n, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if matches!(c, '。' | '；' | ';' | '！' | '？' | '!' | '?' | '\n' | '，' | ',') {
            return i + c.len_utf8();
        }
        if n >= MAX_LEAD {
            return at;
        }
        start = i;
    }
    start
}

fn check_carry_over(out: &mut Out, report: &Report, prev: &Report, rule: &Rule, pairs: &[(CellIdx, &str)]) {
    let pt = prev.template();
    for &(this, prev_id) in pairs {
        // A total follows its inputs: warning about it too would only repeat the column's warning.
        if report.template().cells.get(this).is_none_or(|c| c.computed) {
            continue;
        }
        let Some(pi) = pt.cell_index(prev_id) else { continue };
        let (now, then) = (report.get(this), prev.get(pi));
        // Invalid text is no figure to compare (the `value` rule names it).
        if now.is_blank() && then.is_blank() || now.is_invalid() || then.is_invalid() {
            continue;
        }
        if now.as_decimal() == then.as_decimal() {
            continue;
        }
        let t = report.template();
        let kind = t.cells[this].kind;
        let msg = format!(
            "「{}」填了{}件，上年报告「{}」为{}件",
            t.cells[this].label,
            show0(&now, kind),
            pt.cells[pi].label,
            show0(&then, kind)
        );
        out.push(rule, vec![this], Some(then), Some(now), msg);
    }
}

/// A value for a message, blank shown as 0 (the arithmetic's view).
fn show0(v: &Value, kind: ValueKind) -> String {
    if v.is_blank() { "0".to_string() } else { v.display(kind) }
}

/// The index in `prev` of this report's cell `i` (same edition: the same index).
fn prev_index(report: &Report, prev: &Report, i: CellIdx) -> Option<CellIdx> {
    if prev.edition == report.edition {
        return Some(i);
    }
    let id = report.template().cells.get(i)?.id;
    prev.template().cell_index(id)
}

fn check_same_as_last_year(out: &mut Out, report: &Report, prev: &Report, rule: &Rule) {
    let t = report.template();
    let pt = prev.template();
    for tb in t.tables {
        let Some(ptb) = pt.table(tb.id) else { continue };
        let count: usize = tb.rows.iter().map(|r| r.cells.len()).sum();
        let prev_count: usize = ptb.rows.iter().map(|r| r.cells.len()).sum();
        if count != prev_count {
            continue;
        }
        let mut same = true;
        let mut nonzero = false;
        for &i in tb.rows.iter().flat_map(|r| r.cells) {
            let Some(pi) = prev_index(report, prev, i) else {
                same = false;
                break;
            };
            let (a, b) = (report.get(i), prev.get(pi));
            // Same variant and value is the common case; Int(5) against Money(5) still counts as the same.
            if a != b
                && (a.is_blank() != b.is_blank()
                    || a.is_invalid()
                    || b.is_invalid()
                    || a.as_decimal() != b.as_decimal())
            {
                same = false;
                break;
            }
            nonzero |= match a {
                Value::Blank => false,
                Value::Int(n) => n != 0,
                Value::Money(d) => !d.is_zero(),
                Value::Invalid(_) => true,
            };
        }
        if !(same && nonzero) {
            continue;
        }
        let name = t.table_name(tb);
        let cells: Vec<CellIdx> = tb.rows.iter().flat_map(|r| r.cells).copied().collect();
        let msg = format!("「{name}」的表格与上年报告完全相同，请确认不是沿用了上年的数据");
        out.push(rule, cells, None, None, msg);
    }
}

fn check_cross_year(out: &mut Out, report: &Report, prev: &Report, rule: &Rule, row: &CrossYearRow) {
    let now = report.get(row.target);
    if now.is_blank() {
        return; // the `blank` rule names it
    }
    let pt = prev.template();
    let mut expected = Sum::default();
    let mut last_filled = false;
    let mut last = Vec::with_capacity(row.last_year.len());
    for term in row.last_year {
        let Some(pi) = pt.cell_index(term.cell) else { return };
        let v = prev.get(pi);
        last_filled |= !v.is_blank();
        expected.add(&v, term.negative);
        last.push((pi, v, term.negative));
    }
    if !last_filled {
        return; // last year's report did not fill the row in: nothing to compare with
    }
    for term in row.this_year {
        expected.add(&report.get(term.cell), term.negative);
    }
    let mut actual = Sum::default();
    actual.add(&now, false);
    if !matches!(actual.compare(expected), Some(Ordering::Less | Ordering::Greater)) {
        return;
    }
    // Cold path: spell the sum out.
    let t = report.template();
    let mut formula = String::new();
    let sign = |f: &mut String, negative: bool| {
        if negative {
            f.push('－');
        } else if !f.is_empty() {
            f.push('＋');
        }
    };
    for (pi, v, negative) in last {
        sign(&mut formula, negative);
        let col = pt.column_of(pi);
        let _ = write!(formula, "上年报告{}{}", col.short, show0(&v, col.kind));
    }
    for term in row.this_year {
        sign(&mut formula, term.negative);
        let col = t.column_of(term.cell);
        let _ = write!(formula, "{}{}", col.short, show0(&report.get(term.cell), col.kind));
    }
    let target = &t.cells[row.target];
    let msg = format!(
        "「{}」填了{}，按上年报告推算应为{}（{formula}）",
        target.label,
        show0(&now, target.kind),
        expected.show()
    );
    let mut cells = vec![row.target];
    cells.extend(row.this_year.iter().map(|term| term.cell));
    out.push(rule, cells, figure(expected), Some(now), msg);
}

/// Applications of one section-三 column not yet accounted for, while the clerk is still typing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unaccounted {
    /// Index of the balance relation in `Template::relations`.
    pub relation: usize,
    /// The column, as the relation names it (`自然人列`).
    pub scope: &'static str,
    /// The cell to jump to (the relation's first cell).
    pub cell: CellIdx,
    /// Received (left side) minus accounted for (right side): > 0 still missing, < 0 too many.
    pub missing: i128,
}

impl Unaccounted {
    /// The line the window shows, e.g. `自然人列还有3件未计入办理结果`.
    pub fn message(&self) -> String {
        if self.missing > 0 {
            format!("{}还有{}件未计入办理结果", self.scope, self.missing)
        } else {
            format!("{}计入办理结果和结转的比收到的申请多{}件", self.scope, -self.missing)
        }
    }
}

/// Per section-三 column, how many applications (new + carried in) are not yet accounted for by the handling
/// results and the carried-out row, walking the relations of the template's `balance_rule`. Uses the stored totals: call
/// `Report::fill_totals` first. `None` when every column balances (or the template has no such rule);
/// otherwise the columns that do not, in template order. Columns holding money (a `value` error) are skipped.
pub fn unaccounted(report: &Report) -> Option<Vec<Unaccounted>> {
    let t = report.template();
    let rule = t.balance_rule?;
    let mut out = Vec::new();
    for (i, rel) in t.relations.iter().enumerate().filter(|(_, r)| r.rule == rule) {
        let (l, r) = (sum_of(report, rel.lhs), sum_of(report, rel.rhs));
        let (Some(l), Some(r)) = (l.whole(), r.whole()) else {
            continue;
        };
        let Some(missing) = l.checked_sub(r).filter(|&m| m != 0) else {
            continue;
        };
        out.push(Unaccounted {
            relation: i,
            scope: rel.scope,
            cell: rel.lhs.first().or(rel.rhs.first()).copied().unwrap_or_default(),
            missing,
        });
    }
    if out.is_empty() { None } else { Some(out) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition::{E2019, E2021};

    fn money(s: &str) -> Value {
        Value::Money(s.parse().unwrap())
    }

    /// A complete, consistent report of `edition`: every input filled, totals computed, texts agreeing.
    fn clean(edition: Edition) -> Report {
        let year = if edition == E2019 { 2020 } else { 2021 };
        let mut r = Report::new(edition, year, "某县人民政府");
        r.fill_blanks_with_zero();
        let t = r.template();
        let s3 = t.table("s3").unwrap();
        for (c, col) in s3.columns.iter().enumerate().filter(|(_, c)| !c.computed) {
            let c = c as i64;
            for (row, v) in [
                ("new", 10 + c),
                ("carried_in", 2),
                ("granted", 9 + c),
                ("partial", 1),
                ("carried_out", 2),
            ] {
                assert!(r.set_by_id(&format!("s3.{row}.{}", col.id), Value::Int(v)));
            }
        }
        let s2: &[(&str, Value)] = if edition == E2021 {
            &[
                ("s2.rules.issued", Value::Int(1)),
                ("s2.rules.in_force", Value::Int(5)),
                ("s2.normative.issued", Value::Int(3)),
                ("s2.normative.repealed", Value::Int(1)),
                ("s2.normative.in_force", Value::Int(20)),
                ("s2.licensing.decisions", Value::Int(5297)),
                ("s2.fees.amount", money("12372.0506")),
            ]
        } else {
            &[
                ("s2.normative.made", Value::Int(3)),
                ("s2.licensing.prev_items", Value::Int(10)),
                ("s2.licensing.change", Value::Int(2)),
                ("s2.licensing.decisions", Value::Int(100)),
                ("s2.fees.prev_items", Value::Int(4)),
                ("s2.fees.change", Value::Int(-1)),
                ("s2.procurement.amount", money("259849.2975")),
            ]
        };
        for (id, v) in s2 {
            assert!(r.set_by_id(id, v.clone()), "{id}");
        }
        r.set_by_id("s4.review.upheld", Value::Int(2));
        r.set_by_id("s4.review.corrected", Value::Int(1));
        r.set_by_id("s4.suit_direct.pending", Value::Int(1));
        r.fill_totals();
        let new = r.value("s3.new.total").unwrap().as_int().unwrap();
        r.texts.overview = format!("全年共受理依申请公开{new}件，均按时答复。发生行政复议3件，行政诉讼1件。");
        r.texts.other = "本年度未收取信息处理费。".into();
        r
    }

    fn rules(f: &[Finding]) -> Vec<&'static str> {
        f.iter().map(|f| f.rule).collect()
    }

    fn only(f: &[Finding], rule: &str) -> Vec<Finding> {
        f.iter().filter(|f| f.rule == rule).cloned().collect()
    }

    fn set(r: &mut Report, id: &str, v: Value) {
        assert!(r.set_by_id(id, v), "{id}");
    }

    fn idx(r: &Report, id: &str) -> CellIdx {
        r.template().cell_index(id).unwrap()
    }

    #[test]
    fn clean_reports_give_no_findings() {
        for e in Edition::ALL {
            let r = clean(e);
            let f = check(&r, None);
            assert!(f.is_empty(), "{e:?}: {f:#?}");
            assert_eq!(unaccounted(&r), None);
        }
    }

    #[test]
    fn balance_message_is_exact() {
        let mut r = clean(E2021);
        for (id, v) in [
            ("s3.new.natural", 380),
            ("s3.carried_in.natural", 5),
            ("s3.granted.natural", 300),
            ("s3.partial.natural", 0),
            ("s3.carried_out.natural", 84),
        ] {
            r.set_by_id(id, Value::Int(v));
        }
        r.fill_totals();
        let f = check(&r, None);
        let b = only(&f, "balance");
        assert_eq!(b.len(), 2, "{b:#?}"); // 自然人列 and 总计列
        assert_eq!(b[0].message, "自然人列：一+二（385）≠ 三（七）+四（384），相差1件");
        assert_eq!(
            (b[0].expected.clone(), b[0].actual.clone()),
            (Some(Value::Int(385)), Some(Value::Int(384)))
        );
        assert_eq!(b[0].severity, Severity::Error);
        assert_eq!(b[0].cells[0], idx(&r, "s3.new.natural"));
        assert_eq!(b[0].cells.len(), 4);
        assert!(b[1].message.starts_with("总计列："), "{}", b[1].message);
        // The narrative now quotes a figure that no longer matches: a warning, not an error.
        assert!(rules(&f).iter().all(|r| ["balance", "narrative"].contains(r)), "{f:#?}");
    }

    /// One table row per rule: break a clean report, expect that rule (and say which others may come along).
    #[test]
    #[allow(clippy::too_many_lines)] // a table of cases, one line per rule
    fn each_rule_fires_on_a_report_broken_for_it() {
        type Break = fn(&mut Report);
        // (edition, rule, how to break, part of the message, other rules that may come along)
        const REL: &[&str] = &["balance", "handled_sum", "row_total", "narrative"];
        let cases: &[(Edition, &str, Break, &str, &[&str])] = &[
            (
                E2021,
                "handled_sum",
                |r| set(r, "s3.handled_total.research", Value::Int(7)),
                "科研机构列：三（七）（7）≠ 各项办理结果之和（12），相差5件",
                REL,
            ),
            (
                E2021,
                "row_total",
                |r| set(r, "s3.granted.total", Value::Int(1)),
                "三（一）「（一）予以公开」：总计（1）≠ 各类申请人之和（69），相差68件",
                REL,
            ),
            (
                E2019,
                "s4_total",
                |r| set(r, "s4.review.total", Value::Int(4)),
                "行政复议：总计（4）≠ 各项结果之和（3），相差1件",
                REL,
            ),
            (
                E2021,
                "value",
                |r| set(r, "s2.licensing.decisions", Value::Int(-1)),
                "「行政许可 · 本年处理决定数量」：件数不能是负数（现在是-1）",
                &[],
            ),
            (
                E2021,
                "value",
                |r| set(r, "s2.rules.issued", money("1.5")),
                "「规章 · 本年制发件数」：这里只能填写整数（现在是1.5）",
                &[],
            ),
            (
                E2019,
                "value",
                |r| set(r, "s2.procurement.amount", money("-3")),
                "「政府集中采购 · 采购总金额」：金额不能是负数（现在是-3.0000）",
                &[],
            ),
            (
                E2021,
                "edition_year",
                |r| r.year = 2020,
                "2020年度的报告应使用《年度报告格式（试行）》（国办公开办函〔2019〕60号），现在用的是《年度报告格式》（国办公开办函〔2021〕30号）",
                &[],
            ),
            (
                E2019,
                "edition_year",
                |r| r.year = 2022,
                "2022年度的报告应使用《年度报告格式》",
                &[],
            ),
            (
                E2021,
                "in_force",
                |r| {
                    r.set_by_id("s2.rules.issued", Value::Int(5));
                    r.set_by_id("s2.rules.in_force", Value::Int(3));
                },
                "规章：本年制发件数（5）> 现行有效件数+本年废止件数（3）",
                &[],
            ),
            (
                E2021,
                "blank",
                |r| set(r, "s3.new.research", Value::Blank),
                "「一、本年新收政府信息公开申请数量 · 科研机构」未填写，按0计算",
                REL,
            ),
            (
                E2021,
                "precision",
                |r| set(r, "s2.fees.amount", money("1.23456")),
                "「行政事业性收费 · 本年收费金额」的金额1.23456超过4位小数",
                &[],
            ),
            (
                E2021,
                "fee_report",
                |r| r.texts.other.clear(),
                "「六、其他需要报告的事项」没有报告信息处理费情况",
                &[],
            ),
            (
                E2021,
                "narrative",
                |r| r.texts.overview = "全年共受理依申请公开９９件。".into(),
                "「全年共受理依申请公开９９件」与表格不一致：表格中「一、本年新收政府信息公开申请数量 · 总计」为75件",
                &[],
            ),
            (
                E2019,
                "narrative",
                |r| r.texts.problems = "另有，行政诉讼共计5件".into(),
                "「行政诉讼共计5件」与表格不一致：表格中「行政诉讼（未经复议直接起诉） · 总计」「行政诉讼（复议后起诉） · 总计」合计1件",
                &[],
            ),
        ];
        for (e, rule, brk, msg, also) in cases {
            let mut r = clean(*e);
            brk(&mut r);
            let f = check(&r, None);
            let hits = only(&f, rule);
            assert!(!hits.is_empty(), "{rule}: {f:#?}");
            assert!(hits.iter().any(|h| h.message.contains(msg)), "{rule}: {hits:#?}");
            // Nothing unrelated fires (blanking a cell also unbalances its column; a wrong total too).
            for other in rules(&f) {
                assert!(
                    other == *rule || also.contains(&other),
                    "{rule} brought {other}: {f:#?}"
                );
            }
        }
    }

    #[test]
    fn invalid_text_is_one_error_naming_the_cell_and_no_sum_guesses() {
        for e in Edition::ALL {
            let mut r = clean(e);
            set(&mut r, "s3.granted.natural", Value::from_input(ValueKind::Count, "2.5"));
            r.fill_totals();
            let f = check(&r, None);
            // Only the value rule speaks: the balance and the totals over the cell are not guessed at.
            assert_eq!(rules(&f), vec!["value"], "{e:?}: {f:#?}");
            assert_eq!(f[0].severity, Severity::Error);
            assert_eq!(f[0].cells, vec![idx(&r, "s3.granted.natural")]);
            assert_eq!(f[0].actual, Some(Value::Invalid("2.5".into())));
            assert!(
                f[0].message.contains("这里只能填写整数") && f[0].message.contains("2.5"),
                "{}",
                f[0].message
            );
            assert!(f[0].message.contains("合计无法计算"), "{}", f[0].message);
        }
    }

    #[test]
    fn computed_relation_puts_the_total_first_with_expected_sum() {
        let mut r = clean(E2021);
        r.set_by_id("s3.granted.total", Value::Int(1));
        let f = only(&check(&r, None), "row_total");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].cells[0], idx(&r, "s3.granted.total"));
        assert_eq!(f[0].cells.len(), 7);
        assert_eq!(f[0].actual, Some(Value::Int(1)));
        assert_eq!(f[0].expected, Some(Value::Int(69)));
    }

    #[test]
    fn blank_is_not_zero() {
        let mut r = clean(E2021);
        r.set_by_id("s4.review.pending", Value::Int(0));
        assert!(check(&r, None).is_empty());
        r.set_by_id("s4.review.pending", Value::Blank);
        let f = check(&r, None);
        assert_eq!(rules(&f), ["blank"]);
        assert_eq!(f[0].cells, [idx(&r, "s4.review.pending")]);
        // A blank report: one warning per input cell, none for the computed totals.
        let blank = Report::new(E2021, 2021, "x");
        let t = blank.template();
        let n_inputs = t.cells.iter().filter(|c| !c.computed).count();
        let f = check(&blank, None);
        assert_eq!(only(&f, "blank").len(), n_inputs);
        assert!(only(&f, "blank").iter().all(|f| !t.cells[f.cells[0]].computed));
    }

    #[test]
    fn fee_report_unpaid_needs_notices_in_the_text() {
        let mut r = clean(E2021);
        // Move one application from 予以公开 to 逾期未缴费: still balanced.
        r.set_by_id("s3.granted.natural", Value::Int(8));
        r.set_by_id("s3.other_handling.unpaid_fee.natural", Value::Int(1));
        r.fill_totals();
        let cases = [
            ("本年度未收取信息处理费。", 1),
            ("本年度未发出收费通知，未收取信息处理费。", 1),
            (
                "本年度发出收费通知1件，金额0.01万元，申请人逾期未缴纳，未收取信息处理费。",
                0,
            ),
            ("本年度共发出１件收费通知，实际收取信息处理费0元。", 0),
            ("无。", 2),
        ];
        for (text, n) in cases {
            r.texts.other = text.into();
            let f = check(&r, None);
            assert_eq!(only(&f, "fee_report").len(), n, "{text}: {f:#?}");
            assert_eq!(f.len(), n, "{text}: {f:#?}");
        }
    }

    #[test]
    fn narrative_is_conservative() {
        // The clean report has 75 new applications, 3 reviews, 1 lawsuit.
        let quiet = [
            "全年共受理依申请公开75件，均在法定期限内予以答复。",
            "全年共受理依申请公开７５件。",
            "收到政府信息公开申请数量为75件",
            "全年共受理依申请公开75\n件",
            "收到政府信息公开申请较上年增加3件。",
            "收到政府信息公开申请100余件。",
            "收到政府信息公开申请1.5件",
            "答复不够严谨，导致行政复议或行政诉讼案件的发生。",
            "办理12345热线14287件，信箱549件。",
            "行政复议决定书9件",
            "行政复议案件3件，行政诉讼案件1件。",
        ];
        for text in quiet {
            let mut r = clean(E2021);
            r.texts.overview = text.into();
            let f = check(&r, None);
            assert!(f.is_empty(), "{text}: {f:#?}");
        }
        let loud = [
            (
                "全年共受理依申请公开76件，均已办结。",
                "「全年共受理依申请公开76件」",
                76,
            ),
            (
                "今年，共收到政府信息公开申请1,234件",
                "「共收到政府信息公开申请1,234件」",
                1234,
            ),
            ("行政复议：2件。", "「行政复议：2件」", 2),
        ];
        for (text, frag, said) in loud {
            let mut r = clean(E2021);
            r.texts.preamble = text.into();
            let f = check(&r, None);
            assert_eq!(rules(&f), ["narrative"], "{text}: {f:#?}");
            assert!(f[0].message.contains(frag), "{}", f[0].message);
            assert_eq!(f[0].actual, Some(Value::Int(said)));
        }
        // All quoted cells blank: nothing to compare with.
        let mut r = clean(E2021);
        for id in ["s4.review.upheld", "s4.review.corrected", "s4.review.total"] {
            r.set_by_id(id, Value::Blank);
        }
        r.texts.overview = "行政复议5件".into();
        assert!(only(&check(&r, None), "narrative").is_empty());
    }

    #[test]
    fn acknowledged_warnings_are_kept_but_not_counted() {
        let mut r = clean(E2021);
        r.set_by_id("s4.review.pending", Value::Blank);
        r.set_by_id("s2.licensing.decisions", Value::Int(-1));
        let f = check(&r, None);
        assert_eq!(summarize(&f).errors, 1);
        assert_eq!(summarize(&f).warnings, 1);
        let blank = only(&f, "blank");
        assert_eq!(blank[0].key(), "blank:s4.review.pending");
        r.acknowledged.insert(blank[0].key());
        // An error's key in the set does not acknowledge it.
        r.acknowledged.insert(only(&f, "value")[0].key());
        let f = check(&r, None);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            summarize(&f),
            Summary {
                errors: 1,
                warnings: 0,
                acknowledged: 1
            }
        );
        assert!(only(&f, "blank")[0].acknowledged);
        assert!(!only(&f, "value")[0].acknowledged);
        let whole = Finding {
            cells: Vec::new(),
            ..blank[0].clone()
        };
        assert_eq!(whole.key(), "blank");
    }

    #[test]
    fn errors_come_first_then_template_order() {
        let mut r = clean(E2021);
        r.set_by_id("s4.review.pending", Value::Blank); // warning, late cell
        r.set_by_id("s2.rules.repealed", Value::Blank); // warning, first cell
        r.set_by_id("s4.review.total", Value::Int(9)); // error, late cell
        r.year = 2019; // error, no cell
        let f = check(&r, None);
        // The narrative quotes 行政复议3件: its first cell is the review total, after the blank 尚未审结.
        assert_eq!(rules(&f), ["edition_year", "s4_total", "blank", "blank", "narrative"]);
        assert_eq!(f[2].cells[0], idx(&r, "s2.rules.repealed"));
    }

    #[test]
    fn json_has_the_interface_fields() {
        let mut r = clean(E2021);
        r.set_by_id("s4.review.total", Value::Int(4));
        let f = check(&r, None);
        let j = f[0].to_json(r.template());
        assert_eq!(j["rule"], "s4_total");
        assert_eq!(j["severity"], "error");
        assert_eq!(j["cells"][0], "s4.review.total");
        assert_eq!(j["cells"].as_array().unwrap().len(), 5);
        assert_eq!(j["expected"], 3);
        assert_eq!(j["actual"], 4);
        assert_eq!(j["acknowledged"], false);
        assert_eq!(j["message"], "行政复议：总计（4）≠ 各项结果之和（3），相差1件");
        let mut r = clean(E2021);
        r.set_by_id("s2.fees.amount", money("1.00001"));
        let j = check(&r, None)[0].to_json(r.template());
        assert_eq!(j["actual"], "1.00001");
        assert_eq!(j["expected"], serde_json::Value::Null);
    }

    #[test]
    fn carry_over_needs_previous_and_compares_columns() {
        let prev = clean(E2019); // 2020: carried out 2 in every column
        let mut r = clean(E2021);
        // Section 四 has the same cells in both editions and the same figures: only that table is a copy.
        assert_eq!(rules(&check(&r, Some(&prev))), ["same_as_last_year"]);
        r.set_by_id("s3.carried_in.natural", Value::Int(10));
        r.set_by_id("s3.new.natural", Value::Int(1));
        r.fill_totals();
        assert!(only(&check(&r, None), "carry_over").is_empty());
        let f = check(&r, Some(&prev));
        let c = only(&f, "carry_over");
        assert_eq!(c.len(), 1, "{c:#?}"); // 自然人; not the computed 总计 again
        assert_eq!(
            c[0].message,
            "「二、上年结转政府信息公开申请数量 · 自然人」填了10件，上年报告「四、结转下年度继续办理 · 自然人」为2件"
        );
        assert_eq!(
            (c[0].expected.clone(), c[0].actual.clone()),
            (Some(Value::Int(2)), Some(Value::Int(10)))
        );
        // Blank this year against 0 last year is not a carry-over mismatch (blank counts as 0; `blank` names it).
        let mut prev0 = prev.clone();
        prev0.set_by_id("s3.carried_out.legal", Value::Int(0));
        prev0.fill_totals();
        let mut r = clean(E2021);
        r.set_by_id("s3.carried_in.legal", Value::Blank);
        r.set_by_id("s3.new.legal", Value::Int(15));
        r.fill_totals();
        assert!(only(&check(&r, Some(&prev0)), "carry_over").is_empty());
    }

    #[test]
    fn same_as_last_year_per_identical_table() {
        let prev = clean(E2021);
        let mut r = prev.clone();
        r.year = 2022;
        let f = check(&r, Some(&prev));
        let same = only(&f, "same_as_last_year");
        let t = r.template();
        // Every table but （六）, which is all zeros (行政处罚、行政强制 0).
        assert_eq!(same.len(), t.tables.len() - 1, "{same:#?}");
        assert!(
            same[0].message.contains("二、主动公开政府信息情况·第二十条第（一）项"),
            "{}",
            same[0].message
        );
        assert_eq!(same[0].cells.len(), 6);
        assert!(check(&r, None).iter().all(|f| f.rule != "same_as_last_year"));
        // Change one figure of section 四: that table is no longer a copy.
        r.set_by_id("s4.suit_after_review.upheld", Value::Int(1));
        r.fill_totals();
        let same = only(&check(&r, Some(&prev)), "same_as_last_year");
        assert_eq!(same.len(), t.tables.len() - 2);
        // An all-zero table is not reported.
        let mut z = Report::new(E2021, 2021, "x");
        z.fill_blanks_with_zero();
        let mut z2 = z.clone();
        z2.year = 2022;
        assert!(only(&check(&z2, Some(&z)), "same_as_last_year").is_empty());
        // Across editions: section 三 has other cells, section 四 the same ones.
        let p19 = clean(E2019);
        let mut r = clean(E2021);
        for id in ["s4.review.upheld", "s4.review.corrected", "s4.suit_direct.pending"] {
            r.set_by_id(id, p19.value(id).unwrap());
        }
        let same = only(&check(&r, Some(&p19)), "same_as_last_year");
        assert_eq!(same.len(), 1, "{same:#?}");
        assert_eq!(same[0].cells[0], idx(&r, "s4.review.upheld"));
    }

    #[test]
    fn in_force_carry_2021() {
        let prev = clean(E2021); // 规章 in force 5, 行政规范性文件 20
        let mut r = prev.clone();
        r.year = 2022;
        r.set_by_id("s2.rules.issued", Value::Int(2));
        r.set_by_id("s2.rules.repealed", Value::Int(1));
        r.set_by_id("s2.rules.in_force", Value::Int(6)); // 5 + 2 − 1
        r.set_by_id("s2.normative.issued", Value::Int(4));
        r.set_by_id("s2.normative.repealed", Value::Int(0));
        r.set_by_id("s2.normative.in_force", Value::Int(25)); // should be 24
        let f = only(&check(&r, Some(&prev)), "in_force_carry");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].message,
            "「行政规范性文件 · 现行有效件数」填了25，按上年报告推算应为24（上年报告现行有效件数20＋本年制发件数4－本年废止件数0）"
        );
        assert_eq!(
            (f[0].expected.clone(), f[0].actual.clone()),
            (Some(Value::Int(24)), Some(Value::Int(25)))
        );
        assert_eq!(f[0].cells[0], idx(&r, "s2.normative.in_force"));
        assert!(only(&check(&r, None), "in_force_carry").is_empty());
        // Last year in the 2019 edition has no 现行有效件数: nothing to compare.
        assert!(only(&check(&r, Some(&clean(E2019))), "in_force_carry").is_empty());
        // Last year's row left blank: nothing to compare.
        let mut p = prev.clone();
        p.set_by_id("s2.normative.in_force", Value::Blank);
        assert!(only(&check(&r, Some(&p)), "in_force_carry").is_empty());
    }

    #[test]
    fn prev_items_carry_2019() {
        let mut prev = clean(E2019); // 行政许可 10 + 2; 行政事业性收费 4 − 1
        prev.year = 2019;
        let mut r = clean(E2019);
        r.set_by_id("s2.licensing.prev_items", Value::Int(12));
        r.set_by_id("s2.fees.prev_items", Value::Int(4)); // should be 3
        r.set_by_id("s2.fees.change", Value::Int(0));
        let f = only(&check(&r, Some(&prev)), "prev_items_carry");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].cells, [idx(&r, "s2.fees.prev_items")]);
        assert_eq!(
            f[0].message,
            "「行政事业性收费 · 上一年项目数量」填了4，按上年报告推算应为3（上年报告上一年项目数量4＋上年报告本年增/减-1）"
        );
        assert!(only(&check(&r, None), "prev_items_carry").is_empty());
        // The rule covers every row with both columns: （五）（六）（八）.
        let RuleKind::CrossYear { rows } = &r.template().rule("prev_items_carry").unwrap().kind else {
            panic!("prev_items_carry is a cross-year rule")
        };
        assert_eq!(rows.len(), 5);
    }

    #[test]
    fn unaccounted_walks_the_balance_relations() {
        let mut r = Report::new(E2021, 2021, "x");
        r.set_by_id("s3.new.natural", Value::Int(5));
        r.set_by_id("s3.new.commercial", Value::Int(1));
        r.set_by_id("s3.granted.natural", Value::Int(3));
        r.fill_totals();
        let u = unaccounted(&r).unwrap();
        let got: Vec<(&str, i128)> = u.iter().map(|u| (u.scope, u.missing)).collect();
        assert_eq!(got, [("自然人列", 2), ("商业企业列", 1), ("总计列", 3)]);
        assert_eq!(u[0].message(), "自然人列还有2件未计入办理结果");
        assert_eq!(u[0].cell, idx(&r, "s3.new.natural"));
        r.set_by_id("s3.carried_out.natural", Value::Int(3));
        r.set_by_id("s3.granted.commercial", Value::Int(1));
        r.fill_totals();
        let u = unaccounted(&r).unwrap();
        assert_eq!(u[0].missing, -1);
        assert_eq!(u[0].message(), "自然人列计入办理结果和结转的比收到的申请多1件");
        r.set_by_id("s3.carried_out.natural", Value::Int(2));
        r.fill_totals();
        assert_eq!(unaccounted(&r), None);
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let mut r = clean(E2021);
        r.set_by_id("s3.new.natural", Value::Int(i64::MAX));
        r.set_by_id("s3.carried_in.natural", Value::Int(i64::MAX));
        r.set_by_id("s3.granted.natural", Value::Int(i64::MIN));
        r.set_by_id("s3.partial.natural", Value::Money(Decimal::MAX));
        r.set_by_id("s3.denied.internal.natural", Value::Money(Decimal::MAX));
        r.set_by_id("s2.fees.amount", Value::Money(Decimal::MIN));
        let f = check(&r, Some(&r.clone()));
        assert!(only(&f, "value").len() >= 3);
        let b = only(&check(&r, None), "balance");
        assert!(
            b[0].message.contains(&format!("（{}）", 2 * i128::from(i64::MAX))),
            "{}",
            b[0].message
        );
    }
}
