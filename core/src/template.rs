//! The two editions of the report template, as static data.
//!
//! The data comes from `assets/templates/*.ron`, embedded in the program and loaded the first time an edition
//! is used ([`load`] validates it: unique ids, rules naming existing cells, computed cells computed exactly once
//! and never by an input-only rule). Everything else in nianbao — the form, the checks, the export, the import — walks these tables
//! instead of naming labels or ids itself.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::LazyLock;

/// Index of a cell in [`Template::cells`] (and in [`crate::report::Report`]'s cell vector).
pub type CellIdx = usize;

/// A template edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Edition {
    /// 年度报告格式（试行）, 国办公开办函〔2019〕60号: report years 2019 and 2020.
    #[serde(rename = "2019")]
    E2019,
    /// 年度报告格式, 国办公开办函〔2021〕30号: report years 2021 and later.
    #[serde(rename = "2021")]
    E2021,
}

impl Edition {
    /// Every edition, oldest first.
    pub const ALL: [Edition; 2] = [Edition::E2019, Edition::E2021];

    /// The stable id used in files and on the command line (`"2019"`, `"2021"`).
    pub fn id(self) -> &'static str {
        match self {
            Edition::E2019 => "2019",
            Edition::E2021 => "2021",
        }
    }

    /// Parses an edition id (`"2019"` or `"2021"`).
    pub fn from_id(id: &str) -> Option<Edition> {
        Edition::ALL.into_iter().find(|e| e.id() == id.trim())
    }

    /// The edition a report of `year` must use.
    pub fn for_year(year: i32) -> Edition {
        if year <= 2020 { Edition::E2019 } else { Edition::E2021 }
    }

    /// The template of this edition, loaded on first use.
    pub fn template(self) -> &'static Template {
        match self {
            Edition::E2019 => &T2019,
            Edition::E2021 => &T2021,
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.template().name)
    }
}

/// The four free-text parts of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TextId {
    /// Paragraphs between the title and section 一 (legal basis, period, contact).
    Preamble,
    /// 一、总体情况.
    Overview,
    /// 五、存在的主要问题及改进情况.
    Problems,
    /// 六、其他需要报告的事项.
    Other,
}

impl TextId {
    /// Every text, in document order.
    pub const ALL: [TextId; 4] = [TextId::Preamble, TextId::Overview, TextId::Problems, TextId::Other];

    /// The stable key used in JSON (`preamble`, `overview`, `problems`, `other`).
    pub fn key(self) -> &'static str {
        match self {
            TextId::Preamble => "preamble",
            TextId::Overview => "overview",
            TextId::Problems => "problems",
            TextId::Other => "other",
        }
    }

    /// What the UI calls the paragraphs before section 一: the template gives them no heading.
    pub const PREAMBLE_LABEL: &'static str = "开头说明";

    /// A short Chinese name for the UI: the heading of its section in the current edition's template
    /// ([`Template::text_label`], the same in every edition).
    pub fn label(self) -> &'static str {
        Edition::E2021.template().text_label(self)
    }
}

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// A count: integer ≥ 0.
    Count,
    /// A signed integer (2019 `本年增/减`).
    Signed,
    /// Money in 万元, an exact decimal written with 4 places.
    Money,
}

/// Severity of a rule's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The template states or strictly implies it: the report is wrong.
    Error,
    /// Plausibility: worth a look, may be marked 已核实.
    Warning,
}

impl Severity {
    /// The word shown to the clerk, the one vocabulary of the window, the command line and the breakdown:
    /// 错误 (the report is wrong) or 警告 (worth a look, may be marked 已核实).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// How a table's data rows are laid out in the official grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One grid line per data row, label columns first.
    Rows,
    /// All data rows side by side on one grid line, no label columns (section 四).
    Inline,
}

/// Comparison of a linear relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Left sum equals right sum.
    Eq,
    /// Left sum is at most right sum.
    Le,
}

/// One of the six sections of the document.
#[derive(Debug)]
pub struct Section {
    /// Stable id (`overview`, `s2`, `s3`, `s4`, `problems`, `other`).
    pub id: &'static str,
    /// The exact heading, e.g. `一、总体情况`.
    pub heading: &'static str,
    /// Other headings found in published reports for this section.
    pub aliases: &'static [&'static str],
    /// The free text this section holds, if it is a text section.
    pub text: Option<TextId>,
    /// Indices into [`Template::tables`] of the tables in this section, in order.
    pub tables: &'static [usize],
}

/// A cell of the official Word table's grid: a header cell or a row label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridCell {
    /// The text written in the cell.
    pub text: &'static str,
    /// Grid line, counted within the header (header cells) or from the first data line (labels).
    pub row: usize,
    /// First grid column.
    pub col: usize,
    /// Columns covered (≥ 1).
    pub colspan: usize,
    /// Lines covered (≥ 1).
    pub rowspan: usize,
}

/// A value column of a table.
#[derive(Debug)]
pub struct Column {
    /// Column id, the last part of cell ids (`natural`, `in_force`, …).
    pub id: &'static str,
    /// The header label.
    pub label: &'static str,
    /// Short name for messages (the label unless it is long).
    pub short: &'static str,
    /// The group header above it, if any (`法人或其他组织`).
    pub group: Option<&'static str>,
    /// Value type.
    pub kind: ValueKind,
    /// Filled in by the form (a total column).
    pub computed: bool,
    /// Other labels found in published reports.
    pub aliases: &'static [&'static str],
}

/// A data row of a table.
#[derive(Debug)]
pub struct Row {
    /// Row id, the first part of cell ids (`s3.new`, `s2.rules`, `s4.review`).
    pub id: &'static str,
    /// The label path from the outermost group to the row's own label.
    pub labels: &'static [&'static str],
    /// Short name for messages (`一`, `三（七）`, or the label).
    pub short: &'static str,
    /// Filled in by the form (a total row).
    pub computed: bool,
    /// Other own-labels found in published reports.
    pub aliases: &'static [&'static str],
    /// The cells of this row, one per column of the table.
    pub cells: &'static [CellIdx],
}

impl Row {
    /// The row's own label (the last of [`Row::labels`]).
    pub fn label(&self) -> &'static str {
        self.labels.last().copied().unwrap_or(self.short)
    }

    /// The ways a report may write the row's own label: [`Row::label`], then its aliases.
    pub fn label_forms(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.label()).chain(self.aliases.iter().copied())
    }
}

/// A table: a block of section 二, the section 三 table, or the section 四 table.
#[derive(Debug)]
pub struct Table {
    /// Table id (`s2.regs`, `s3`, `s4`, …).
    pub id: &'static str,
    /// Id of the section it belongs to.
    pub section: &'static str,
    /// Caption line above the header (`第二十条第（一）项`), written as its own grid line spanning the width.
    pub caption: Option<&'static str>,
    /// Width of the official grid, in columns.
    pub width: usize,
    /// How many grid columns hold row labels before the values ([`Layout::Rows`] only).
    pub label_cols: usize,
    /// Row layout.
    pub layout: Layout,
    /// Number of header lines.
    pub header_rows: usize,
    /// Header cells, with their spans.
    pub header: &'static [GridCell],
    /// Row-label cells of the data lines, with their spans (row counted from the first data line).
    pub labels: &'static [GridCell],
    /// The value columns.
    pub columns: &'static [Column],
    /// The data rows.
    pub rows: &'static [Row],
}

impl Table {
    /// Number of data lines in the grid.
    pub fn body_rows(&self) -> usize {
        match self.layout {
            Layout::Rows => self.rows.len(),
            Layout::Inline => 1,
        }
    }

    /// Where the value of `rows[r]`, `columns[c]` sits in the grid: (data line, grid column).
    pub fn value_position(&self, r: usize, c: usize) -> (usize, usize) {
        match self.layout {
            Layout::Rows => (r, self.label_cols + c),
            Layout::Inline => (0, r * self.columns.len() + c),
        }
    }
}

/// A cell that holds a value.
#[derive(Debug)]
pub struct Cell {
    /// Stable id: row id + `.` + column id.
    pub id: &'static str,
    /// Index of its table in [`Template::tables`].
    pub table: usize,
    /// Index of its row in the table's rows.
    pub row: usize,
    /// Index of its column in the table's columns.
    pub col: usize,
    /// Value type.
    pub kind: ValueKind,
    /// Filled in by the form.
    pub computed: bool,
    /// A Chinese name a clerk recognises, e.g. `一、本年新收政府信息公开申请数量 · 自然人`.
    pub label: &'static str,
    /// The relation in [`Template::relations`] that computes it, for computed cells.
    pub formula: Option<usize>,
}

/// An instance of a linear rule over concrete cells: `sum(lhs) op sum(rhs)`.
#[derive(Debug)]
pub struct Relation {
    /// Index into [`Template::rules`].
    pub rule: usize,
    /// Left-hand cells.
    pub lhs: &'static [CellIdx],
    /// Comparison.
    pub op: Op,
    /// Right-hand cells.
    pub rhs: &'static [CellIdx],
    /// Which column or row it runs over, for messages (`自然人列`, `「规章」行`).
    pub scope: &'static str,
    /// Names of the left side for messages (`一+二`).
    pub lhs_text: &'static str,
    /// Names of the right side for messages (`三（七）+四`).
    pub rhs_text: &'static str,
    /// For a computing relation: the cell it fills (then `lhs == [target]`).
    pub computes: Option<CellIdx>,
}

/// A phrase in the narrative that quotes a table figure (`narrative` rule).
#[derive(Debug)]
pub struct Quote {
    /// Phrases after which the figure follows (`收到政府信息公开申请`).
    pub keywords: &'static [&'static str],
    /// The cells whose sum the figure must equal.
    pub cells: &'static [CellIdx],
}

/// What a rule checks.
#[derive(Debug)]
pub enum RuleKind {
    /// Linear relations; the instances are the relations whose `rule` is this rule.
    Relation,
    /// Types and ranges of values.
    Value,
    /// Report year matches the edition.
    EditionYear,
    /// Blank cells.
    Blank,
    /// Money with more than 4 decimal places.
    Precision,
    /// A line of a text that the text export would show as a section heading or a table row.
    TextLayout,
    /// Section 六 must report 信息处理费.
    FeeReport {
        /// The text to search.
        text: TextId,
        /// The word that must appear.
        keyword: &'static str,
        /// The cell of applications dropped for unpaid fees.
        cell: CellIdx,
    },
    /// No text still holds the draft marker of carried-over text.
    Draft {
        /// The start of the marker (`【草稿：`).
        marker: &'static str,
    },
    /// Figures quoted in the narrative agree with the tables.
    Narrative {
        /// The quoted figures.
        quotes: &'static [Quote],
    },
    /// This year's row `to` equals last year's row `from`, column by column (cell ids of last year).
    CarryOver {
        /// (this year's cell, last year's cell id).
        pairs: &'static [(CellIdx, &'static str)],
    },
    /// A whole table identical to last year's.
    SameAsLastYear,
    /// Per row: this year's `target` equals the signed sum of last year's and this year's terms
    /// (`in_force = last year's in_force + issued − repealed`). Rows whose last-year cells the previous
    /// report lacks are skipped.
    CrossYear {
        /// One entry per row the rule runs over.
        rows: &'static [CrossYearRow],
    },
}

/// A signed term of a [`CrossYearRow`]: a cell (index this year, id last year) added or subtracted.
#[derive(Debug)]
pub struct Term<C> {
    /// The cell.
    pub cell: C,
    /// Subtracted rather than added.
    pub negative: bool,
}

/// One row of a [`RuleKind::CrossYear`] rule.
#[derive(Debug)]
pub struct CrossYearRow {
    /// This year's cell that must equal the sum.
    pub target: CellIdx,
    /// Terms taken from this year's report.
    pub this_year: &'static [Term<CellIdx>],
    /// Terms taken from last year's report, by cell id (last year may be another edition).
    pub last_year: &'static [Term<&'static str>],
}

/// A rule of the template.
#[derive(Debug)]
pub struct Rule {
    /// Stable rule id (`balance`, `blank`, …).
    pub id: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it checks, in Chinese.
    pub title: &'static str,
    /// How it is checked.
    pub kind: RuleKind,
}

/// One edition of the template.
#[derive(Debug)]
pub struct Template {
    /// The edition.
    pub edition: Edition,
    /// Chinese name, e.g. `年度报告格式（试行）`.
    pub name: &'static str,
    /// The notice that set it.
    pub notice: &'static str,
    /// First report year it is used for.
    pub first_year: i32,
    /// Last report year it is used for (`None`: still current).
    pub last_year: Option<i32>,
    /// The six sections, in order.
    pub sections: &'static [Section],
    /// Every table, in document order.
    pub tables: &'static [Table],
    /// Every value cell, in document order (table by table, row by row).
    pub cells: &'static [Cell],
    /// Every rule.
    pub rules: &'static [Rule],
    /// Every relation instance.
    pub relations: &'static [Relation],
    /// Indices of computing relations in dependency order: evaluating them in this order fills every total.
    pub formulas: &'static [usize],
    /// Index into [`Template::rules`] of the relation rule that balances the applications received (new +
    /// carried in) against those accounted for (handled + carried out): `checks::unaccounted` walks it.
    pub balance_rule: Option<usize>,
    /// Cell ids sorted, with their index: for [`Template::cell_index`].
    pub sorted_ids: &'static [(&'static str, CellIdx)],
}

impl Template {
    /// The index of the cell with this id.
    pub fn cell_index(&self, id: &str) -> Option<CellIdx> {
        self.sorted_ids
            .binary_search_by(|(k, _)| (*k).cmp(id))
            .ok()
            .map(|i| self.sorted_ids[i].1)
    }

    /// The cell with this id.
    pub fn cell(&self, id: &str) -> Option<&'static Cell> {
        let cells: &'static [Cell] = self.cells;
        self.cell_index(id).map(|i| &cells[i])
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&'static Rule> {
        let rules: &'static [Rule] = self.rules;
        rules.iter().find(|r| r.id == id)
    }

    /// The table with this id.
    pub fn table(&self, id: &str) -> Option<&'static Table> {
        let tables: &'static [Table] = self.tables;
        tables.iter().find(|t| t.id == id)
    }

    /// The table and row of a cell.
    pub fn row_of(&self, cell: CellIdx) -> (&'static Table, &'static Row) {
        let tables: &'static [Table] = self.tables;
        let c = &self.cells[cell];
        let t = &tables[c.table];
        (t, &t.rows[c.row])
    }

    /// The column of a cell.
    pub fn column_of(&self, cell: CellIdx) -> &'static Column {
        let tables: &'static [Table] = self.tables;
        let c = &self.cells[cell];
        &tables[c.table].columns[c.col]
    }

    /// The name of a table for messages: its section's heading, with the caption when it has one
    /// (`二、主动公开政府信息情况·第二十条第（一）项`).
    pub fn table_name(&self, table: &Table) -> String {
        let heading = self
            .sections
            .iter()
            .find(|s| s.id == table.section)
            .map_or("", |s| s.heading);
        match table.caption {
            Some(c) => format!("{heading}·{c}"),
            None => heading.to_string(),
        }
    }

    /// The heading of a free text: its section's heading (`一、总体情况`); the preamble, which has no
    /// section, is [`TextId::PREAMBLE_LABEL`].
    pub fn text_label(&self, id: TextId) -> &'static str {
        let sections: &'static [Section] = self.sections;
        sections
            .iter()
            .find(|s| s.text == Some(id))
            .map_or(TextId::PREAMBLE_LABEL, |s| s.heading)
    }

    /// Whether `year` belongs to this edition.
    pub fn covers_year(&self, year: i32) -> bool {
        year >= self.first_year && self.last_year.is_none_or(|last| year <= last)
    }

    /// What every report is called, after `{agency}{year}年` in its title.
    pub const REPORT_NAME: &'static str = "政府信息公开工作年度报告";

    /// The subject at the start of [`Template::REPORT_NAME`]: a title written the other way round
    /// (`某局政府信息公开工作年度报告（2020年）`) has the agency before it.
    pub const REPORT_SUBJECT: &'static str = "政府信息公开";

    /// The document title for an agency and year: `{agency}{year}年` and [`Template::REPORT_NAME`]. The
    /// importer reads titles by these two constants.
    pub fn title(agency: &str, year: i32) -> String {
        format!("{agency}{year}年{}", Template::REPORT_NAME)
    }
}

pub mod load;

/// Loads an embedded template. The two shipped templates are loaded by every test (`load::tests`,
/// `tests/template_build.rs`), so this cannot fail in a program that passed them.
fn embedded(name: &str, src: &str) -> Template {
    match load::load(name, src) {
        Ok(t) => t,
        Err(e) => panic!("embedded template {e}"),
    }
}

/// 年度报告格式（试行）.
static T2019: LazyLock<Template> = LazyLock::new(|| embedded("2019.ron", include_str!("../assets/templates/2019.ron")));
/// 年度报告格式.
static T2021: LazyLock<Template> = LazyLock::new(|| embedded("2021.ron", include_str!("../assets/templates/2021.ron")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_counts_match_the_spec() {
        // 2021: s2 = 2×3 + 1 + 2 + 1 = 10; s3 = 25 rows (21 result rows; template.md says 20) × 7; s4 = 15.
        assert_eq!(Edition::E2021.template().cells.len(), 10 + 25 * 7 + 15);
        // 2019: s2 = 2×3 + 2×3 + 2×3 + 2 + 2 = 22; s3 = 23 rows (19 result rows; template.md says 18) × 7; s4 = 15.
        assert_eq!(Edition::E2019.template().cells.len(), 22 + 23 * 7 + 15);
    }

    #[test]
    fn ids_from_the_spec_resolve() {
        let t = Edition::E2021.template();
        for id in [
            "s2.normative.in_force",
            "s2.fees.amount",
            "s3.new.natural",
            "s3.denied.third_party.total",
            "s3.other_handling.unpaid_fee.total",
            "s4.suit_direct.pending",
        ] {
            assert!(t.cell_index(id).is_some(), "{id}");
        }
        assert!(t.cell_index("s3.other_handling.natural").is_none());
        let t19 = Edition::E2019.template();
        assert!(t19.cell_index("s3.other_handling.natural").is_some());
        assert!(t19.cell_index("s2.procurement.amount").is_some());
        assert_eq!(t19.cell("s2.fees.change").map(|c| c.kind), Some(ValueKind::Signed));
    }

    #[test]
    fn computed_cells_are_the_spec_totals() {
        for e in Edition::ALL {
            let t = e.template();
            for c in t.cells {
                let expect = c.id.ends_with(".total") && (c.id.starts_with("s3.") || c.id.starts_with("s4."))
                    || c.id.starts_with("s3.handled_total.");
                assert_eq!(c.computed, expect, "{}", c.id);
                assert_eq!(c.formula.is_some(), c.computed, "{}", c.id);
            }
        }
    }

    #[test]
    fn formulas_come_after_their_inputs() {
        for e in Edition::ALL {
            let t = e.template();
            let mut done = vec![false; t.cells.len()];
            for c in t.cells {
                if !c.computed {
                    done[t.cell_index(c.id).unwrap()] = true;
                }
            }
            for &f in t.formulas {
                let rel = &t.relations[f];
                assert!(rel.rhs.iter().all(|&i| done[i]), "{}", rel.scope);
                done[rel.computes.unwrap()] = true;
            }
            assert!(done.iter().all(|d| *d));
        }
    }

    #[test]
    fn section_three_grid_labels_merge_like_the_word_table() {
        let t = Edition::E2021.template();
        let s3 = t.table("s3").unwrap();
        assert_eq!(s3.header_rows, 3);
        let group = s3.labels.iter().find(|g| g.text == "三、本年度办理结果").unwrap();
        assert_eq!((group.row, group.col, group.colspan, group.rowspan), (2, 0, 1, 22));
        let new = s3.labels.iter().find(|g| g.text.starts_with("一、")).unwrap();
        assert_eq!((new.col, new.colspan), (0, 3));
        let granted = s3.labels.iter().find(|g| g.text == "（一）予以公开").unwrap();
        assert_eq!((granted.col, granted.colspan, granted.rowspan), (1, 2, 1));
        let denied = s3.labels.iter().find(|g| g.text == "（三）不予公开").unwrap();
        assert_eq!((denied.col, denied.rowspan), (1, 8));
    }

    #[test]
    fn text_labels_are_the_section_headings_of_every_edition() {
        let cases = [
            (TextId::Preamble, "开头说明"),
            (TextId::Overview, "一、总体情况"),
            (TextId::Problems, "五、存在的主要问题及改进情况"),
            (TextId::Other, "六、其他需要报告的事项"),
        ];
        for (id, want) in cases {
            assert_eq!(id.label(), want);
            for e in Edition::ALL {
                assert_eq!(e.template().text_label(id), want, "{e:?}");
            }
        }
    }

    #[test]
    fn balance_relations_cover_every_column() {
        let t = Edition::E2019.template();
        let balance = t.rules.iter().position(|r| r.id == "balance").unwrap();
        let n = t.relations.iter().filter(|r| r.rule == balance).count();
        assert_eq!(n, 7);
        let first = t.relations.iter().find(|r| r.rule == balance).unwrap();
        assert_eq!(first.scope, "自然人列");
        assert_eq!(first.lhs_text, "一+二");
        assert_eq!(first.rhs_text, "三（七）+四");
    }
}
