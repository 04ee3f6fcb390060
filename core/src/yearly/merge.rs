//! 汇总: a city or county office's report as the sum of its departments' and towns' reports, with a per-unit
//! breakdown the compiler can send back to the units.

use super::MERGE_MARKER;
use crate::checks::{self, Finding, Summary};
use crate::report::{Report, Value};
use crate::template::{CellIdx, Edition, Severity};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Why reports cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("没有要汇总的报告")]
    Empty,
    /// An input of another edition or year than the first one.
    #[error(
        "「{unit}」是{year}年度的报告（《{edition}》），与「{first_unit}」（{first_year}年度，《{first_edition}》）不同，不能一起汇总"
    )]
    Mixed {
        /// Position of the odd input.
        index: usize,
        /// Its unit name.
        unit: String,
        /// Its edition's name.
        edition: &'static str,
        /// Its year.
        year: i32,
        /// The first input's unit name.
        first_unit: String,
        /// The first input's edition's name.
        first_edition: &'static str,
        /// The first input's year.
        first_year: i32,
    },
}

/// What [`merge_with`] does besides summing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeOptions {
    /// Run every unit's own checks for the breakdown (on by default).
    pub run_checks: bool,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions { run_checks: true }
    }
}

/// The merged report and its per-unit breakdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The sum: every input cell summed, totals recomputed, texts left to write (with the list of units).
    pub report: Report,
    /// Who contributed what, and which units fail their own checks.
    pub breakdown: Breakdown,
}

/// Which unit contributed what to each cell, and each unit's own findings.
#[derive(Clone, Debug, PartialEq)]
pub struct Breakdown {
    /// The edition of every input.
    pub edition: Edition,
    /// Unit names, in input order.
    pub units: Vec<String>,
    /// The merged values, one per template cell (the merged report's cells).
    pub totals: Vec<Value>,
    /// Each unit's cells as it reported them, unit after unit (`units.len() × cells`).
    values: Vec<Value>,
    /// Each unit's findings from `checks::check`, with its predecessor when it has one (empty lists when checks
    /// were not run).
    pub findings: Vec<Vec<Finding>>,
    /// Whether the units' checks were run.
    pub checked: bool,
}

impl Breakdown {
    fn cell_count(&self) -> usize {
        self.totals.len()
    }

    /// What `unit` reported in `cell` (blank if out of range).
    pub fn value(&self, cell: CellIdx, unit: usize) -> Value {
        if cell >= self.cell_count() {
            return Value::Blank;
        }
        self.values
            .get(unit * self.cell_count() + cell)
            .cloned()
            .unwrap_or_default()
    }

    /// Every cell of one unit, in template order.
    pub fn unit_values(&self, unit: usize) -> &[Value] {
        let n = self.cell_count();
        self.values.get(unit * n..(unit + 1) * n).unwrap_or(&[])
    }

    /// What each unit reported in `cell`, in unit order.
    pub fn cell_values(&self, cell: CellIdx) -> impl Iterator<Item = Value> + '_ {
        (0..self.units.len()).map(move |u| self.value(cell, u))
    }

    /// Units that left `cell` blank.
    pub fn blank_units(&self, cell: CellIdx) -> Vec<usize> {
        self.cell_values(cell)
            .enumerate()
            .filter(|(_, v)| v.is_blank())
            .map(|(u, _)| u)
            .collect()
    }

    /// Counts of `unit`'s own findings: errors, open warnings, warnings the unit marked as checked (已核实).
    pub fn summary(&self, unit: usize) -> Summary {
        self.findings
            .get(unit)
            .map_or_else(Summary::default, |f| checks::summarize(f))
    }

    /// Number of errors in `unit`'s own checks.
    pub fn errors(&self, unit: usize) -> usize {
        self.summary(unit).errors
    }

    /// Number of warnings in `unit`'s own checks that the unit has not marked as checked.
    pub fn warnings(&self, unit: usize) -> usize {
        self.summary(unit).warnings
    }

    /// Units whose own report has at least one error.
    pub fn failing_units(&self) -> Vec<usize> {
        (0..self.units.len()).filter(|&u| self.errors(u) > 0).collect()
    }

    /// The findings of every unit that involve `cell`: (unit, finding).
    pub fn findings_for_cell(&self, cell: CellIdx) -> impl Iterator<Item = (usize, &Finding)> + '_ {
        self.findings
            .iter()
            .enumerate()
            .flat_map(move |(u, fs)| fs.iter().filter(move |f| f.cells.contains(&cell)).map(move |f| (u, f)))
    }

    /// The breakdown as CSV for Excel/WPS: UTF-8 with BOM, CRLF.
    ///
    /// First a table with one line per cell (编号, 名称, 合计, then one column per unit; `未填` where a unit left
    /// the cell blank), then each unit's error and warning counts, then every finding with its unit.
    pub fn to_csv(&self) -> String {
        let t = self.edition.template();
        let mut out = String::from('\u{feff}');
        let mut head = vec!["单元格编号", "单元格名称", "汇总数"];
        head.extend(self.units.iter().map(String::as_str));
        csv_line(&mut out, head);
        for (i, c) in t.cells.iter().enumerate() {
            let mut line = vec![c.id.to_string(), c.label.to_string(), self.totals[i].display(c.kind)];
            line.extend(self.cell_values(i).map(|v| match v {
                Value::Blank => "未填".to_string(),
                v => v.display(c.kind),
            }));
            csv_line(&mut out, line);
        }
        out.push_str("\r\n");
        if !self.checked {
            csv_line(&mut out, ["未检查各单位的报告"]);
            return out;
        }
        csv_line(&mut out, ["单位", "错误数", "提示数", "已核实的提示数"]);
        for (u, name) in self.units.iter().enumerate() {
            let s = self.summary(u);
            csv_line(
                &mut out,
                [
                    name.clone(),
                    s.errors.to_string(),
                    s.warnings.to_string(),
                    s.acknowledged.to_string(),
                ],
            );
        }
        out.push_str("\r\n");
        csv_line(&mut out, ["单位", "类别", "规则", "单元格", "说明"]);
        for (u, name) in self.units.iter().enumerate() {
            for f in &self.findings[u] {
                let kind = match (f.severity, f.acknowledged) {
                    (Severity::Error, _) => "错误",
                    (Severity::Warning, false) => "提示",
                    (Severity::Warning, true) => "提示（已核实）",
                };
                let cells: Vec<&str> = f.cells.iter().filter_map(|&c| t.cells.get(c)).map(|c| c.id).collect();
                csv_line(&mut out, [name.as_str(), kind, f.rule, &cells.join(" "), &f.message]);
            }
        }
        out
    }
}

/// Appends one CSV line (RFC 4180 quoting) with CRLF.
fn csv_line<S: AsRef<str>>(out: &mut String, fields: impl IntoIterator<Item = S>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = f.as_ref();
        if f.contains([',', '"', '\r', '\n']) {
            let _ = write!(out, "\"{}\"", f.replace('"', "\"\""));
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

/// Merges the units' reports into one report of `agency`, running each unit's checks. See [`merge_with`].
pub fn merge(inputs: &[(String, Report)], agency: &str) -> Result<Merged, MergeError> {
    merge_with(inputs, agency, MergeOptions::default())
}

/// Merges `(unit name, report)` inputs into one report of `agency`.
///
/// All inputs must share edition and year (else [`MergeError::Mixed`] naming the first odd one). Every input
/// cell is the sum over the units (blank only if every unit left it blank), computed cells are recomputed,
/// texts are empty but for the list of units in the overview.
pub fn merge_with(inputs: &[(String, Report)], agency: &str, opts: MergeOptions) -> Result<Merged, MergeError> {
    let (first_unit, first) = inputs.first().ok_or(MergeError::Empty)?;
    if let Some((index, (unit, r))) = inputs
        .iter()
        .enumerate()
        .find(|(_, (_, r))| r.edition != first.edition || r.year != first.year)
    {
        return Err(MergeError::Mixed {
            index,
            unit: unit.clone(),
            edition: r.template().name,
            year: r.year,
            first_unit: first_unit.clone(),
            first_edition: first.template().name,
            first_year: first.year,
        });
    }
    let edition = first.edition;
    let n = edition.template().cells.len();

    // Dense accumulators, one slot per cell: no lookups in the loop over units.
    let mut any = vec![false; n];
    let mut ints = vec![0_i64; n];
    let mut decs: Vec<Option<Decimal>> = vec![None; n];
    // The first invalid text a unit holds in a cell: the sum is no number, the merged cell keeps that text.
    let mut invalid: Vec<Option<String>> = vec![None; n];
    let mut values = Vec::with_capacity(inputs.len() * n);
    for (_, r) in inputs {
        let cells = r.cells.get(..n).unwrap_or(&r.cells);
        for (i, v) in cells.iter().enumerate() {
            match *v {
                Value::Blank => {}
                Value::Invalid(ref s) => {
                    invalid[i].get_or_insert_with(|| s.clone());
                }
                Value::Int(x) => {
                    any[i] = true;
                    match ints[i].checked_add(x) {
                        Some(s) => ints[i] = s,
                        None => decs[i] = Some(decs[i].unwrap_or_default() + Decimal::from(x)),
                    }
                }
                Value::Money(d) => {
                    any[i] = true;
                    decs[i] = Some(decs[i].unwrap_or_default() + d);
                }
            }
        }
        values.extend_from_slice(cells);
        // A hand-made report shorter than its template: the rest is blank.
        values.resize(values.len() + (n - cells.len()), Value::Blank);
    }

    let mut report = Report::new(edition, first.year, agency);
    for i in 0..n {
        report.cells[i] = match (any[i], decs[i]) {
            _ if invalid[i].is_some() => Value::Invalid(invalid[i].take().unwrap_or_default()),
            (false, _) => Value::Blank,
            (true, None) => Value::Int(ints[i]),
            (true, Some(d)) => Value::Money(d + Decimal::from(ints[i])),
        };
    }
    report.fill_totals();
    let units: Vec<String> = inputs.iter().map(|(u, _)| u.clone()).collect();
    report.texts.overview = format!("{MERGE_MARKER}\n共{}个单位：{}。", units.len(), units.join("、"));

    let findings = if opts.run_checks {
        // A unit's project that remembers its predecessor gets the cross-year checks too.
        inputs
            .iter()
            .map(|(_, r)| checks::check(r, r.previous.as_ref().map(super::PreviousSummary::to_report).as_ref()))
            .collect()
    } else {
        vec![Vec::new(); inputs.len()]
    };
    let breakdown = Breakdown {
        edition,
        units,
        totals: report.cells.clone(),
        values,
        findings,
        checked: opts.run_checks,
    };
    Ok(Merged { report, breakdown })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let cases = [
            (vec!["a", "b"], "a,b\r\n"),
            (vec!["a,b"], "\"a,b\"\r\n"),
            (vec!["说\"明\""], "\"说\"\"明\"\"\"\r\n"),
            (vec!["两\n行", ""], "\"两\n行\",\r\n"),
            (vec!["全角，逗号"], "全角，逗号\r\n"),
        ];
        for (fields, want) in cases {
            let mut out = String::new();
            csv_line(&mut out, fields.clone());
            assert_eq!(out, want, "{fields:?}");
        }
    }

    #[test]
    fn blank_plus_number_is_number_and_blanks_stay_blank() {
        let mut town_a = Report::new(Edition::E2021, 2022, "甲镇");
        let town_b = Report::new(Edition::E2021, 2022, "乙镇");
        town_a.set_by_id("s3.new.natural", Value::Int(3));
        let m = merge(&[("甲镇".into(), town_a), ("乙镇".into(), town_b)], "某县").unwrap();
        let t = m.report.template();
        let cell = t.cell_index("s3.new.natural").unwrap();
        assert_eq!(m.report.cells[cell], Value::Int(3));
        assert_eq!(m.report.value("s3.new.total"), Some(Value::Int(3)));
        assert_eq!(m.report.value("s3.new.commercial"), Some(Value::Blank));
        assert_eq!(m.breakdown.blank_units(cell), vec![1]);
        assert_eq!(m.breakdown.value(cell, 0), Value::Int(3));
        assert_eq!(m.breakdown.value(cell, 5), Value::Blank);
        assert_eq!(m.breakdown.unit_values(1).len(), t.cells.len());
    }

    #[test]
    fn no_input_is_an_error() {
        assert_eq!(merge(&[], "某县").unwrap_err(), MergeError::Empty);
    }
}
