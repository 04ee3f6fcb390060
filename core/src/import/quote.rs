//! The quote a doubt shows: the part of an input line that is a row's evidence (its label and the numbers read
//! for it), not the whole line. A report whose line breaks were lost is one line; quoting that line shows the
//! page's head, and the clerk cannot find the row.

use std::ops::Range;

/// The most characters a quote has, the `…` marks included.
pub const QUOTE_CHARS: usize = 80;

/// What to quote of `line` for the evidence at byte range `span` in it, at most `max` characters: the whole
/// line as given when its text is that short (a quote then is what it always was); else the span (trimmed), its
/// end cut where it is longer, with `…` where the line goes on before or after what is shown. A span that is
/// empty, out of the line or not on char boundaries quotes the line's start.
pub fn excerpt(line: &str, span: Range<usize>, max: usize) -> String {
    let whole = line.trim();
    if whole.chars().count() <= max {
        return line.to_owned();
    }
    let text = |r: Option<&str>| r.is_some_and(|x| !x.trim().is_empty());
    let part = line.get(span.clone()).map(str::trim).filter(|p| !p.is_empty());
    let (before, part, after) = match part {
        Some(p) => (text(line.get(..span.start)), p, text(line.get(span.end..))),
        None => (false, whole, false),
    };
    let lead = usize::from(before);
    let count = part.chars().count();
    let mut out = String::with_capacity(part.len().min(max * 4) + 6);
    if before {
        out.push('…');
    }
    if lead + count + usize::from(after) <= max {
        out.push_str(part);
        if after {
            out.push('…');
        }
    } else {
        // Cut at the end: the label comes first, and it is what the clerk looks for.
        out.extend(part.chars().take(max.saturating_sub(lead + 1)));
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte range of `needle` in `hay` (its first occurrence).
    fn at(hay: &str, needle: &str) -> Range<usize> {
        let p = hay.find(needle).unwrap_or(hay.len());
        p..p + needle.len()
    }

    #[test]
    fn excerpts() {
        let head = "当前位置：首页>政务公开>政府信息公开年报 某县人民政府2021年政府信息公开工作年度报告 ";
        let row = "一、本年新收政府信息公开申请数量732000075";
        let tail = "二、上年结转政府信息公开申请数量0000000 三、本年度办理结果".repeat(3);
        let long = format!("{head}{row}{tail}");
        let ascii = "x".repeat(100);
        let long_row = format!("{head}{}", "规章1".repeat(40));
        let cases: Vec<(&str, String, Range<usize>, usize, String)> = vec![
            // A short line is quoted whole, wherever the span is.
            (
                "short",
                "  规章\t0\t1\t2  ".into(),
                2..8,
                80,
                "  规章\t0\t1\t2  ".into(),
            ),
            ("empty line", String::new(), 0..0, 80, String::new()),
            // The span in the middle of a long line: marks on both sides.
            ("middle", long.clone(), at(&long, row), 80, format!("…{row}…")),
            // At the start: nothing before it.
            ("start", long.clone(), 0..head.len(), 80, format!("{}…", head.trim())),
            // At the end: nothing after it.
            (
                "end",
                format!("{head}{row}"),
                at(&format!("{head}{row}"), row),
                40,
                format!("…{row}"),
            ),
            // Longer than the cap: its start, cut on a char boundary.
            (
                "longer than the cap",
                long_row.clone(),
                head.len()..long_row.len(),
                10,
                format!("…{}…", "规章1".repeat(3).chars().take(8).collect::<String>()),
            ),
            ("ascii cut", ascii.clone(), 10..90, 20, format!("…{}…", "x".repeat(18))),
            // Whitespace around the span is no part of it.
            (
                "trimmed",
                format!("{head} {row} {tail}"),
                at(&format!("{head} {row} {tail}"), &format!(" {row} ")),
                80,
                format!("…{row}…"),
            ),
            // An empty span or one off the char boundaries: the line's start.
            (
                "empty span",
                long.clone(),
                5..5,
                12,
                format!("{}…", head.chars().take(11).collect::<String>()),
            ),
            (
                "not on a boundary",
                long.clone(),
                1..4,
                12,
                format!("{}…", head.chars().take(11).collect::<String>()),
            ),
            ("out of the line", ascii.clone(), 90..200, 5, "xxxx…".into()),
        ];
        for (name, line, span, max, want) in cases {
            let got = excerpt(&line, span, max);
            assert_eq!(got, want, "{name}");
            assert!(got.trim().chars().count() <= max, "{name}: {got}");
        }
    }
}
