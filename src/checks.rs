//! Checks: `(template, report, last year?) -> findings`. STUB: being written (issue 2).

use crate::report::{Report, Value};
use crate::template::{CellIdx, Severity};

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
}

/// Runs every rule of the report's template. `previous` is last year's report, for the cross-year rules.
pub fn check(report: &Report, previous: Option<&Report>) -> Vec<Finding> {
    let _ = (report, previous);
    Vec::new()
}
