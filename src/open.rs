//! Opening any input file (project, JSON, report text) as a report. STUB: being written (issue 2).
