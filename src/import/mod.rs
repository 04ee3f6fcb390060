//! Published report text → report, with doubts. STUB: being written (issue 4).
