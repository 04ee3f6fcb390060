//! The template source format (`assets/templates/*.ron`): read, validated (unique ids, rules naming existing
//! cells, computed cells computed exactly once and never by an input-only rule, no cycles) and resolved into a
//! [`Template`]. `tests/template_build.rs` proves that broken templates are refused with a message that says
//! what is wrong; the shipped ones are loaded once per process (see [`super::Edition::template`]).
//!
//! The messages are for whoever edits a template, never for a clerk: a shipped template that failed would
//! fail every test.

use super::{
    Cell, Column, CrossYearRow, Edition, GridCell, Layout, Op, Quote, Relation, Row, Rule, RuleKind, Section, Severity,
    Table, Template, Term, TextId, ValueKind,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Deserialize)]
pub struct TemplateSrc {
    pub edition: String,
    pub name: String,
    pub notice: String,
    pub first_year: i32,
    #[serde(default)]
    pub last_year: Option<i32>,
    pub sections: Vec<SectionSrc>,
    pub tables: Vec<TableSrc>,
    pub rules: Vec<RuleSrc>,
    /// The relation rule whose relations balance the applications received against those accounted for.
    #[serde(default)]
    pub balance_rule: Option<String>,
}

#[derive(Deserialize)]
pub struct SectionSrc {
    pub id: String,
    pub heading: String,
    #[serde(default)]
    pub text: Option<TextSrc>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The texts of a report (mirrors `template::TextId`).
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextSrc {
    Preamble,
    Overview,
    Problems,
    Other,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayoutSrc {
    #[default]
    Rows,
    Inline,
}

#[derive(Deserialize)]
pub struct TableSrc {
    pub id: String,
    pub section: String,
    #[serde(default)]
    pub caption: Option<String>,
    pub width: usize,
    pub label_cols: usize,
    #[serde(default)]
    pub layout: LayoutSrc,
    #[serde(default)]
    pub header: Option<Vec<HeadSrc>>,
    pub columns: Vec<ColumnSrc>,
    pub rows: Vec<RowSrc>,
}

#[derive(Deserialize, Clone)]
pub struct HeadSrc {
    pub text: String,
    pub row: usize,
    pub col: usize,
    #[serde(default = "one")]
    pub colspan: usize,
    #[serde(default = "one")]
    pub rowspan: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindSrc {
    #[default]
    Count,
    Signed,
    Money,
}

#[derive(Deserialize)]
pub struct ColumnSrc {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub short: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub kind: KindSrc,
    #[serde(default)]
    pub computed: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
pub struct RowSrc {
    pub id: String,
    pub labels: Vec<String>,
    #[serde(default)]
    pub short: Option<String>,
    #[serde(default)]
    pub computed: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum SeveritySrc {
    Error,
    Warning,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    Row,
    Column,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
pub enum OpSrc {
    Eq,
    Le,
}

#[derive(Deserialize)]
pub struct QuoteSrc {
    pub keywords: Vec<String>,
    pub cells: Vec<String>,
}

#[derive(Deserialize)]
pub enum CheckSrc {
    Relation {
        table: String,
        per: Per,
        lhs: Vec<String>,
        op: OpSrc,
        rhs: Vec<String>,
        #[serde(default)]
        computes: bool,
        #[serde(default)]
        lhs_text: Option<String>,
        #[serde(default)]
        rhs_text: Option<String>,
    },
    Value,
    EditionYear,
    Blank,
    Precision,
    TextLayout,
    FeeReport {
        text: TextSrc,
        keyword: String,
        cell: String,
    },
    /// A text still holding the marker put before carried-over text (新建下一年度报告).
    Draft {
        marker: String,
    },
    Narrative {
        quotes: Vec<QuoteSrc>,
    },
    CarryOver {
        table: String,
        from_row: String,
        to_row: String,
    },
    SameAsLastYear,
    /// A cross-year identity per row: this year's `target` column equals the signed sum of last year's
    /// `last_year` columns and this year's `this_year` columns (each written `+col` or `-col`). `tables` empty
    /// means every table that has all the named columns.
    CrossYear {
        #[serde(default)]
        tables: Vec<String>,
        target: String,
        #[serde(default)]
        this_year: Vec<String>,
        #[serde(default)]
        last_year: Vec<String>,
    },
}

/// Splits a signed column pattern (`+issued`, `-repealed`, `change`) into (column id, negative).
fn signed_column(s: &str) -> (&str, bool) {
    if let Some(c) = s.strip_prefix('-') {
        (c, true)
    } else {
        (s.strip_prefix('+').unwrap_or(s), false)
    }
}

/// The (table index, row index) pairs a cross-year rule runs over.
fn cross_year_rows(
    t: &TemplateSrc,
    rule_id: &str,
    tables: &[String],
    target: &str,
    this_year: &[String],
    last_year: &[String],
) -> Result<Vec<(usize, usize)>, String> {
    let needed: Vec<&str> = std::iter::once(target)
        .chain(this_year.iter().chain(last_year).map(|s| signed_column(s).0))
        .collect();
    let has_all = |tb: &TableSrc| needed.iter().all(|c| tb.columns.iter().any(|x| x.id == *c));
    let mut out = Vec::new();
    if tables.is_empty() {
        for (ti, tb) in t.tables.iter().enumerate() {
            if has_all(tb) {
                out.extend((0..tb.rows.len()).map(|ri| (ti, ri)));
            }
        }
    } else {
        for id in tables {
            let Some(ti) = t.tables.iter().position(|x| &x.id == id) else {
                return Err(format!("rule `{rule_id}` names missing table `{id}`"));
            };
            if !has_all(&t.tables[ti]) {
                return Err(format!(
                    "rule `{rule_id}`: table `{id}` lacks one of the columns {needed:?}"
                ));
            }
            out.extend((0..t.tables[ti].rows.len()).map(|ri| (ti, ri)));
        }
    }
    if out.is_empty() {
        return Err(format!("rule `{rule_id}`: no table has all the columns {needed:?}"));
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct RuleSrc {
    pub id: String,
    pub severity: SeveritySrc,
    pub title: String,
    pub check: CheckSrc,
}

/// A relation rule's side names and, per column or row it runs over, its left cells, right cells and scope.
type RelationInstances = (String, String, Vec<(Vec<usize>, Vec<usize>, String)>);

/// Short name of a row for messages: its `short`, else its own label.
fn short_row(r: &RowSrc) -> String {
    r.short
        .clone()
        .unwrap_or_else(|| r.labels.last().cloned().unwrap_or_default())
}

/// Short name of a column for messages: its `short`, else its label.
fn short_col(c: &ColumnSrc) -> String {
    c.short.clone().unwrap_or_else(|| c.label.clone())
}

/// A cell as resolved by validation.
struct CellOut {
    id: String,
    table: usize,
    row: usize,
    col: usize,
    kind: KindSrc,
    computed: bool,
    label: String,
    formula: Option<usize>,
}

struct GridOut {
    text: String,
    row: usize,
    col: usize,
    colspan: usize,
    rowspan: usize,
}

struct RelationOut {
    rule: usize,
    lhs: Vec<usize>,
    op: OpSrc,
    rhs: Vec<usize>,
    scope: String,
    lhs_text: String,
    rhs_text: String,
    computes: Option<usize>,
}

/// Parses, validates and resolves one template. `name` is the file name, for messages.
///
/// The template's strings and tables are leaked so that they are `'static` like the rest of the program
/// expects: this is meant to run once per edition and process.
pub fn load(name: &str, src: &str) -> Result<Template, String> {
    let opts = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let t: TemplateSrc = opts.from_str(src).map_err(|e| format!("{name}: cannot parse: {e}"))?;
    Generator::new(name, &t)?.build(&t)
}

struct Generator {
    name: String,
    cells: Vec<CellOut>,
    /// For each table and row, the cell indices.
    row_cells: Vec<Vec<Vec<usize>>>,
    labels: Vec<Vec<GridOut>>,
    headers: Vec<(usize, Vec<GridOut>)>,
    relations: Vec<RelationOut>,
    formulas: Vec<usize>,
    cell_ids: HashMap<String, usize>,
}

impl Generator {
    fn err(&self, msg: impl AsRef<str>) -> String {
        format!("{}: {}", self.name, msg.as_ref())
    }

    fn new(name: &str, t: &TemplateSrc) -> Result<Generator, String> {
        let mut g = Generator {
            name: name.to_string(),
            cells: Vec::new(),
            row_cells: Vec::new(),
            labels: Vec::new(),
            headers: Vec::new(),
            relations: Vec::new(),
            formulas: Vec::new(),
            cell_ids: HashMap::new(),
        };
        if t.edition != "2019" && t.edition != "2021" {
            return Err(g.err(format!("unknown edition `{}`", t.edition)));
        }
        g.check_sections(t)?;
        g.build_cells(t)?;
        g.build_grids(t)?;
        g.build_relations(t)?;
        g.check_rules(t)?;
        g.order_formulas()?;
        Ok(g)
    }

    fn check_sections(&self, t: &TemplateSrc) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for s in &t.sections {
            if !seen.insert(&s.id) {
                return Err(self.err(format!("duplicate section id `{}`", s.id)));
            }
        }
        let mut tables = BTreeSet::new();
        for tb in &t.tables {
            if !tables.insert(&tb.id) {
                return Err(self.err(format!("duplicate table id `{}`", tb.id)));
            }
            if !seen.contains(&tb.section) {
                return Err(self.err(format!("table `{}` names missing section `{}`", tb.id, tb.section)));
            }
        }
        Ok(())
    }

    fn build_cells(&mut self, t: &TemplateSrc) -> Result<(), String> {
        let mut row_ids = BTreeSet::new();
        for (ti, tb) in t.tables.iter().enumerate() {
            let mut col_ids = BTreeSet::new();
            for c in &tb.columns {
                if !col_ids.insert(&c.id) {
                    return Err(self.err(format!("table `{}`: duplicate column id `{}`", tb.id, c.id)));
                }
            }
            let mut rows = Vec::new();
            for (ri, r) in tb.rows.iter().enumerate() {
                if !row_ids.insert(&r.id) {
                    return Err(self.err(format!("duplicate row id `{}`", r.id)));
                }
                if r.labels.is_empty() {
                    return Err(self.err(format!("row `{}` has no label", r.id)));
                }
                let mut cells = Vec::new();
                for (ci, c) in tb.columns.iter().enumerate() {
                    let id = format!("{}.{}", r.id, c.id);
                    if self.cell_ids.contains_key(&id) {
                        return Err(self.err(format!("duplicate cell id `{id}`")));
                    }
                    let idx = self.cells.len();
                    self.cell_ids.insert(id.clone(), idx);
                    let row_name = if r.labels.len() > 1 {
                        r.labels[1..].join(" · ")
                    } else {
                        r.labels[0].clone()
                    };
                    let col_name = c.short.clone().unwrap_or_else(|| c.label.clone());
                    self.cells.push(CellOut {
                        id,
                        table: ti,
                        row: ri,
                        col: ci,
                        kind: c.kind,
                        computed: r.computed || c.computed,
                        label: format!("{row_name} · {col_name}"),
                        formula: None,
                    });
                    cells.push(idx);
                }
                rows.push(cells);
            }
            self.row_cells.push(rows);
        }
        Ok(())
    }

    fn build_grids(&mut self, t: &TemplateSrc) -> Result<(), String> {
        for tb in &t.tables {
            let header = self.header_of(tb)?;
            self.headers.push(header);
            let labels = self.row_labels(tb)?;
            self.labels.push(labels);
        }
        Ok(())
    }

    /// The header cells of a table (a default one-line header when the template gives none), checked to fit
    /// the grid without overlapping, with the number of header lines.
    fn header_of(&self, tb: &TableSrc) -> Result<(usize, Vec<GridOut>), String> {
        let header: Vec<HeadSrc> = if let Some(h) = &tb.header {
            h.clone()
        } else {
            let mut h = vec![HeadSrc {
                text: "信息内容".into(),
                row: 0,
                col: 0,
                colspan: 1,
                rowspan: 1,
            }];
            for (i, c) in tb.columns.iter().enumerate() {
                h.push(HeadSrc {
                    text: c.label.clone(),
                    row: 0,
                    col: tb.label_cols + i,
                    colspan: 1,
                    rowspan: 1,
                });
            }
            h
        };
        let header_rows = header.iter().map(|h| h.row + h.rowspan).max().unwrap_or(0);
        let mut covered = vec![vec![false; tb.width]; header_rows];
        for h in &header {
            if h.colspan == 0 || h.rowspan == 0 || h.col + h.colspan > tb.width {
                return Err(self.err(format!(
                    "table `{}`: header cell `{}` does not fit the grid",
                    tb.id, h.text
                )));
            }
            for row in covered.iter_mut().skip(h.row).take(h.rowspan) {
                for slot in row.iter_mut().skip(h.col).take(h.colspan) {
                    if *slot {
                        return Err(self.err(format!("table `{}`: header cell `{}` overlaps another", tb.id, h.text)));
                    }
                    *slot = true;
                }
            }
        }
        let cells = header
            .iter()
            .map(|h| GridOut {
                text: h.text.clone(),
                row: h.row,
                col: h.col,
                colspan: h.colspan,
                rowspan: h.rowspan,
            })
            .collect();
        Ok((header_rows, cells))
    }

    /// The row-label cells of a table's data lines: a group label spans the rows that share it, a row's own
    /// label spans the remaining label columns.
    fn row_labels(&self, tb: &TableSrc) -> Result<Vec<GridOut>, String> {
        let mut labels = Vec::new();
        match tb.layout {
            LayoutSrc::Rows => {
                if tb.label_cols + tb.columns.len() > tb.width {
                    return Err(self.err(format!("table `{}`: labels and values are wider than the grid", tb.id)));
                }
                for (i, r) in tb.rows.iter().enumerate() {
                    let k = r.labels.len();
                    if k > tb.label_cols {
                        return Err(self.err(format!("row `{}` has more labels than label columns", r.id)));
                    }
                    for j in 0..k {
                        let prefix = &r.labels[..=j];
                        if j + 1 < k {
                            let starts = i == 0 || tb.rows[i - 1].labels.get(..=j) != Some(prefix);
                            if starts {
                                let span = tb.rows[i..]
                                    .iter()
                                    .take_while(|o| o.labels.get(..=j) == Some(prefix))
                                    .count();
                                labels.push(GridOut {
                                    text: r.labels[j].clone(),
                                    row: i,
                                    col: j,
                                    colspan: 1,
                                    rowspan: span,
                                });
                            }
                        } else {
                            labels.push(GridOut {
                                text: r.labels[j].clone(),
                                row: i,
                                col: j,
                                colspan: tb.label_cols - j,
                                rowspan: 1,
                            });
                        }
                    }
                }
            }
            LayoutSrc::Inline => {
                if tb.rows.len() * tb.columns.len() > tb.width || tb.label_cols != 0 {
                    return Err(self.err(format!("table `{}`: inline rows do not fit the grid", tb.id)));
                }
            }
        }
        Ok(labels)
    }

    fn resolve_cell(&self, rule: &str, id: &str) -> Result<usize, String> {
        self.cell_ids
            .get(id)
            .copied()
            .ok_or_else(|| self.err(format!("rule `{rule}` names missing cell `{id}`")))
    }

    fn build_relations(&mut self, t: &TemplateSrc) -> Result<(), String> {
        for (ri, rule) in t.rules.iter().enumerate() {
            let CheckSrc::Relation {
                table,
                per,
                lhs,
                op,
                rhs,
                computes,
                lhs_text,
                rhs_text,
            } = &rule.check
            else {
                continue;
            };
            let Some(ti) = t.tables.iter().position(|x| &x.id == table) else {
                return Err(self.err(format!("rule `{}` names missing table `{table}`", rule.id)));
            };
            let tb = &t.tables[ti];
            if *computes && lhs.len() != 1 {
                return Err(self.err(format!(
                    "rule `{}` computes, so its left side must be one cell",
                    rule.id
                )));
            }
            let names = (lhs_text.as_deref(), rhs_text.as_deref());
            let (lt, rt, instances) = self.instances(&rule.id, (ti, tb), *per, (lhs, rhs), names)?;
            for (lc, rc, scope) in instances {
                self.push_relation(ri, &rule.id, lc, *op, rc, scope, lt.clone(), rt.clone(), *computes)?;
            }
        }
        for c in &self.cells {
            if c.computed && c.formula.is_none() {
                return Err(self.err(format!("computed cell `{}` has no rule that computes it", c.id)));
            }
        }
        Ok(())
    }

    /// The instances of a relation rule of table `ti`. `per` says what it runs over: down every column (`lhs`
    /// and `rhs` are row ids) or along every row (they are column ids). Returns the names of both sides and, per
    /// column or row, its left cells, right cells and scope.
    fn instances(
        &self,
        rule_id: &str,
        (ti, tb): (usize, &TableSrc),
        per: Per,
        (lhs, rhs): (&[String], &[String]),
        names: (Option<&str>, Option<&str>),
    ) -> Result<RelationInstances, String> {
        // The terms a side names (rows down a column, columns along a row): id and short name.
        let (terms, what): (Vec<(&str, String)>, &str) = match per {
            Per::Column => (tb.rows.iter().map(|r| (r.id.as_str(), short_row(r))).collect(), "row"),
            Per::Row => (
                tb.columns.iter().map(|c| (c.id.as_str(), short_col(c))).collect(),
                "column",
            ),
        };
        let find = |id: &String| -> Result<usize, String> {
            terms.iter().position(|(t, _)| t == id).ok_or_else(|| {
                self.err(format!(
                    "rule `{rule_id}` names missing {what} `{id}` of table `{}`",
                    tb.id
                ))
            })
        };
        let l: Vec<usize> = lhs.iter().map(find).collect::<Result<_, _>>()?;
        let r: Vec<usize> = rhs.iter().map(find).collect::<Result<_, _>>()?;
        let side = |given: Option<&str>, picked: &[usize]| {
            given.map_or_else(
                || {
                    picked
                        .iter()
                        .map(|&i| terms[i].1.as_str())
                        .collect::<Vec<_>>()
                        .join("+")
                },
                str::to_string,
            )
        };
        // What it runs over, each with its scope for messages.
        let scopes: Vec<String> = match per {
            Per::Column => tb.columns.iter().map(|c| format!("{}列", short_col(c))).collect(),
            Per::Row => tb
                .rows
                .iter()
                .map(|row| {
                    let own = row.labels.last().cloned().unwrap_or_default();
                    let s = short_row(row);
                    if own.starts_with(&s) {
                        own
                    } else {
                        format!("{s}「{own}」")
                    }
                })
                .collect(),
        };
        let cell = |term: usize, along: usize| match per {
            Per::Column => self.row_cells[ti][term][along],
            Per::Row => self.row_cells[ti][along][term],
        };
        let instances = scopes
            .into_iter()
            .enumerate()
            .map(|(k, scope)| {
                let lc = l.iter().map(|&i| cell(i, k)).collect();
                let rc = r.iter().map(|&i| cell(i, k)).collect();
                (lc, rc, scope)
            })
            .collect();
        Ok((side(names.0, &l), side(names.1, &r), instances))
    }

    #[allow(clippy::too_many_arguments)]
    fn push_relation(
        &mut self,
        rule: usize,
        rule_id: &str,
        lhs: Vec<usize>,
        op: OpSrc,
        rhs: Vec<usize>,
        scope: String,
        lhs_text: String,
        rhs_text: String,
        computes: bool,
    ) -> Result<(), String> {
        let idx = self.relations.len();
        let mut target = None;
        if computes {
            let cell = lhs[0];
            if !self.cells[cell].computed {
                return Err(self.err(format!(
                    "rule `{rule_id}` computes cell `{}`, but that cell is an input (its row and column are not marked computed)",
                    self.cells[cell].id
                )));
            }
            if rhs.contains(&cell) {
                return Err(self.err(format!(
                    "rule `{rule_id}` computes cell `{}` from itself",
                    self.cells[cell].id
                )));
            }
            if op != OpSrc::Eq {
                return Err(self.err(format!("rule `{rule_id}` computes cells, so it must be an equality")));
            }
            // The first computing relation of a cell is its formula; later ones only check it.
            if self.cells[cell].formula.is_none() {
                self.cells[cell].formula = Some(idx);
                target = Some(cell);
            }
        }
        self.relations.push(RelationOut {
            rule,
            lhs,
            op,
            rhs,
            scope,
            lhs_text,
            rhs_text,
            computes: target,
        });
        Ok(())
    }

    fn check_rules(&self, t: &TemplateSrc) -> Result<(), String> {
        let mut ids = BTreeSet::new();
        for rule in &t.rules {
            if !ids.insert(&rule.id) {
                return Err(self.err(format!("duplicate rule id `{}`", rule.id)));
            }
            match &rule.check {
                CheckSrc::FeeReport { cell, .. } => {
                    self.resolve_cell(&rule.id, cell)?;
                }
                CheckSrc::Narrative { quotes } => {
                    for q in quotes {
                        for c in &q.cells {
                            self.resolve_cell(&rule.id, c)?;
                        }
                    }
                }
                CheckSrc::CarryOver {
                    table,
                    from_row,
                    to_row,
                } => {
                    let Some(tb) = t.tables.iter().find(|x| &x.id == table) else {
                        return Err(self.err(format!("rule `{}` names missing table `{table}`", rule.id)));
                    };
                    for row in [from_row, to_row] {
                        if !tb.rows.iter().any(|r| &r.id == row) {
                            return Err(self.err(format!("rule `{}` names missing row `{row}`", rule.id)));
                        }
                    }
                }
                CheckSrc::CrossYear {
                    tables,
                    target,
                    this_year,
                    last_year,
                } => {
                    cross_year_rows(t, &rule.id, tables, target, this_year, last_year).map_err(|e| self.err(e))?;
                }
                _ => {}
            }
        }
        if let Some(b) = &t.balance_rule
            && !t
                .rules
                .iter()
                .any(|r| &r.id == b && matches!(r.check, CheckSrc::Relation { .. }))
        {
            return Err(self.err(format!("balance_rule `{b}` is not a relation rule")));
        }
        Ok(())
    }

    fn order_formulas(&mut self) -> Result<(), String> {
        let mut done: Vec<bool> = self.cells.iter().map(|c| !c.computed).collect();
        let mut pending: Vec<usize> = self.cells.iter().filter_map(|c| c.formula).collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut rest = Vec::new();
            for f in pending {
                let rel = &self.relations[f];
                if rel.rhs.iter().all(|&c| done[c]) {
                    self.formulas.push(f);
                    if let Some(target) = rel.computes {
                        done[target] = true;
                    }
                } else {
                    rest.push(f);
                }
            }
            if rest.len() == before {
                let names: Vec<String> = rest
                    .iter()
                    .filter_map(|&f| self.relations[f].computes.map(|c| self.cells[c].id.clone()))
                    .collect();
                return Err(self.err(format!(
                    "computed cells depend on each other in a cycle: {}",
                    names.join(", ")
                )));
            }
            pending = rest;
        }
        Ok(())
    }

    /// The template, its strings and tables leaked to `'static` (loaded once per edition, for the process).
    fn build(self, t: &TemplateSrc) -> Result<Template, String> {
        // An edition this program has no `Edition` for is refused, not silently taken for another one.
        let edition = match t.edition.as_str() {
            "2019" => Edition::E2019,
            "2021" => Edition::E2021,
            other => return Err(self.err(format!("unknown edition `{other}` (expected 2019 or 2021)"))),
        };
        let sections = t
            .sections
            .iter()
            .map(|s| Section {
                id: text(&s.id),
                heading: text(&s.heading),
                aliases: texts(&s.aliases),
                text: s.text.map(text_id),
                tables: leak(
                    t.tables
                        .iter()
                        .enumerate()
                        .filter(|(_, tb)| tb.section == s.id)
                        .map(|(i, _)| i)
                        .collect(),
                ),
            })
            .collect();
        let tables = t.tables.iter().enumerate().map(|(ti, tb)| self.table(ti, tb)).collect();
        let mut rules = Vec::new();
        for rule in &t.rules {
            rules.push(Rule {
                id: text(&rule.id),
                severity: match rule.severity {
                    SeveritySrc::Error => Severity::Error,
                    SeveritySrc::Warning => Severity::Warning,
                },
                title: text(&rule.title),
                kind: self.rule_kind(t, rule)?,
            });
        }
        let relations = self
            .relations
            .iter()
            .map(|r| Relation {
                rule: r.rule,
                lhs: leak(r.lhs.clone()),
                op: match r.op {
                    OpSrc::Eq => Op::Eq,
                    OpSrc::Le => Op::Le,
                },
                rhs: leak(r.rhs.clone()),
                scope: text(&r.scope),
                lhs_text: text(&r.lhs_text),
                rhs_text: text(&r.rhs_text),
                computes: r.computes,
            })
            .collect();
        let balance_rule = t
            .balance_rule
            .as_ref()
            .and_then(|b| t.rules.iter().position(|r| &r.id == b));
        let sorted: BTreeMap<&str, usize> = self.cells.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let sorted_ids = leak(sorted.into_iter().map(|(id, i)| (text(id), i)).collect());
        let cells = self
            .cells
            .iter()
            .map(|c| Cell {
                id: text(&c.id),
                table: c.table,
                row: c.row,
                col: c.col,
                kind: kind(c.kind),
                computed: c.computed,
                label: text(&c.label),
                formula: c.formula,
            })
            .collect();
        Ok(Template {
            edition,
            name: text(&t.name),
            notice: text(&t.notice),
            first_year: t.first_year,
            last_year: t.last_year,
            sections: leak(sections),
            tables: leak(tables),
            cells: leak(cells),
            rules: leak(rules),
            relations: leak(relations),
            formulas: leak(self.formulas.clone()),
            balance_rule,
            sorted_ids,
        })
    }

    /// One table of the template, resolved.
    fn table(&self, ti: usize, tb: &TableSrc) -> Table {
        let (header_rows, header) = &self.headers[ti];
        Table {
            id: text(&tb.id),
            section: text(&tb.section),
            caption: tb.caption.as_deref().map(text),
            width: tb.width,
            label_cols: tb.label_cols,
            layout: match tb.layout {
                LayoutSrc::Rows => Layout::Rows,
                LayoutSrc::Inline => Layout::Inline,
            },
            header_rows: *header_rows,
            header: grid(header),
            labels: grid(&self.labels[ti]),
            columns: leak(
                tb.columns
                    .iter()
                    .map(|c| Column {
                        id: text(&c.id),
                        label: text(&c.label),
                        short: text(c.short.as_deref().unwrap_or(&c.label)),
                        group: c.group.as_deref().map(text),
                        kind: kind(c.kind),
                        computed: c.computed,
                        aliases: texts(&c.aliases),
                    })
                    .collect(),
            ),
            rows: leak(
                tb.rows
                    .iter()
                    .enumerate()
                    .map(|(ri, r)| Row {
                        id: text(&r.id),
                        labels: texts(&r.labels),
                        short: text(
                            r.short
                                .as_deref()
                                .unwrap_or_else(|| r.labels.last().map_or("", String::as_str)),
                        ),
                        computed: r.computed,
                        aliases: texts(&r.aliases),
                        cells: leak(self.row_cells[ti][ri].clone()),
                    })
                    .collect(),
            ),
        }
    }

    /// What a rule checks, with its cells resolved.
    fn rule_kind(&self, t: &TemplateSrc, rule: &RuleSrc) -> Result<RuleKind, String> {
        Ok(match &rule.check {
            CheckSrc::Relation { .. } => RuleKind::Relation,
            CheckSrc::Value => RuleKind::Value,
            CheckSrc::EditionYear => RuleKind::EditionYear,
            CheckSrc::Blank => RuleKind::Blank,
            CheckSrc::Precision => RuleKind::Precision,
            CheckSrc::TextLayout => RuleKind::TextLayout,
            CheckSrc::SameAsLastYear => RuleKind::SameAsLastYear,
            CheckSrc::Draft { marker } => RuleKind::Draft { marker: text(marker) },
            CheckSrc::FeeReport {
                text: which,
                keyword,
                cell,
            } => RuleKind::FeeReport {
                text: text_id(*which),
                keyword: text(keyword),
                cell: self.resolve_cell(&rule.id, cell)?,
            },
            CheckSrc::Narrative { quotes } => {
                let mut out = Vec::new();
                for q in quotes {
                    let cells = q
                        .cells
                        .iter()
                        .map(|c| self.resolve_cell(&rule.id, c))
                        .collect::<Result<Vec<_>, _>>()?;
                    out.push(Quote {
                        keywords: texts(&q.keywords),
                        cells: leak(cells),
                    });
                }
                RuleKind::Narrative { quotes: leak(out) }
            }
            CheckSrc::CarryOver {
                table,
                from_row,
                to_row,
            } => {
                let tb = t
                    .tables
                    .iter()
                    .find(|x| &x.id == table)
                    .ok_or_else(|| self.err("carry-over table"))?;
                let mut pairs = Vec::new();
                for c in &tb.columns {
                    let to = self.resolve_cell(&rule.id, &format!("{to_row}.{}", c.id))?;
                    pairs.push((to, text(&format!("{from_row}.{}", c.id))));
                }
                RuleKind::CarryOver { pairs: leak(pairs) }
            }
            CheckSrc::CrossYear {
                tables,
                target,
                this_year,
                last_year,
            } => {
                let rows =
                    cross_year_rows(t, &rule.id, tables, target, this_year, last_year).map_err(|e| self.err(e))?;
                let mut out = Vec::new();
                for (ti, ri) in rows {
                    let tb = &t.tables[ti];
                    let cells = &self.row_cells[ti][ri];
                    let cell = |c: &str| tb.columns.iter().position(|x| x.id == c).map_or(0, |i| cells[i]);
                    out.push(CrossYearRow {
                        target: cell(target),
                        this_year: leak(
                            this_year
                                .iter()
                                .map(|p| {
                                    let (c, negative) = signed_column(p);
                                    Term {
                                        cell: cell(c),
                                        negative,
                                    }
                                })
                                .collect(),
                        ),
                        last_year: leak(
                            last_year
                                .iter()
                                .map(|p| {
                                    let (c, negative) = signed_column(p);
                                    Term {
                                        cell: text(&format!("{}.{c}", tb.rows[ri].id)),
                                        negative,
                                    }
                                })
                                .collect(),
                        ),
                    });
                }
                RuleKind::CrossYear { rows: leak(out) }
            }
        })
    }
}

/// A string for the `'static` template.
fn text(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn texts(v: &[String]) -> &'static [&'static str] {
    leak(v.iter().map(|s| text(s)).collect())
}

fn leak<T>(v: Vec<T>) -> &'static [T] {
    v.leak()
}

fn text_id(t: TextSrc) -> TextId {
    match t {
        TextSrc::Preamble => TextId::Preamble,
        TextSrc::Overview => TextId::Overview,
        TextSrc::Problems => TextId::Problems,
        TextSrc::Other => TextId::Other,
    }
}

fn kind(k: KindSrc) -> ValueKind {
    match k {
        KindSrc::Count => ValueKind::Count,
        KindSrc::Signed => ValueKind::Signed,
        KindSrc::Money => ValueKind::Money,
    }
}

fn grid(cells: &[GridOut]) -> &'static [GridCell] {
    leak(
        cells
            .iter()
            .map(|g| GridCell {
                text: text(&g.text),
                row: g.row,
                col: g.col,
                colspan: g.colspan,
                rowspan: g.rowspan,
            })
            .collect(),
    )
}
