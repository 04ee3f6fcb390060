//! Last year's report in summary, kept inside this year's project.

use super::{Report, Value, Written};
use crate::template::Edition;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Last year's report in summary, kept inside this year's project so that the cross-year checks
/// (`carry_over`, `same_as_last_year`, `in_force_carry`, `prev_items_carry`) can run without the old file.
///
/// Only non-blank cells are kept; a cell the edition has but the map lacks was blank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "SummaryRepr", into = "SummaryRepr")]
pub struct PreviousSummary {
    /// Where last year's report was read from, if it came from a file.
    pub path: Option<String>,
    /// Last year's edition (may differ from this year's: 2020 → 2021).
    pub edition: Edition,
    /// Last year's report year.
    pub year: i32,
    /// Last year's 机关名称.
    pub agency: String,
    /// Last year's non-blank cells, by cell id of last year's edition.
    pub cells: BTreeMap<String, Value>,
}

/// The file form of a [`PreviousSummary`]: each cell in the one codec of cell values ([`Written`]), read for
/// its cell in last year's edition. An id that edition lacks (a hand-edited file) is dropped.
#[derive(Serialize, Deserialize)]
struct SummaryRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    edition: Edition,
    year: i32,
    agency: String,
    #[serde(default)]
    cells: BTreeMap<String, Written>,
}

impl From<SummaryRepr> for PreviousSummary {
    fn from(r: SummaryRepr) -> PreviousSummary {
        let t = r.edition.template();
        let cells = r
            .cells
            .into_iter()
            .filter_map(|(id, w)| {
                let kind = t.cell(&id)?.kind;
                Some((id, Value::read(kind, w)))
            })
            .filter(|(_, v)| !v.is_blank())
            .collect();
        PreviousSummary {
            path: r.path,
            edition: r.edition,
            year: r.year,
            agency: r.agency,
            cells,
        }
    }
}

impl From<PreviousSummary> for SummaryRepr {
    fn from(s: PreviousSummary) -> SummaryRepr {
        let t = s.edition.template();
        let cells = s
            .cells
            .into_iter()
            .filter_map(|(id, v)| {
                let kind = t.cell(&id)?.kind;
                Some((id, v.written(kind)))
            })
            .collect();
        SummaryRepr {
            path: s.path,
            edition: s.edition,
            year: s.year,
            agency: s.agency,
            cells,
        }
    }
}

impl PreviousSummary {
    /// The summary of `report`, remembering the file it came from.
    pub fn of(report: &Report, path: Option<String>) -> PreviousSummary {
        let t = report.template();
        let cells = t
            .cells
            .iter()
            .zip(&report.cells)
            .filter(|(_, v)| !v.is_blank())
            .map(|(c, v)| (c.id.to_string(), v.clone()))
            .collect();
        PreviousSummary {
            path,
            edition: report.edition,
            year: report.year,
            agency: report.agency.clone(),
            cells,
        }
    }

    /// Last year's report rebuilt from the summary (no texts), for `checks::check(report, Some(&prev))`.
    ///
    /// Ids that last year's edition does not have (a hand-edited file) are ignored.
    pub fn to_report(&self) -> Report {
        let mut r = Report::new(self.edition, self.year, self.agency.clone());
        for (id, v) in &self.cells {
            r.set_by_id(id, v.clone());
        }
        r
    }

    /// Last year's value of the cell with this id: `None` when last year's edition has no such cell.
    pub fn value(&self, id: &str) -> Option<Value> {
        self.edition.template().cell_index(id)?;
        Some(self.cells.get(id).cloned().unwrap_or_default())
    }
}
