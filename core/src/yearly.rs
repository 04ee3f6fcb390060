//! Next year's report from this year's, and 汇总 (merge) of subordinate units' reports with a per-unit
//! breakdown.
//!
//! Pure functions over [`Report`]s: no I/O, no egui. The command line (`nianbao next-year`, `nianbao merge`) and
//! the window (文件 → 新建下一年度报告 / 汇总下级报告) both call these.

mod merge;
mod next_year;

pub use merge::{Breakdown, FindingSpill, MergeError, MergeOptions, Merged, Merger, merge, merge_with, write_findings};
pub use next_year::{NextYear, NextYearError, next_year, strip_draft_marker};

pub use crate::report::PreviousSummary;
use crate::report::{Report, Value};
use crate::template::{CellIdx, RuleKind};

/// The first line of every text brought over from last year's report: the clerk must rewrite it.
///
/// The window can look for it (`text.starts_with(DRAFT_MARKER)`) to show the text as a draft.
pub const DRAFT_MARKER: &str = "【草稿：以下为上一年度内容，请改写】";

/// The first line of the overview text of a merged report, followed by the list of units included.
pub const MERGE_MARKER: &str = "【汇总：本报告由以下单位的报告汇总而成，请据此撰写正文】";

/// Last year's value of this year's `cell` (same cell id), to show beside it as a reference (e.g. 现行有效件数).
///
/// `None` when the report has no predecessor or last year's edition has no cell with that id.
pub fn last_year_value(report: &Report, cell: CellIdx) -> Option<Value> {
    let id = report.template().cells.get(cell)?.id;
    report.previous.as_ref()?.value(id)
}

/// Last year's value of a cell that a cross-year rule relates to this year's (2021 `in_force`, 2019
/// `prev_items`): the form shows it beside this year's as a reference. `None` for other cells, or when the
/// report has no predecessor or the predecessor left the cell blank.
pub fn reference_value(report: &Report, cell: CellIdx) -> Option<Value> {
    let t = report.template();
    let related = t.rules.iter().any(|r| match &r.kind {
        RuleKind::CrossYear { rows } => rows.iter().any(|row| row.target == cell),
        _ => false,
    });
    if !related {
        return None;
    }
    last_year_value(report, cell).filter(|v| !v.is_blank())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;

    #[test]
    fn reference_value_is_last_years_figure_for_cross_year_cells_only() {
        let mut last = Report::new(Edition::E2021, 2021, "某县人民政府");
        last.set_by_id("s2.normative.in_force", Value::Int(67));
        last.set_by_id("s2.normative.issued", Value::Int(24));
        let mut r = Report::new(Edition::E2021, 2022, "某县人民政府");
        let t = r.template();
        let in_force = t.cell_index("s2.normative.in_force").unwrap();
        let issued = t.cell_index("s2.normative.issued").unwrap();
        let rules_in_force = t.cell_index("s2.rules.in_force").unwrap();
        assert_eq!(reference_value(&r, in_force), None, "no predecessor");
        r.previous = Some(PreviousSummary::of(&last, None));
        assert_eq!(reference_value(&r, in_force), Some(Value::Int(67)));
        assert_eq!(reference_value(&r, issued), None, "not related across years");
        assert_eq!(reference_value(&r, rules_in_force), None, "blank last year");
    }

    #[test]
    fn summary_round_trips_to_a_report() {
        let mut r = Report::new(Edition::E2019, 2020, "某县人民政府");
        r.set_by_id("s3.carried_out.natural", Value::Int(9));
        r.set_by_id("s3.new.natural", Value::Int(0));
        r.fill_totals();
        let s = PreviousSummary::of(&r, Some("a.nianbao".into()));
        assert_eq!(s.cells.len(), 4, "{:?}", s.cells);
        assert_eq!(s.value("s3.carried_out.natural"), Some(Value::Int(9)));
        assert_eq!(s.value("s3.carried_out.commercial"), Some(Value::Blank));
        assert_eq!(s.value("s2.rules.in_force"), None);
        let back = s.to_report();
        assert_eq!(back.cells, r.cells);
        assert_eq!(
            (back.edition, back.year, back.agency.as_str()),
            (Edition::E2019, 2020, "某县人民政府")
        );
    }

    #[test]
    fn report_with_previous_survives_json_and_ron() {
        let mut last = Report::new(Edition::E2021, 2022, "某县人民政府");
        last.set_by_id("s2.rules.in_force", Value::Int(12));
        let mut r = Report::new(Edition::E2021, 2023, "某县人民政府");
        r.previous = Some(PreviousSummary::of(&last, None));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
        let ron_text = ron::to_string(&r).unwrap();
        assert_eq!(ron::from_str::<Report>(&ron_text).unwrap(), r);
        let idx = r.template().cell_index("s2.rules.in_force").unwrap();
        assert_eq!(last_year_value(&r, idx), Some(Value::Int(12)));
        // Without a predecessor nothing is written: old files stay as they were.
        let plain = Report::new(Edition::E2021, 2023, "某县人民政府");
        assert!(!serde_json::to_string(&plain).unwrap().contains("previous"));
    }
}
