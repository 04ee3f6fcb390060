//! Rules for what a field may hold, shared by every way a report comes in (the window, JSON, the project file,
//! the command line).

/// Why a one-line field (agency, title) cannot hold a text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OneLineError {
    /// A TAB, CR or LF: the exported title line would split or hide a fake table row.
    #[error("只能是一行文字，不能含有{0}")]
    Break(&'static str),
}

/// Checks that `text` fits a one-line field: no TAB, CR or LF (nor the Unicode line and paragraph separators,
/// which some editors show as a line break).
pub fn check_one_line(text: &str) -> Result<(), OneLineError> {
    for c in text.chars() {
        let what = match c {
            '\t' => "制表符（Tab）",
            '\r' | '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => "换行",
            _ => continue,
        };
        return Err(OneLineError::Break(what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_table() {
        for (text, ok) in [
            ("某县人民政府", true),
            ("某县 人民政府（含 空格）", true),
            ("", true),
            ("甲\t乙", false),
            ("甲\n乙", false),
            ("甲\r乙", false),
            ("甲\u{2028}乙", false),
        ] {
            assert_eq!(check_one_line(text).is_ok(), ok, "{text:?}");
        }
        let msg = check_one_line("a\tb").unwrap_err().to_string();
        assert!(msg.contains("制表符"), "{msg}");
    }
}
