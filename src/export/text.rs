//! Plain text in the official layout. STUB: being written (issue 2).

use crate::report::Report;

/// Line ends of the written text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineEnd {
    /// `\n` (default).
    #[default]
    Lf,
    /// `\r\n` (Windows Notepad, older CMSs).
    CrLf,
}

/// The report as plain text with LF line ends (UTF-8 `String`); see [`encode`] for bytes.
pub fn to_text(report: &Report) -> String {
    report.display_title()
}
