//! The open report as the window edits it, without the window: the report, where it lives, whether it is
//! saved, its undo history, and [`Document::apply`] for one [`Edit`]. No egui here: tests drive it directly.

use crate::report::{Report, Value};
use crate::template::{CellIdx, Edition, TextId};
use std::path::{Path, PathBuf};

/// How many undo steps are kept.
const UNDO_LIMIT: usize = 200;

/// One change the clerk makes to the report.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Set one cell.
    SetCell(CellIdx, Value),
    /// Set several cells at once (a pasted block): one undo step.
    SetCells(Vec<(CellIdx, Value)>),
    /// Replace one of the four texts.
    SetText(TextId, String),
    /// Set the agency name.
    SetAgency(String),
    /// Set the report year (offers to switch edition if it no longer fits).
    SetYear(i32),
    /// Set the document title (empty: the standard title).
    SetTitle(String),
    /// Switch the report to another edition, keeping every cell whose id exists in both.
    SwitchEdition(Edition),
    /// Dismiss the offer to switch edition.
    KeepEdition,
    /// Mark a warning (by `Finding::key`) as checked (已核实) or not.
    Acknowledge(String, bool),
    /// Fill every blank input cell with 0.
    FillBlanksWithZero,
    /// Replace published totals by computed ones, and keep computing them.
    UseComputedTotals,
}

/// What an edit did to the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Nothing changed (the value was already there).
    Unchanged,
    /// The report changed.
    Changed,
    /// The report changed as a whole (edition, undo, fill): what the form holds for single cells is stale.
    Reset,
}

/// What an undo step restores.
#[derive(Clone, Debug)]
struct Snapshot {
    report: Report,
    auto_totals: bool,
}

/// Which edits merge into one undo step (typing into the same text field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coalesce {
    Text(TextId),
    Agency,
    Title,
}

/// The open report and what the window knows about it.
#[derive(Clone, Debug)]
pub struct Document {
    /// The report.
    pub report: Report,
    /// Where it was opened from or saved to.
    pub path: Option<PathBuf>,
    /// Changed since it was opened or saved.
    pub dirty: bool,
    /// The form fills the totals itself. False for a report whose published totals differ from the
    /// computed ones (an import), until the clerk chooses "use computed totals".
    pub auto_totals: bool,
    /// Last year's report, for the cross-year checks.
    pub previous: Option<Report>,
    /// Edition the year calls for, when it differs from the report's (offer to switch).
    pub edition_offer: Option<Edition>,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    coalesce: Option<Coalesce>,
}

impl Document {
    /// A document for `report`; totals are computed automatically if the report's totals already agree.
    pub fn new(report: Report, path: Option<PathBuf>) -> Document {
        let auto_totals = report.totals_are_computed();
        // A report started with 新建下一年度报告 remembers its predecessor: the cross-year checks run on it.
        let previous = report.previous_report();
        Document {
            report,
            path,
            dirty: false,
            auto_totals,
            previous,
            edition_offer: None,
            undo: Vec::new(),
            redo: Vec::new(),
            coalesce: None,
        }
    }

    /// The name shown in the title bar.
    pub fn display_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| "未命名".to_string(), |n| n.to_string_lossy().into_owned())
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Records an undo step before a change to the report (merging consecutive typing in one text).
    fn record(&mut self, coalesce: Option<Coalesce>) {
        if coalesce.is_none() || coalesce != self.coalesce {
            self.undo.push(Snapshot {
                report: self.report.clone(),
                auto_totals: self.auto_totals,
            });
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.coalesce = coalesce;
        self.redo.clear();
    }

    /// Records an undo step and marks the document changed; `f` makes the change.
    fn change(&mut self, coalesce: Option<Coalesce>, f: impl FnOnce(&mut Document)) {
        self.record(coalesce);
        f(self);
        self.dirty = true;
    }

    /// Carries out one edit: an undo step when something changed. Totals are not refreshed here (the caller
    /// refreshes once per frame).
    pub fn apply(&mut self, edit: Edit) -> Applied {
        match edit {
            Edit::SetCell(idx, v) => {
                if self.report.get(idx) == v {
                    return Applied::Unchanged;
                }
                self.change(None, |d| d.report.set(idx, v));
            }
            Edit::SetCells(values) => {
                if values.iter().all(|(i, v)| self.report.get(*i) == *v) {
                    return Applied::Unchanged;
                }
                self.change(None, |d| {
                    for (i, v) in values {
                        d.report.set(i, v);
                    }
                });
            }
            Edit::SetText(id, text) => {
                if self.report.texts.get(id) == text {
                    return Applied::Unchanged;
                }
                self.change(Some(Coalesce::Text(id)), |d| *d.report.texts.get_mut(id) = text);
            }
            Edit::SetAgency(agency) => {
                if self.report.agency == agency {
                    return Applied::Unchanged;
                }
                self.change(Some(Coalesce::Agency), |d| d.report.agency = agency);
            }
            Edit::SetTitle(title) => {
                if self.report.title == title {
                    return Applied::Unchanged;
                }
                self.change(Some(Coalesce::Title), |d| d.report.title = title);
            }
            Edit::SetYear(year) => {
                if self.report.year == year {
                    return Applied::Unchanged;
                }
                self.change(None, |d| {
                    d.report.year = year;
                    let wanted = Edition::for_year(year);
                    d.edition_offer = (wanted != d.report.edition).then_some(wanted);
                });
            }
            Edit::SwitchEdition(edition) => {
                self.edition_offer = None;
                if self.report.edition == edition {
                    return Applied::Unchanged;
                }
                self.change(None, |d| d.report = convert_edition(&d.report, edition));
                return Applied::Reset;
            }
            Edit::KeepEdition => {
                self.edition_offer = None;
                return Applied::Unchanged;
            }
            Edit::Acknowledge(key, on) => {
                if self.report.acknowledged.contains(&key) == on {
                    return Applied::Unchanged;
                }
                self.change(None, |d| {
                    if on {
                        d.report.acknowledged.insert(key);
                    } else {
                        d.report.acknowledged.remove(&key);
                    }
                });
            }
            Edit::FillBlanksWithZero => {
                let mut r = self.report.clone();
                r.fill_blanks_with_zero();
                if r == self.report {
                    return Applied::Unchanged;
                }
                self.change(None, |d| {
                    d.report = r;
                    d.auto_totals = true;
                });
                return Applied::Reset;
            }
            Edit::UseComputedTotals => {
                if self.auto_totals && self.report.totals_are_computed() {
                    return Applied::Unchanged;
                }
                self.change(None, |d| d.auto_totals = true);
            }
        }
        Applied::Changed
    }

    /// Undoes (`undo`) or redoes the last change; false when there was none.
    pub fn undo_redo(&mut self, undo: bool) -> bool {
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(snap) = from.pop() else { return false };
        to.push(Snapshot {
            report: std::mem::replace(&mut self.report, snap.report),
            auto_totals: std::mem::replace(&mut self.auto_totals, snap.auto_totals),
        });
        self.coalesce = None;
        self.edition_offer = None;
        self.dirty = true;
        true
    }

    /// The cells whose values would be lost by switching to `edition`: their ids do not exist there.
    pub fn lost_by_switching(&self, edition: Edition) -> Vec<CellIdx> {
        let target = edition.template();
        let t = self.report.template();
        t.cells
            .iter()
            .enumerate()
            .filter(|(i, c)| !c.computed && !self.report.get(*i).is_blank() && target.cell_index(c.id).is_none())
            .map(|(i, _)| i)
            .collect()
    }
}

/// The report in another edition: metadata, texts and acknowledgements kept, cells copied by id.
pub fn convert_edition(report: &Report, edition: Edition) -> Report {
    let mut r = Report::new(edition, report.year, report.agency.clone());
    r.title.clone_from(&report.title);
    r.texts = report.texts.clone();
    r.acknowledged.clone_from(&report.acknowledged);
    for (cell, v) in report.template().cells.iter().zip(&report.cells) {
        r.set_by_id(cell.id, v.clone());
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::new(Report::new(Edition::E2021, 2021, "某县人民政府"), None)
    }

    fn idx(id: &str) -> CellIdx {
        Edition::E2021.template().cell_index(id).unwrap()
    }

    #[test]
    fn edits_are_undone_and_redone_without_a_window() {
        let mut d = doc();
        let a = idx("s3.new.natural");
        assert_eq!(d.apply(Edit::SetCell(a, Value::Int(5))), Applied::Changed);
        assert_eq!(d.apply(Edit::SetCell(a, Value::Int(5))), Applied::Unchanged);
        assert!(d.dirty);
        d.apply(Edit::SetAgency("甲".into()));
        d.apply(Edit::SetAgency("甲乙".into()));
        // Typing into one text field is one undo step.
        assert!(d.undo_redo(true));
        assert_eq!(d.report.agency, "某县人民政府");
        assert_eq!(d.report.get(a), Value::Int(5));
        assert!(d.undo_redo(true));
        assert_eq!(d.report.get(a), Value::Blank);
        assert!(!d.undo_redo(true));
        assert!(d.undo_redo(false));
        assert_eq!(d.report.get(a), Value::Int(5));
    }

    #[test]
    fn a_year_of_the_other_edition_offers_to_switch_and_the_switch_is_a_reset() {
        let mut d = Document::new(Report::new(Edition::E2019, 2020, "某县人民政府"), None);
        d.apply(Edit::SetYear(2021));
        assert_eq!(d.edition_offer, Some(Edition::E2021));
        assert_eq!(d.apply(Edit::SwitchEdition(Edition::E2021)), Applied::Reset);
        assert_eq!(d.report.edition, Edition::E2021);
        assert_eq!(d.edition_offer, None);
    }

    #[test]
    fn switching_lists_only_filled_cells_the_other_edition_lacks() {
        let mut d = doc();
        assert!(d.lost_by_switching(Edition::E2019).is_empty());
        let t = Edition::E2021.template();
        let other = Edition::E2019.template();
        let missing = t
            .cells
            .iter()
            .position(|c| !c.computed && other.cell_index(c.id).is_none())
            .expect("the 2021 edition has cells the 2019 one lacks");
        d.apply(Edit::SetCell(missing, Value::Int(1)));
        assert_eq!(d.lost_by_switching(Edition::E2019), vec![missing]);
    }
}
