//! 汇总: a city or county office's report as the sum of its departments' and towns' reports, with a per-unit
//! breakdown the compiler can send back to the units.

use super::MERGE_MARKER;
use crate::checks::{self, Finding, Summary};
use crate::report::{Report, Sum, Value};
use crate::template::{CellIdx, Edition, ValueKind};
use std::fmt::Write as _;
use std::io::{self, Read as _, Seek as _, Write};

/// Why reports cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("没有要汇总的报告")]
    Empty,
    /// The units' figures of a cell add up to more than a decimal holds (28 digits).
    #[error("「{label}」各单位的数字合计过大，无法汇总（请检查各单位报告中的这一栏）")]
    TooLarge {
        /// The cell's label.
        label: &'static str,
    },
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

/// What [`merge_with`] and [`Merger`] do besides summing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeOptions {
    /// Run every unit's own checks for the breakdown (on by default).
    pub run_checks: bool,
    /// Keep every unit's findings in the breakdown (on by default). Off, only their counts are kept: ten
    /// thousand units' findings do not fit in memory, and the command line writes them out as it goes.
    pub keep_findings: bool,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            run_checks: true,
            keep_findings: true,
        }
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

/// Every unit's cells as written in the official layout, in one piece of text: a unit's cells take a few
/// bytes each this way instead of a [`Value`]'s 32, which is what lets ten thousand units be merged in a few
/// tens of megabytes. A value reads back exactly as it went in ([`Value::from_input`] of its display form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct UnitCells {
    text: String,
    /// Where each cell's text ends in `text`, unit after unit.
    ends: Vec<usize>,
}

impl UnitCells {
    fn push(&mut self, kind: ValueKind, v: &Value) {
        if !v.is_blank() {
            self.text.push_str(&v.display(kind));
        }
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
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
    values: UnitCells,
    /// Counts of each unit's own findings.
    summaries: Vec<Summary>,
    /// Each unit's findings from `checks::check`, with its predecessor when it has one (empty lists when checks
    /// were not run, or findings not kept: see [`MergeOptions::keep_findings`]).
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
        let n = self.cell_count();
        let Some(c) = self.edition.template().cells.get(cell) else {
            return Value::Blank;
        };
        if unit >= self.units.len() {
            return Value::Blank;
        }
        self.values
            .get(unit * n + cell)
            .map_or(Value::Blank, |text| Value::from_input(c.kind, text))
    }

    /// Every cell of one unit, in template order.
    pub fn unit_values(&self, unit: usize) -> Vec<Value> {
        (0..self.cell_count()).map(|c| self.value(c, unit)).collect()
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
        self.summaries.get(unit).copied().unwrap_or_default()
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

    /// The breakdown as CSV for Excel/WPS: UTF-8 with BOM, CRLF; see [`Breakdown::write_csv`]. The findings
    /// listed are those kept in the breakdown.
    pub fn to_csv(&self) -> String {
        let mut out = Vec::new();
        let kept = |w: &mut dyn Write| {
            for (u, fs) in self.findings.iter().enumerate() {
                let name = self.units.get(u).map_or("", String::as_str);
                write_findings(w, self.edition, name, fs)?;
            }
            Ok(())
        };
        // Writing into memory cannot fail, and every piece written is UTF-8.
        let _ = self.write_csv(&mut out, kept);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the breakdown as CSV for Excel/WPS: UTF-8 with BOM, CRLF.
    ///
    /// First a table with one line per cell (编号, 名称, 合计, then one column per unit; `未填` where a unit left
    /// the cell blank), then each unit's error and warning counts, then every finding with its unit, which
    /// `findings` writes (with [`write_findings`], or from a [`FindingSpill`]).
    pub fn write_csv(
        &self,
        out: &mut dyn Write,
        findings: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let t = self.edition.template();
        out.write_all("\u{feff}".as_bytes())?;
        let mut head = vec!["单元格编号", "单元格名称", "汇总数"];
        head.extend(self.units.iter().map(String::as_str));
        csv_line(out, head)?;
        for (i, c) in t.cells.iter().enumerate() {
            let total = self.totals.get(i).cloned().unwrap_or_default().display(c.kind);
            let cells =
                (0..self.units.len()).map(
                    |u| match self.values.get(u * self.cell_count() + i).unwrap_or_default() {
                        "" => "未填",
                        text => text,
                    },
                );
            csv_line(out, [c.id, c.label, total.as_str()].into_iter().chain(cells))?;
        }
        out.write_all(b"\r\n")?;
        if !self.checked {
            return csv_line(out, ["未检查各单位的报告"]);
        }
        csv_line(out, ["单位", "错误数", "警告数", "已核实的警告数"])?;
        for (u, name) in self.units.iter().enumerate() {
            let s = self.summary(u);
            csv_line(
                out,
                [
                    name.clone(),
                    s.errors.to_string(),
                    s.warnings.to_string(),
                    s.acknowledged.to_string(),
                ],
            )?;
        }
        out.write_all(b"\r\n")?;
        csv_line(out, ["单位", "类别", "规则", "单元格", "说明"])?;
        findings(out)
    }
}

/// Writes one CSV line per finding of the unit `name` (the breakdown's last part).
pub fn write_findings(out: &mut dyn Write, edition: Edition, name: &str, findings: &[Finding]) -> io::Result<()> {
    let t = edition.template();
    for f in findings {
        let cells: Vec<&str> = f.cells.iter().filter_map(|&c| t.cells.get(c)).map(|c| c.id).collect();
        csv_line(out, [name, &f.label(), f.rule, &cells.join(" "), &f.message])?;
    }
    Ok(())
}

/// The units' findings set aside in a temporary file while a large 汇总 is read, to be written into the
/// breakdown at the end under the units' final names (a name used twice gets its file name only once every
/// input is known). The file is removed when this is dropped, even after a kill (it has no name).
pub struct FindingSpill {
    file: io::BufWriter<std::fs::File>,
}

impl FindingSpill {
    /// A new, empty spill in the system's temporary folder.
    pub fn new() -> io::Result<Self> {
        Ok(FindingSpill {
            file: io::BufWriter::new(tempfile::tempfile()?),
        })
    }

    /// Sets aside the findings of the unit at position `unit`.
    pub fn push(&mut self, unit: usize, edition: Edition, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            let mut line = Vec::new();
            write_findings(&mut line, edition, "", std::slice::from_ref(f))?;
            // The line starts with its (empty) name field: the name goes in front when it is copied out.
            let rest = line.as_slice();
            let len = u64::try_from(rest.len()).unwrap_or(u64::MAX);
            self.file
                .write_all(&u64::try_from(unit).unwrap_or(u64::MAX).to_le_bytes())?;
            self.file.write_all(&len.to_le_bytes())?;
            self.file.write_all(rest)?;
        }
        Ok(())
    }

    /// Writes every finding set aside, as CSV lines naming each unit by `units[unit]`.
    pub fn write_to(self, out: &mut dyn Write, units: &[String]) -> io::Result<()> {
        let mut file = self.file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.seek(io::SeekFrom::Start(0))?;
        let mut file = io::BufReader::new(file);
        let mut head = [0u8; 16];
        let mut rest = Vec::new();
        loop {
            match file.read_exact(&mut head) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            let (unit, len) = head.split_at(8);
            let unit = usize::try_from(u64::from_le_bytes(unit.try_into().unwrap_or_default())).unwrap_or(usize::MAX);
            let len = usize::try_from(u64::from_le_bytes(len.try_into().unwrap_or_default()))
                .map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
            rest.resize(len, 0);
            file.read_exact(&mut rest)?;
            let mut name = Vec::new();
            csv_line(&mut name, [units.get(unit).map_or("", String::as_str)])?;
            // The name's field without its line end, then the line that follows the (empty) name.
            out.write_all(name.get(..name.len().saturating_sub(2)).unwrap_or_default())?;
            out.write_all(&rest)?;
        }
    }
}

/// Appends one CSV line (RFC 4180 quoting) with CRLF. A field that Excel or WPS would run as a formula (it
/// starts with `=`, `+`, `-`, `@`, TAB or CR: a unit named `=1+1`) gets a leading `'`, as OWASP recommends;
/// a plain number such as `-3` is left as it is (it cannot be a formula).
fn csv_line<S: AsRef<str>>(out: &mut dyn Write, fields: impl IntoIterator<Item = S>) -> io::Result<()> {
    let mut line = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let f = f.as_ref();
        let neutral;
        let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) && f.parse::<rust_decimal::Decimal>().is_err() {
            neutral = format!("'{f}");
            neutral.as_str()
        } else {
            f
        };
        if f.contains([',', '"', '\r', '\n']) {
            let _ = write!(line, "\"{}\"", f.replace('"', "\"\""));
        } else {
            line.push_str(f);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes())
}

/// Merges the units' reports into one report of `agency`, running each unit's checks. See [`merge_with`].
pub fn merge(inputs: &[(String, Report)], agency: &str) -> Result<Merged, MergeError> {
    merge_with(inputs, agency, MergeOptions::default())
}

/// Merges `(unit name, report)` inputs into one report of `agency`: [`Merger`] over a list.
pub fn merge_with(inputs: &[(String, Report)], agency: &str, opts: MergeOptions) -> Result<Merged, MergeError> {
    let mut merger = Merger::new(opts);
    for (unit, r) in inputs {
        merger.add(unit.clone(), r)?;
    }
    merger.finish(agency)
}

/// A 汇总 in progress: the units' reports are added one at a time and need not be kept, so that the memory
/// used grows with a few bytes per unit and cell, not with the reports.
///
/// All inputs must share edition and year (else [`MergeError::Mixed`] naming the first odd one). Every input
/// cell is the sum over the units (blank only if every unit left it blank), computed cells are recomputed,
/// texts are empty but for the list of units in the overview.
pub struct Merger {
    opts: MergeOptions,
    /// The first unit's name, edition and year: what every other unit must match.
    first: Option<(String, Edition, i32)>,
    sums: Vec<Sum>,
    /// The first invalid text a unit holds in a cell: the sum is no number, the merged cell keeps that text.
    invalid: Vec<Option<String>>,
    units: Vec<String>,
    values: UnitCells,
    summaries: Vec<Summary>,
    findings: Vec<Vec<Finding>>,
}

impl Merger {
    /// An empty 汇总.
    pub fn new(opts: MergeOptions) -> Self {
        Merger {
            opts,
            first: None,
            sums: Vec::new(),
            invalid: Vec::new(),
            units: Vec::new(),
            values: UnitCells::default(),
            summaries: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The unit names so far, in input order (to be renamed before [`Merger::finish`] where two are alike).
    pub fn units_mut(&mut self) -> &mut [String] {
        &mut self.units
    }

    /// Adds one unit's report; returns the unit's own findings (none when checks are off).
    pub fn add(&mut self, unit: String, r: &Report) -> Result<Vec<Finding>, MergeError> {
        let index = self.units.len();
        let (first_unit, edition, year) = self
            .first
            .get_or_insert_with(|| (unit.clone(), r.edition, r.year))
            .clone();
        if r.edition != edition || r.year != year {
            return Err(MergeError::Mixed {
                index,
                unit,
                edition: r.template().name,
                year: r.year,
                first_unit,
                first_edition: edition.template().name,
                first_year: year,
            });
        }
        let t = edition.template();
        let n = t.cells.len();
        self.sums.resize(n, Sum::default());
        self.invalid.resize(n, None);
        for (i, c) in t.cells.iter().enumerate() {
            // A hand-made report shorter than its template: the rest is blank.
            let v = r.cells.get(i).unwrap_or(&Value::Blank);
            self.sums[i].add(v, false);
            if let Value::Invalid(s) = v {
                self.invalid[i].get_or_insert_with(|| s.clone());
            }
            self.values.push(c.kind, v);
        }
        self.units.push(unit);
        // A unit's project that remembers its predecessor gets the cross-year checks too.
        let findings = if self.opts.run_checks {
            checks::check(r, r.previous_report().as_ref())
        } else {
            Vec::new()
        };
        self.summaries.push(checks::summarize(&findings));
        if self.opts.keep_findings {
            self.findings.push(findings.clone());
        } else {
            self.findings.push(Vec::new());
        }
        Ok(findings)
    }

    /// The merged report of `agency` and the breakdown.
    pub fn finish(self, agency: &str) -> Result<Merged, MergeError> {
        let (_, edition, year) = self.first.ok_or(MergeError::Empty)?;
        let t = edition.template();
        let mut report = Report::new(edition, year, agency);
        for (i, (sum, bad)) in self.sums.into_iter().zip(self.invalid).enumerate() {
            report.cells[i] = match (sum.value(), bad) {
                (Ok(v), _) => v,
                (Err(_), Some(text)) => Value::Invalid(text),
                (Err(_), None) => {
                    return Err(MergeError::TooLarge {
                        label: t.cells.get(i).map_or("", |c| c.label),
                    });
                }
            };
        }
        report.fill_totals();
        report.texts.overview = format!(
            "{MERGE_MARKER}\n共{}个单位：{}。",
            self.units.len(),
            self.units.join("、")
        );
        let breakdown = Breakdown {
            edition,
            units: self.units,
            totals: report.cells.clone(),
            values: self.values,
            summaries: self.summaries,
            findings: self.findings,
            checked: self.opts.run_checks,
        };
        Ok(Merged { report, breakdown })
    }
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
            // Formula injection (OWASP): every dangerous first character is neutralised; plain numbers are not.
            (vec!["=cmd|' /C calc'!A0"], "'=cmd|' /C calc'!A0\r\n"),
            (vec!["+SUM(1+1)"], "'+SUM(1+1)\r\n"),
            (vec!["-1+2"], "'-1+2\r\n"),
            (vec!["@SUM(A1)"], "'@SUM(A1)\r\n"),
            (vec!["\t=1+1"], "'\t=1+1\r\n"),
            (vec!["\r=1+1"], "\"'\r=1+1\"\r\n"),
            (vec!["-3", "-1.5000", "+"], "-3,-1.5000,'+\r\n"),
        ];
        for (fields, want) in cases {
            let mut out = Vec::new();
            csv_line(&mut out, fields.clone()).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "{fields:?}");
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
