//! The template source format (`assets/templates/*.ron`), its validation and the Rust code generated from it.
//!
//! Used by `build.rs`, and by `tests/template_build.rs` to prove that broken templates are refused with a
//! message that says what is wrong.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

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

/// Parses, validates and generates the Rust code of one template. `name` is the file name, for messages.
/// Returns the Rust source of a `pub static {static_name}: Template`.
pub fn generate(name: &str, src: &str, static_name: &str) -> Result<String, String> {
    let opts = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let t: TemplateSrc = opts.from_str(src).map_err(|e| format!("{name}: 无法解析: {e}"))?;
    Generator::new(name, &t)?.emit(&t, static_name)
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
                            return Err(
                                self.err(format!("table `{}`: header cell `{}` overlaps another", tb.id, h.text))
                            );
                        }
                        *slot = true;
                    }
                }
            }
            self.headers.push((
                header_rows,
                header
                    .iter()
                    .map(|h| GridOut {
                        text: h.text.clone(),
                        row: h.row,
                        col: h.col,
                        colspan: h.colspan,
                        rowspan: h.rowspan,
                    })
                    .collect(),
            ));
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
            self.labels.push(labels);
        }
        Ok(())
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
            let short_row = |r: &RowSrc| {
                r.short
                    .clone()
                    .unwrap_or_else(|| r.labels.last().cloned().unwrap_or_default())
            };
            let short_col = |c: &ColumnSrc| c.short.clone().unwrap_or_else(|| c.label.clone());
            match per {
                Per::Column => {
                    let find = |id: &String| -> Result<usize, String> {
                        tb.rows.iter().position(|r| &r.id == id).ok_or_else(|| {
                            self.err(format!(
                                "rule `{}` names missing row `{id}` of table `{table}`",
                                rule.id
                            ))
                        })
                    };
                    let l: Vec<usize> = lhs.iter().map(find).collect::<Result<_, _>>()?;
                    let r: Vec<usize> = rhs.iter().map(find).collect::<Result<_, _>>()?;
                    let lt = lhs_text
                        .clone()
                        .unwrap_or_else(|| l.iter().map(|&i| short_row(&tb.rows[i])).collect::<Vec<_>>().join("+"));
                    let rt = rhs_text
                        .clone()
                        .unwrap_or_else(|| r.iter().map(|&i| short_row(&tb.rows[i])).collect::<Vec<_>>().join("+"));
                    for (ci, c) in tb.columns.iter().enumerate() {
                        let lc: Vec<usize> = l.iter().map(|&i| self.row_cells[ti][i][ci]).collect();
                        let rc: Vec<usize> = r.iter().map(|&i| self.row_cells[ti][i][ci]).collect();
                        self.push_relation(
                            ri,
                            &rule.id,
                            lc,
                            *op,
                            rc,
                            format!("{}列", short_col(c)),
                            lt.clone(),
                            rt.clone(),
                            *computes,
                        )?;
                    }
                }
                Per::Row => {
                    let find = |id: &String| -> Result<usize, String> {
                        tb.columns.iter().position(|c| &c.id == id).ok_or_else(|| {
                            self.err(format!(
                                "rule `{}` names missing column `{id}` of table `{table}`",
                                rule.id
                            ))
                        })
                    };
                    let l: Vec<usize> = lhs.iter().map(find).collect::<Result<_, _>>()?;
                    let r: Vec<usize> = rhs.iter().map(find).collect::<Result<_, _>>()?;
                    let lt = lhs_text.clone().unwrap_or_else(|| {
                        l.iter()
                            .map(|&i| short_col(&tb.columns[i]))
                            .collect::<Vec<_>>()
                            .join("+")
                    });
                    let rt = rhs_text.clone().unwrap_or_else(|| {
                        r.iter()
                            .map(|&i| short_col(&tb.columns[i]))
                            .collect::<Vec<_>>()
                            .join("+")
                    });
                    for (rowi, row) in tb.rows.iter().enumerate() {
                        let lc: Vec<usize> = l.iter().map(|&i| self.row_cells[ti][rowi][i]).collect();
                        let rc: Vec<usize> = r.iter().map(|&i| self.row_cells[ti][rowi][i]).collect();
                        let own = row.labels.last().cloned().unwrap_or_default();
                        let s = short_row(row);
                        let scope = if own.starts_with(&s) {
                            own
                        } else {
                            format!("{s}「{own}」")
                        };
                        self.push_relation(ri, &rule.id, lc, *op, rc, scope, lt.clone(), rt.clone(), *computes)?;
                    }
                }
            }
        }
        for c in &self.cells {
            if c.computed && c.formula.is_none() {
                return Err(self.err(format!("computed cell `{}` has no rule that computes it", c.id)));
            }
        }
        Ok(())
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

    fn emit(&self, t: &TemplateSrc, static_name: &str) -> Result<String, String> {
        let mut o = String::new();
        // An edition this program has no `Edition` for is refused, not silently taken for another one.
        let edition = match t.edition.as_str() {
            "2019" => "Edition::E2019",
            "2021" => "Edition::E2021",
            other => return Err(self.err(format!("unknown edition `{other}` (expected 2019 or 2021)"))),
        };
        let _ = writeln!(o, "/// The `{}` edition: {}（{}）.", t.edition, t.name, t.notice);
        let _ = writeln!(o, "pub static {static_name}: Template = Template {{");
        let _ = writeln!(o, "    edition: {edition},");
        let _ = writeln!(o, "    name: {:?},", t.name);
        let _ = writeln!(o, "    notice: {:?},", t.notice);
        let _ = writeln!(o, "    first_year: {},", t.first_year);
        let _ = writeln!(o, "    last_year: {:?},", t.last_year);
        // Sections.
        o.push_str("    sections: &[\n");
        for s in &t.sections {
            let tables: Vec<String> = t
                .tables
                .iter()
                .enumerate()
                .filter(|(_, tb)| tb.section == s.id)
                .map(|(i, _)| i.to_string())
                .collect();
            let text = s.text.map_or("None".to_string(), |x| format!("Some(TextId::{x:?})"));
            let _ = writeln!(
                o,
                "        Section {{ id: {:?}, heading: {:?}, aliases: &{:?}, text: {text}, tables: &[{}] }},",
                s.id,
                s.heading,
                s.aliases,
                tables.join(", ")
            );
        }
        o.push_str("    ],\n");
        // Tables.
        o.push_str("    tables: &[\n");
        for (ti, tb) in t.tables.iter().enumerate() {
            let (header_rows, header) = &self.headers[ti];
            let _ = writeln!(o, "        Table {{");
            let _ = writeln!(
                o,
                "            id: {:?}, section: {:?}, caption: {:?},",
                tb.id, tb.section, tb.caption
            );
            let layout = if tb.layout == LayoutSrc::Rows {
                "Layout::Rows"
            } else {
                "Layout::Inline"
            };
            let _ = writeln!(
                o,
                "            width: {}, label_cols: {}, layout: {layout}, header_rows: {header_rows},",
                tb.width, tb.label_cols
            );
            let _ = writeln!(o, "            header: &[{}],", grid(header));
            let _ = writeln!(o, "            labels: &[{}],", grid(&self.labels[ti]));
            o.push_str("            columns: &[\n");
            for c in &tb.columns {
                let short = c.short.clone().unwrap_or_else(|| c.label.clone());
                let _ = writeln!(
                    o,
                    "                Column {{ id: {:?}, label: {:?}, short: {short:?}, group: {:?}, kind: {}, computed: {}, aliases: &{:?} }},",
                    c.id,
                    c.label,
                    c.group,
                    kind(c.kind),
                    c.computed,
                    c.aliases
                );
            }
            o.push_str("            ],\n            rows: &[\n");
            for (ri, r) in tb.rows.iter().enumerate() {
                let short = r
                    .short
                    .clone()
                    .unwrap_or_else(|| r.labels.last().cloned().unwrap_or_default());
                let _ = writeln!(
                    o,
                    "                Row {{ id: {:?}, labels: &{:?}, short: {short:?}, computed: {}, aliases: &{:?}, cells: &{:?} }},",
                    r.id, r.labels, r.computed, r.aliases, self.row_cells[ti][ri]
                );
            }
            o.push_str("            ],\n        },\n");
        }
        o.push_str("    ],\n");
        // Cells.
        o.push_str("    cells: &[\n");
        for c in &self.cells {
            let _ = writeln!(
                o,
                "        Cell {{ id: {:?}, table: {}, row: {}, col: {}, kind: {}, computed: {}, label: {:?}, formula: {:?} }},",
                c.id,
                c.table,
                c.row,
                c.col,
                kind(c.kind),
                c.computed,
                c.label,
                c.formula
            );
        }
        o.push_str("    ],\n");
        // Rules.
        o.push_str("    rules: &[\n");
        for rule in &t.rules {
            let sev = if rule.severity == SeveritySrc::Error {
                "Severity::Error"
            } else {
                "Severity::Warning"
            };
            let kind = match &rule.check {
                CheckSrc::Relation { .. } => "RuleKind::Relation".to_string(),
                CheckSrc::Value => "RuleKind::Value".to_string(),
                CheckSrc::EditionYear => "RuleKind::EditionYear".to_string(),
                CheckSrc::Blank => "RuleKind::Blank".to_string(),
                CheckSrc::Precision => "RuleKind::Precision".to_string(),
                CheckSrc::TextLayout => "RuleKind::TextLayout".to_string(),
                CheckSrc::SameAsLastYear => "RuleKind::SameAsLastYear".to_string(),
                CheckSrc::Draft { marker } => format!("RuleKind::Draft {{ marker: {marker:?} }}"),
                CheckSrc::FeeReport { text, keyword, cell } => format!(
                    "RuleKind::FeeReport {{ text: TextId::{text:?}, keyword: {keyword:?}, cell: {} }}",
                    self.resolve_cell(&rule.id, cell)?
                ),
                CheckSrc::Narrative { quotes } => {
                    let mut s = String::from("RuleKind::Narrative { quotes: &[");
                    for q in quotes {
                        let cells: Vec<usize> = q
                            .cells
                            .iter()
                            .map(|c| self.resolve_cell(&rule.id, c))
                            .collect::<Result<_, _>>()?;
                        let _ = write!(s, "Quote {{ keywords: &{:?}, cells: &{cells:?} }}, ", q.keywords);
                    }
                    s.push_str("] }");
                    s
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
                    let mut s = String::from("RuleKind::CarryOver { pairs: &[");
                    for c in &tb.columns {
                        let to = self.resolve_cell(&rule.id, &format!("{to_row}.{}", c.id))?;
                        let _ = write!(s, "({to}, {:?}), ", format!("{from_row}.{}", c.id));
                    }
                    s.push_str("] }");
                    s
                }
                CheckSrc::CrossYear {
                    tables,
                    target,
                    this_year,
                    last_year,
                } => {
                    let rows =
                        cross_year_rows(t, &rule.id, tables, target, this_year, last_year).map_err(|e| self.err(e))?;
                    let mut s = String::from("RuleKind::CrossYear { rows: &[");
                    for (ti, ri) in rows {
                        let tb = &t.tables[ti];
                        let col = |c: &str| tb.columns.iter().position(|x| x.id == c).unwrap_or(0);
                        let cells = &self.row_cells[ti][ri];
                        let _ = write!(s, "CrossYearRow {{ target: {}, this_year: &[", cells[col(target)]);
                        for p in this_year {
                            let (c, negative) = signed_column(p);
                            let _ = write!(s, "Term {{ cell: {}, negative: {negative} }}, ", cells[col(c)]);
                        }
                        s.push_str("], last_year: &[");
                        for p in last_year {
                            let (c, negative) = signed_column(p);
                            let id = format!("{}.{c}", tb.rows[ri].id);
                            let _ = write!(s, "Term {{ cell: {id:?}, negative: {negative} }}, ");
                        }
                        s.push_str("] }, ");
                    }
                    s.push_str("] }");
                    s
                }
            };
            let _ = writeln!(
                o,
                "        Rule {{ id: {:?}, severity: {sev}, title: {:?}, kind: {kind} }},",
                rule.id, rule.title
            );
        }
        o.push_str("    ],\n");
        // Relations.
        o.push_str("    relations: &[\n");
        for r in &self.relations {
            let op = if r.op == OpSrc::Eq { "Op::Eq" } else { "Op::Le" };
            let _ = writeln!(
                o,
                "        Relation {{ rule: {}, lhs: &{:?}, op: {op}, rhs: &{:?}, scope: {:?}, lhs_text: {:?}, rhs_text: {:?}, computes: {:?} }},",
                r.rule, r.lhs, r.rhs, r.scope, r.lhs_text, r.rhs_text, r.computes
            );
        }
        o.push_str("    ],\n");
        let _ = writeln!(o, "    formulas: &{:?},", self.formulas);
        let balance = t
            .balance_rule
            .as_ref()
            .and_then(|b| t.rules.iter().position(|r| &r.id == b));
        let _ = writeln!(o, "    balance_rule: {balance:?},");
        let sorted: BTreeMap<&str, usize> = self.cells.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        o.push_str("    sorted_ids: &[\n");
        for (id, i) in sorted {
            let _ = writeln!(o, "        ({id:?}, {i}),");
        }
        o.push_str("    ],\n};\n");
        Ok(o)
    }
}

fn kind(k: KindSrc) -> &'static str {
    match k {
        KindSrc::Count => "ValueKind::Count",
        KindSrc::Signed => "ValueKind::Signed",
        KindSrc::Money => "ValueKind::Money",
    }
}

fn grid(cells: &[GridOut]) -> String {
    cells
        .iter()
        .map(|g| {
            format!(
                "GridCell {{ text: {:?}, row: {}, col: {}, colspan: {}, rowspan: {} }}",
                g.text, g.row, g.col, g.colspan, g.rowspan
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
