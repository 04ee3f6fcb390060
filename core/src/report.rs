//! The filled-in report: metadata, the four texts, every cell (blank kept apart from 0), and the warnings the
//! clerk marked as checked. Pure data: no egui, no I/O.

use crate::template::{CellIdx, Edition, Template, TextId, ValueKind};
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The value of one cell.
///
/// What the clerk typed and what a file held is kept as written: text that is not a valid value for its cell
/// (`2.5` or `-3` in a count cell, `abc`, a number past what the cell holds) is [`Value::Invalid`], never rounded
/// or dropped; the `value` check reports it and the sums treat it as not a number. [`Value::from_input`] and
/// [`Value::read`] are the only ways in; both yield `Invalid` only for text that is invalid for the cell.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Value {
    /// Not filled in. Not the same as 0: kept blank in files, shown blank, counted as 0 with a warning.
    #[default]
    Blank,
    /// An integer (counts; signed changes).
    Int(i64),
    /// An exact decimal (money in 万元).
    Money(Decimal),
    /// Text that is not a valid value for its cell, as typed or as the file held it (trimmed).
    Invalid(String),
}

impl Value {
    /// What a clerk typed into a cell of `kind` (or a file held as text), kept whatever it is. Never fails.
    ///
    /// A number is read as [`parse_input`] reads it (full-width digits, thousands separators) and fitted to the
    /// cell by [`Value::for_kind`]; a number the cell should not hold but can (a negative count) stays that
    /// number, and the `value` check reports it. Anything else — a fraction in an integer cell, not a number,
    /// too large — is [`Value::Invalid`] with the text as typed (trimmed). Empty input is blank.
    pub fn from_input(kind: ValueKind, s: &str) -> Value {
        let text = s.trim();
        if text.is_empty() {
            return Value::Blank;
        }
        match parse_number(text, true).map(|v| v.for_kind(kind)) {
            Ok(Value::Invalid(_)) | Err(_) => Value::Invalid(text.to_string()),
            Ok(v) => v,
        }
    }

    /// Whether the cell is blank.
    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Blank)
    }

    /// Whether the cell holds text that is not a valid value ([`Value::Invalid`]).
    pub fn is_invalid(&self) -> bool {
        matches!(self, Value::Invalid(_))
    }

    /// The value for arithmetic: blank counts as 0, and so does invalid text (which sums refuse to add: see
    /// [`Sum`]; use this only where a number is shown or compared).
    pub fn as_decimal(&self) -> Decimal {
        match self {
            Value::Blank | Value::Invalid(_) => Decimal::ZERO,
            Value::Int(n) => Decimal::from(*n),
            Value::Money(d) => *d,
        }
    }

    /// The integer value, if it is one (blank is `None`).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as a cell of `kind` holds it: a whole number in a money cell becomes money, a whole decimal
    /// in an integer cell (`12.0`) an integer; a fraction in an integer cell (or a whole number past `i64`)
    /// becomes [`Value::Invalid`] with the number as text, never rounded. A number out of range (a negative
    /// count) is kept as the number it is; the `value` check reports it. Invalid text is read again for `kind`
    /// (it may be valid there).
    #[must_use]
    pub fn for_kind(self, kind: ValueKind) -> Value {
        match (kind, self) {
            (_, Value::Invalid(s)) => Value::from_input(kind, &s),
            (ValueKind::Money, Value::Int(n)) => Value::Money(Decimal::from(n)),
            (ValueKind::Count | ValueKind::Signed, Value::Money(d)) => match i64::try_from(d) {
                Ok(n) if d.fract().is_zero() => Value::Int(n),
                _ => Value::Invalid(d.to_string()),
            },
            (_, v) => v,
        }
    }

    /// The value as written in the official layout: integers plainly, money with 4 decimals, blank empty,
    /// invalid text as it is.
    pub fn display(&self, kind: ValueKind) -> String {
        match (self, kind) {
            (Value::Blank, _) => String::new(),
            (Value::Int(n), ValueKind::Money) => format_money(Decimal::from(*n)),
            (Value::Int(n), _) => n.to_string(),
            (Value::Money(d), ValueKind::Money) => format_money(*d),
            (Value::Money(d), _) => d.normalize().to_string(),
            (Value::Invalid(s), _) => s.clone(),
        }
    }

    /// Why this value is not valid for a cell of `kind`, in Chinese (`None` when it is).
    pub fn problem(&self, kind: ValueKind) -> Option<String> {
        let money = kind == ValueKind::Money;
        let negative = || {
            Some(
                if money {
                    "金额不能是负数"
                } else {
                    "件数不能是负数"
                }
                .to_string(),
            )
        };
        match (kind, self) {
            (_, Value::Invalid(s)) => match parse_input(kind, s) {
                Err(InputError::Negative) => negative(),
                Err(e) => Some(e.to_string()),
                // Valid after all (read for another kind): the cell holds text where a number belongs.
                Ok(_) => Some(InputError::NotANumber(s.clone()).to_string()),
            },
            (ValueKind::Count | ValueKind::Money, Value::Int(n)) if *n < 0 => negative(),
            (ValueKind::Money, Value::Money(d)) if d.is_sign_negative() && !d.is_zero() => negative(),
            (ValueKind::Count | ValueKind::Signed, Value::Money(_)) => Some(InputError::NotInteger.to_string()),
            _ => None,
        }
    }

    /// The value as a cell of `kind` is written in files (project file, JSON, recovery copy): see [`Written`].
    pub fn written(&self, kind: ValueKind) -> Written {
        match (self, kind) {
            (Value::Blank, _) => Written::Blank,
            // Four places at least, so that money reads back as money ("5.0000", not "5").
            (Value::Int(n), ValueKind::Money) => Written::Text(format_money(Decimal::from(*n))),
            (Value::Money(d), ValueKind::Money) => Written::Text(format_money(*d)),
            (Value::Int(n), _) => Written::Int(*n),
            (Value::Money(d), _) => match i64::try_from(*d) {
                Ok(n) if d.fract().is_zero() => Written::Int(n),
                // A fraction in an integer cell: written as it is, read back as invalid text.
                _ => Written::Text(d.to_string()),
            },
            (Value::Invalid(s), _) => Written::Text(s.clone()),
        }
    }

    /// The value of a cell of `kind` from its written form: a number or text as [`Value::from_input`] reads
    /// it, so that whatever the file held is kept (invalid text as [`Value::Invalid`]).
    pub fn read(kind: ValueKind, w: Written) -> Value {
        match w {
            Written::Blank => Value::Blank,
            Written::Int(n) => Value::Int(n).for_kind(kind),
            Written::Text(s) => Value::from_input(kind, &s),
        }
    }
}

/// Money written with exactly 4 decimals (`12372.0506`); more places are kept, never rounded away.
pub fn format_money(d: Decimal) -> String {
    let mut d = d;
    if d.scale() < 4 {
        d.rescale(4);
    }
    d.to_string()
}

/// A cell value as every file holds it — project files (RON), JSON, the recovery copy — the one codec of cell
/// values:
///
/// - blank: `None` (RON) / `null` (JSON);
/// - an integer in an integer cell: a number (`12`, `-3`);
/// - money: a decimal string with at least 4 places (`"12372.0506"`), never a float;
/// - text that is not a valid value for its cell ([`Value::Invalid`]): that text as a string (`"2.5"` in a
///   count cell, `"abc"`). Older files never held such strings (they were refused), so they read as before.
///
/// Read: a number or a string, whatever the cell; a string is read like typed input. A float (which this
/// program never writes) is taken only when it is a whole number well inside `i64`: anything else would have
/// been rounded by the parser already, so it is refused rather than kept wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// No value.
    Blank,
    /// A plain integer.
    Int(i64),
    /// A decimal string or text.
    Text(String),
}

impl Serialize for Written {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Written::Blank => s.serialize_none(),
            Written::Int(n) => s.serialize_i64(*n),
            Written::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Written;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("整数、带引号的金额或文字、None/null（空白）")
            }
            fn visit_none<E: de::Error>(self) -> Result<Written, E> {
                Ok(Written::Blank)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Written, E> {
                Ok(Written::Blank)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Written, D2::Error> {
                d.deserialize_any(V)
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Written, E> {
                Ok(Written::Int(n))
            }
            // Integers past i64 are kept as their digits (then invalid text in the cell), not refused.
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Written, E> {
                Ok(i64::try_from(n).map_or_else(|_| Written::Text(n.to_string()), Written::Int))
            }
            fn visit_i128<E: de::Error>(self, n: i128) -> Result<Written, E> {
                Ok(i64::try_from(n).map_or_else(|_| Written::Text(n.to_string()), Written::Int))
            }
            fn visit_u128<E: de::Error>(self, n: u128) -> Result<Written, E> {
                Ok(i64::try_from(n).map_or_else(|_| Written::Text(n.to_string()), Written::Int))
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<Written, E> {
                if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
                    // Proven exact: a whole number below 2^53.
                    #[allow(clippy::cast_possible_truncation)]
                    Ok(Written::Int(x as i64))
                } else {
                    Err(E::custom(format!(
                        "数字{x}无法精确读取：整数请直接写数字，金额请写成带引号的小数"
                    )))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Written, E> {
                Ok(if s.trim().is_empty() {
                    Written::Blank
                } else {
                    Written::Text(s.to_string())
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A value without its cell (last year's summary): written as [`Written`] with money as money; read back as a
/// number where the text is one, else as invalid text. [`Value::for_kind`] fits it to its cell.
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kind = match self {
            Value::Int(_) => ValueKind::Signed,
            _ => ValueKind::Money,
        };
        self.written(kind).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Written::deserialize(d)? {
            Written::Blank => Value::Blank,
            Written::Int(n) => Value::Int(n),
            Written::Text(s) => parse_number(&s, true).unwrap_or_else(|_| Value::Invalid(s.trim().to_string())),
        })
    }
}

/// Why a clerk's entry was not accepted. [`InputError::message`] is the Chinese text shown to them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Not a number at all.
    #[error("「{0}」不是数字")]
    NotANumber(String),
    /// A fraction in an integer cell.
    #[error("这里只能填写整数")]
    NotInteger,
    /// A negative number in a count cell.
    #[error("件数不能是负数")]
    Negative,
    /// Too large to be a real figure (past `i64`, or past what `Decimal` holds).
    #[error("数字太大")]
    TooLarge,
}

impl InputError {
    /// The Chinese message, without the cell name.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The Chinese message naming the cell, e.g. `「一、本年新收… · 自然人」：件数不能是负数`.
    pub fn message_for(&self, cell_label: &str) -> String {
        format!("「{cell_label}」：{self}")
    }
}

/// Normalises what clerks type: full-width digits and signs to ASCII, thousands separators and spaces removed.
fn normalize_number(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            '－' | '—' | '−' => Some('-'),
            '＋' => Some('+'),
            ',' | '，' | ' ' | '\u{3000}' | '\t' | '\u{a0}' | '\'' => None,
            c => Some(c),
        })
        .collect()
}

/// Parses a number: integers, or decimals when `allow_decimal`. Empty input is [`Value::Blank`].
fn parse_number(s: &str, allow_decimal: bool) -> Result<Value, InputError> {
    let n = normalize_number(s);
    if n.is_empty() {
        return Ok(Value::Blank);
    }
    let body = n.strip_prefix('+').unwrap_or(&n);
    let digits = body.strip_prefix('-').unwrap_or(body);
    let valid = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    if !valid {
        return Err(InputError::NotANumber(s.trim().to_string()));
    }
    if body.contains('.') {
        // Exact or refused: a digit past what `Decimal` holds is never rounded away.
        let d = Decimal::from_str_exact(body).map_err(|_| InputError::TooLarge)?;
        if !allow_decimal {
            // "12.0" is still an integer; "12.5" is not.
            if d.fract().is_zero() {
                return i64::try_from(d.trunc())
                    .map(Value::Int)
                    .map_err(|_| InputError::TooLarge);
            }
            return Err(InputError::NotInteger);
        }
        return Ok(Value::Money(d));
    }
    match body.parse::<i64>() {
        Ok(n) => Ok(Value::Int(n)),
        // Money holds more than i64: a large whole amount is still an amount.
        Err(_) if allow_decimal => Decimal::from_str_exact(body)
            .map(Value::Money)
            .map_err(|_| InputError::TooLarge),
        Err(_) => Err(InputError::TooLarge),
    }
}

/// Parses what a clerk typed into a cell of `kind`.
///
/// Accepts full-width digits, thousands separators (`,` `，`), surrounding spaces and a leading `+` on signed
/// cells; money takes a decimal point. Empty input is blank. Anything else is an [`InputError`].
pub fn parse_input(kind: ValueKind, s: &str) -> Result<Value, InputError> {
    match kind {
        ValueKind::Money => match parse_number(s, true)? {
            Value::Blank => Ok(Value::Blank),
            Value::Int(n) if n < 0 => Err(InputError::Negative),
            Value::Int(n) => Ok(Value::Money(Decimal::from(n))),
            Value::Money(d) if d.is_sign_negative() && !d.is_zero() => Err(InputError::Negative),
            v => Ok(v),
        },
        ValueKind::Count => match parse_number(s, false)? {
            Value::Int(n) if n < 0 => Err(InputError::Negative),
            v => Ok(v),
        },
        ValueKind::Signed => parse_number(s, false),
    }
}

/// The four free texts.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Texts {
    /// Paragraphs between title and section 一.
    pub preamble: String,
    /// 一、总体情况.
    pub overview: String,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
}

impl Texts {
    /// The text of `id`.
    pub fn get(&self, id: TextId) -> &str {
        match id {
            TextId::Preamble => &self.preamble,
            TextId::Overview => &self.overview,
            TextId::Problems => &self.problems,
            TextId::Other => &self.other,
        }
    }

    /// The text of `id`, for editing.
    pub fn get_mut(&mut self, id: TextId) -> &mut String {
        match id {
            TextId::Preamble => &mut self.preamble,
            TextId::Overview => &mut self.overview,
            TextId::Problems => &mut self.problems,
            TextId::Other => &mut self.other,
        }
    }
}

/// A report: what the clerk fills in.
///
/// `cells` is indexed by [`CellIdx`] of the edition's template and always has exactly one value per cell of
/// it. In files the cells are a map from cell id to value, in template order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ReportRepr", into = "ReportRepr")]
pub struct Report {
    /// The template edition.
    pub edition: Edition,
    /// The report year (the year reported on, e.g. 2025 for the report published in January 2026).
    pub year: i32,
    /// 机关名称.
    pub agency: String,
    /// The document title; empty means the standard title built from agency and year.
    pub title: String,
    /// The four texts.
    pub texts: Texts,
    /// One value per template cell.
    pub cells: Vec<Value>,
    /// Keys of warnings the clerk marked as checked (已核实): see `checks::Finding::key`.
    pub acknowledged: BTreeSet<String>,
    /// Last year's report in summary, for the cross-year checks (set by `yearly::next_year`).
    pub previous: Option<crate::yearly::PreviousSummary>,
}

impl Report {
    /// A blank report: every cell blank, no texts.
    pub fn new(edition: Edition, year: i32, agency: impl Into<String>) -> Report {
        Report {
            edition,
            year,
            agency: agency.into(),
            title: String::new(),
            texts: Texts::default(),
            cells: vec![Value::Blank; edition.template().cells.len()],
            acknowledged: BTreeSet::new(),
            previous: None,
        }
    }

    /// The template of this report's edition.
    pub fn template(&self) -> &'static Template {
        self.edition.template()
    }

    /// The title to print: the stored one, or the standard one.
    pub fn display_title(&self) -> String {
        if self.title.trim().is_empty() {
            Template::title(&self.agency, self.year)
        } else {
            self.title.clone()
        }
    }

    /// The value of a cell by index.
    pub fn get(&self, cell: CellIdx) -> Value {
        self.cells.get(cell).cloned().unwrap_or_default()
    }

    /// The value of a cell by id (`None` if the edition has no such cell).
    pub fn value(&self, id: &str) -> Option<Value> {
        self.template().cell_index(id).map(|i| self.get(i))
    }

    /// Sets a cell by index (ignored if out of range: indices come from the same template).
    pub fn set(&mut self, cell: CellIdx, v: Value) {
        if let Some(slot) = self.cells.get_mut(cell) {
            *slot = v;
        }
    }

    /// Sets a cell by id; returns false if the edition has no such cell.
    pub fn set_by_id(&mut self, id: &str, v: Value) -> bool {
        match self.template().cell_index(id) {
            Some(i) => {
                self.set(i, v);
                true
            }
            None => false,
        }
    }

    /// Fills every computed cell from its formula (totals), in dependency order.
    ///
    /// A computed cell becomes blank only when every cell it sums is blank, so that an untouched table stays
    /// blank rather than filling with zeros. A total over a cell that holds no number ([`Value::Invalid`], or
    /// such a total) is blank too: it cannot be computed, and is not 0.
    pub fn fill_totals(&mut self) {
        let t = self.template();
        let mut blocked = vec![false; self.cells.len()];
        for &f in t.formulas {
            let rel = &t.relations[f];
            let Some(target) = rel.computes else { continue };
            let nan = rel
                .rhs
                .iter()
                .any(|&c| blocked.get(c).copied().unwrap_or(false) || self.get(c).is_invalid());
            if let Some(b) = blocked.get_mut(target) {
                *b = nan;
            }
            let v = if nan {
                Value::Blank
            } else {
                sum_cells(&self.cells, rel.rhs, t)
            };
            self.set(target, v);
        }
    }

    /// Whether the computed cells hold what [`Report::fill_totals`] would put there.
    pub fn totals_are_computed(&self) -> bool {
        let mut c = self.clone();
        c.fill_totals();
        c.cells == self.cells
    }

    /// Fills every blank input cell with 0 (the "fill blanks with 0" action), then the totals.
    pub fn fill_blanks_with_zero(&mut self) {
        let t = self.template();
        for (i, c) in t.cells.iter().enumerate() {
            if !c.computed && self.cells[i].is_blank() {
                self.cells[i] = match c.kind {
                    ValueKind::Money => Value::Money(Decimal::new(0, 4)),
                    _ => Value::Int(0),
                };
            }
        }
        self.fill_totals();
    }
}

/// The sum of cells, blank when all are blank; an integer unless a term is money.
pub fn sum_cells(values: &[Value], cells: &[CellIdx], _t: &Template) -> Value {
    let mut any = false;
    let mut int: i64 = 0;
    let mut dec: Option<Decimal> = None;
    for &c in cells {
        match values.get(c).cloned().unwrap_or_default() {
            Value::Blank => {}
            Value::Int(n) => {
                any = true;
                match int.checked_add(n) {
                    Some(s) => int = s,
                    None => dec = Some(dec.unwrap_or_default() + Decimal::from(n)),
                }
            }
            Value::Money(d) => {
                any = true;
                dec = Some(dec.unwrap_or_default() + d);
            }
            // Not a number: the total cannot be computed (the `value` check names the cell).
            Value::Invalid(_) => return Value::Blank,
        }
    }
    match (any, dec) {
        (false, _) => Value::Blank,
        (true, None) => Value::Int(int),
        (true, Some(d)) => Value::Money(d + Decimal::from(int)),
    }
}

/// The file form of a [`Report`]: cells as a map from id to value.
#[derive(Serialize, Deserialize)]
struct ReportRepr {
    edition: Edition,
    year: i32,
    agency: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    texts: Texts,
    cells: CellMap,
    #[serde(default)]
    acknowledged: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous: Option<crate::yearly::PreviousSummary>,
}

/// Cells keyed by id, each in its [`Written`] form. Serialised in template order (readable files); read from
/// any order.
struct CellMap(Vec<(String, Written)>);

impl Serialize for CellMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for CellMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m: BTreeMap<String, Written> = BTreeMap::deserialize(d)?;
        Ok(CellMap(m.into_iter().collect()))
    }
}

/// Why a report read from a file does not fit its template.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A cell id that the edition does not have.
    #[error("第{edition}版格式中没有单元格「{id}」")]
    UnknownCell {
        /// The edition.
        edition: &'static str,
        /// The id found.
        id: String,
    },
}

impl TryFrom<ReportRepr> for Report {
    type Error = ReportError;
    fn try_from(r: ReportRepr) -> Result<Report, ReportError> {
        let mut report = Report::new(r.edition, r.year, r.agency);
        report.title = r.title;
        report.texts = r.texts;
        report.acknowledged = r.acknowledged;
        report.previous = r.previous;
        let t = r.edition.template();
        for (id, v) in r.cells.0 {
            let i = t.cell_index(&id).ok_or_else(|| ReportError::UnknownCell {
                edition: r.edition.id(),
                id: id.clone(),
            })?;
            report.cells[i] = Value::read(t.cells[i].kind, v);
        }
        Ok(report)
    }
}

impl From<Report> for ReportRepr {
    fn from(r: Report) -> ReportRepr {
        let t = r.edition.template();
        let cells = t
            .cells
            .iter()
            .zip(&r.cells)
            .map(|(c, v)| (c.id.to_string(), v.written(c.kind)))
            .collect();
        ReportRepr {
            edition: r.edition,
            year: r.year,
            agency: r.agency,
            title: r.title,
            texts: r.texts,
            cells: CellMap(cells),
            acknowledged: r.acknowledged,
            previous: r.previous,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_parsing_table() {
        use ValueKind::{Count, Money, Signed};
        let ok: &[(ValueKind, &str, Value)] = &[
            (Count, "", Value::Blank),
            (Count, "   ", Value::Blank),
            (Count, "0", Value::Int(0)),
            (Count, " 73 ", Value::Int(73)),
            (Count, "７３", Value::Int(73)),
            (Count, "1,234", Value::Int(1234)),
            (Count, "１，２３４", Value::Int(1234)),
            (Count, "12.0", Value::Int(12)),
            (Count, "\u{3000}5\u{3000}", Value::Int(5)),
            (Signed, "-53", Value::Int(-53)),
            (Signed, "+212", Value::Int(212)),
            (Signed, "－５", Value::Int(-5)),
            (Money, "12372.0506", Value::Money(Decimal::new(123_720_506, 4))),
            (Money, "12,372.0506", Value::Money(Decimal::new(123_720_506, 4))),
            (Money, "５", Value::Money(Decimal::from(5))),
        ];
        for (kind, s, want) in ok {
            assert_eq!(parse_input(*kind, s).as_ref(), Ok(want), "{s:?}");
        }
        let bad: &[(ValueKind, &str, InputError)] = &[
            (Count, "-1", InputError::Negative),
            (Count, "1.5", InputError::NotInteger),
            (Count, "abc", InputError::NotANumber("abc".into())),
            (Count, "12件", InputError::NotANumber("12件".into())),
            (Count, "1.2.3", InputError::NotANumber("1.2.3".into())),
            (Count, "99999999999999999999", InputError::TooLarge),
            (Count, "-", InputError::NotANumber("-".into())),
            (Money, "-3", InputError::Negative),
        ];
        for (kind, s, want) in bad {
            assert_eq!(parse_input(*kind, s).as_ref(), Err(want), "{s:?}");
        }
    }

    #[test]
    fn error_messages_name_the_cell() {
        let e = parse_input(ValueKind::Count, "-1").unwrap_err();
        assert_eq!(e.message_for("一 · 自然人"), "「一 · 自然人」：件数不能是负数");
    }

    #[test]
    fn money_is_written_with_four_places() {
        assert_eq!(Value::Money(Decimal::new(5, 0)).display(ValueKind::Money), "5.0000");
        assert_eq!(
            Value::Money(Decimal::new(123_720_506, 4)).display(ValueKind::Money),
            "12372.0506"
        );
        assert_eq!(
            Value::Money(Decimal::new(123_456, 5)).display(ValueKind::Money),
            "1.23456"
        );
        assert_eq!(Value::Blank.display(ValueKind::Count), "");
    }

    #[test]
    fn totals_fill_and_blank_stays_blank() {
        let mut r = Report::new(Edition::E2021, 2021, "某县人民政府");
        r.fill_totals();
        assert!(r.cells.iter().all(Value::is_blank));
        r.set_by_id("s3.granted.natural", Value::Int(18));
        r.set_by_id("s3.partial.natural", Value::Int(11));
        r.set_by_id("s3.partial.commercial", Value::Int(1));
        r.set_by_id("s4.review.upheld", Value::Int(2));
        r.fill_totals();
        assert_eq!(r.value("s3.handled_total.natural"), Some(Value::Int(29)));
        assert_eq!(r.value("s3.handled_total.commercial"), Some(Value::Int(1)));
        assert_eq!(r.value("s3.partial.total"), Some(Value::Int(12)));
        assert_eq!(r.value("s3.handled_total.total"), Some(Value::Int(30)));
        assert_eq!(r.value("s3.handled_total.research"), Some(Value::Blank));
        assert_eq!(r.value("s4.review.total"), Some(Value::Int(2)));
        assert!(r.totals_are_computed());
        r.set_by_id("s3.handled_total.total", Value::Int(31));
        assert!(!r.totals_are_computed());
    }

    #[test]
    fn json_round_trip_keeps_blank_apart_from_zero() {
        let mut r = Report::new(Edition::E2019, 2020, "焦作市人民政府");
        r.set_by_id("s3.new.natural", Value::Int(0));
        r.set_by_id("s2.procurement.amount", Value::Money(Decimal::new(2_598_492_975, 4)));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"s3.new.natural\":0"));
        assert!(json.contains("\"s3.new.commercial\":null"));
        assert!(json.contains("\"259849.2975\""));
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn money_reads_back_as_money_and_inexact_floats_are_refused() {
        let mut r = Report::new(Edition::E2021, 2021, "x");
        r.set_by_id("s2.fees.amount", Value::Money(Decimal::from(5)));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(r#""s2.fees.amount":"5.0000""#), "{json}");
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
        let whole = r#"{"edition":"2021","year":2021,"agency":"x","cells":{"s2.fees.amount":5,"s3.new.natural":7.0}}"#;
        let back: Report = serde_json::from_str(whole).unwrap();
        assert_eq!(back.value("s2.fees.amount"), Some(Value::Money(Decimal::from(5))));
        assert_eq!(back.value("s3.new.natural"), Some(Value::Int(7)));
        for bad in ["3.5", "1e30", "18446744073709551616"] {
            let json = format!(r#"{{"edition":"2021","year":2021,"agency":"x","cells":{{"s3.new.natural":{bad}}}}}"#);
            assert!(serde_json::from_str::<Report>(&json).is_err(), "{bad}");
        }
        // A fraction written as text in a count cell is kept as written (the `value` check reports it).
        let text = r#"{"edition":"2021","year":2021,"agency":"x","cells":{"s3.new.natural":"1.5"}}"#;
        let back: Report = serde_json::from_str(text).unwrap();
        assert_eq!(back.value("s3.new.natural"), Some(Value::Invalid("1.5".into())));
    }

    #[test]
    fn what_was_typed_is_kept_as_written() {
        use ValueKind::{Count, Money, Signed};
        let cases: &[(ValueKind, &str, Value)] = &[
            (Count, "", Value::Blank),
            (Count, " \n", Value::Blank),
            (Count, "７３", Value::Int(73)),
            (Count, "2.5", Value::Invalid("2.5".into())),
            (Count, " abc ", Value::Invalid("abc".into())),
            (Count, "-3", Value::Int(-3)),
            (Count, "１．５", Value::Invalid("１．５".into())),
            (
                Count,
                "99999999999999999999",
                Value::Invalid("99999999999999999999".into()),
            ),
            (Signed, "-3", Value::Int(-3)),
            (Signed, "0.5", Value::Invalid("0.5".into())),
            (Money, "-3", Value::Money(Decimal::from(-3))),
            (Money, "1.5", Value::Money(Decimal::new(15, 1))),
            (
                Money,
                "99999999999999999999",
                Value::Money(Decimal::from(99_999_999_999_999_999_999_u128)),
            ),
            // More places than a decimal holds: kept as text rather than rounded.
            (
                Money,
                "1.00000000000000000000000000001",
                Value::Invalid("1.00000000000000000000000000001".into()),
            ),
        ];
        for (kind, typed, want) in cases {
            assert_eq!(&Value::from_input(*kind, typed), want, "{kind:?} {typed:?}");
            // The written form reads back as the same value.
            assert_eq!(&Value::read(*kind, want.written(*kind)), want, "{kind:?} {typed:?}");
        }
        // Fitting a value to its cell never rounds: a fraction in a count cell becomes its text.
        assert_eq!(
            Value::Money(Decimal::new(25, 1)).for_kind(Count),
            Value::Invalid("2.5".into())
        );
        assert_eq!(Value::Money(Decimal::new(20, 1)).for_kind(Count), Value::Int(2));
        assert_eq!(
            Value::Int(-1).for_kind(Count),
            Value::Int(-1),
            "a number out of range stays that number"
        );
        assert_eq!(
            Value::Invalid("5".into()).for_kind(Money),
            Value::Money(Decimal::from(5))
        );
        let problems: &[(ValueKind, Value, &str)] = &[
            (Count, Value::Invalid("2.5".into()), "这里只能填写整数"),
            (Count, Value::Invalid("abc".into()), "「abc」不是数字"),
            (Count, Value::Invalid("-3".into()), "件数不能是负数"),
            (Money, Value::Invalid("-3".into()), "金额不能是负数"),
            (Count, Value::Invalid("99999999999999999999".into()), "数字太大"),
        ];
        for (kind, v, want) in problems {
            assert_eq!(v.problem(*kind).as_deref(), Some(*want), "{v:?}");
        }
        assert_eq!(Value::Int(3).problem(Count), None);
    }

    #[test]
    fn invalid_text_survives_json_and_blocks_its_totals() {
        let mut r = Report::new(Edition::E2021, 2021, "x");
        r.set_by_id("s3.granted.natural", Value::from_input(ValueKind::Count, "2.5"));
        r.set_by_id("s3.granted.commercial", Value::Int(3));
        r.fill_totals();
        assert_eq!(r.value("s3.granted.total"), Some(Value::Blank), "no number: no total");
        assert_eq!(r.value("s3.handled_total.commercial"), Some(Value::Int(3)));
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(r#""s3.granted.natural":"2.5""#), "{json}");
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
    }

    #[test]
    fn unknown_cell_ids_are_refused() {
        let json = r#"{"edition":"2021","year":2021,"agency":"x","cells":{"s3.other_handling.natural":1}}"#;
        let err = serde_json::from_str::<Report>(json).unwrap_err().to_string();
        assert!(err.contains("s3.other_handling.natural"), "{err}");
    }
}
