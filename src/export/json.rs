//! The JSON object of `interfaces.md`. STUB: being written (issue 2).
