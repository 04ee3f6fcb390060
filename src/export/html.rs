//! One self-contained printable HTML page. STUB: being written (issue 2).
