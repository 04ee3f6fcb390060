//! Next year's report and 汇总 (merge). STUB: being written (issue 5).
