//! One self-contained printable HTML page: inline CSS, no external resources, real tables with the merges of
//! the official Word table (the same grid as the plain text), A4 print styles.

use super::{CellRole, Grid, grid, paragraphs};
use crate::report::Report;
use std::fmt::Write as _;

/// The page's style sheet: screen and print (A4, rows never split, table headers repeated on each page).
const CSS: &str = "\
body { font-family: \"SimSun\", \"宋体\", \"Songti SC\", \"Noto Serif CJK SC\", serif; font-size: 12pt; \
line-height: 1.8; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #000; background: #fff; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 1.5em; }
h2 { font-size: 14pt; margin: 1.5em 0 0.8em; }
p { text-indent: 2em; margin: 0 0 0.5em; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1em; font-size: 10.5pt; line-height: 1.4; }
table.stacked { table-layout: fixed; margin: 0; }
table.stacked + table.stacked { margin-top: -1px; }
th, td { border: 1px solid #000; padding: 0.25em 0.4em; vertical-align: middle; }
th { font-weight: bold; text-align: center; }
th.caption { text-align: left; }
td.label { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr, th, td { page-break-inside: avoid; break-inside: avoid; }
@page { size: A4; margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  h1, h2 { page-break-after: avoid; break-after: avoid; }
}
";

/// The report as one HTML page (UTF-8).
pub fn to_html(report: &Report) -> String {
    let t = report.template();
    let title = escape(&report.display_title());
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{title}</title>");
    let _ = write!(out, "<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n");
    push_paragraphs(&mut out, &report.texts.preamble);
    for section in t.sections {
        let _ = writeln!(out, "<h2>{}</h2>", escape(section.heading));
        if let Some(id) = section.text {
            push_paragraphs(&mut out, report.texts.get(id));
        }
        // Several blocks (section 二) are one table in Word: stack them with equal columns so they line up.
        let stacked = section.tables.len() > 1;
        for table in section.tables.iter().filter_map(|&ti| t.tables.get(ti)) {
            push_table(&mut out, &grid(report, table), stacked);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn push_paragraphs(out: &mut String, text: &str) {
    for p in paragraphs(text) {
        let _ = writeln!(out, "<p>{}</p>", escape(p.trim_start()));
    }
}

fn push_table(out: &mut String, g: &Grid, stacked: bool) {
    out.push_str(if stacked {
        "<table class=\"stacked\">\n"
    } else {
        "<table>\n"
    });
    if stacked && g.width > 0 {
        let share = 100.0 / g.width as f64;
        out.push_str("<colgroup>");
        for _ in 0..g.width {
            let _ = write!(out, "<col style=\"width:{share:.2}%\">");
        }
        out.push_str("</colgroup>\n");
    }
    // Which grid positions a merged cell already covers: those get no element of their own.
    let mut covered = vec![vec![false; g.width]; g.lines];
    for it in &g.items {
        for line in covered.iter_mut().skip(it.row).take(it.rowspan) {
            for slot in line.iter_mut().skip(it.col).take(it.colspan) {
                *slot = true;
            }
        }
    }
    let mut items = g.items.iter().peekable();
    for (line, covered_line) in covered.iter().enumerate() {
        if line == 0 && g.head_lines > 0 {
            out.push_str("<thead>\n");
        }
        if line == g.head_lines {
            out.push_str("<tbody>\n");
        }
        let head = line < g.head_lines;
        out.push_str("<tr>");
        for (col, &is_covered) in covered_line.iter().enumerate() {
            if let Some(it) = items.next_if(|it| it.row == line && it.col == col) {
                push_cell(out, &it.text, it.role, it.colspan, it.rowspan);
            } else if !is_covered {
                push_cell(out, "", if head { CellRole::Header } else { CellRole::Value }, 1, 1);
            }
        }
        out.push_str("</tr>\n");
        if line + 1 == g.head_lines {
            out.push_str("</thead>\n");
        }
    }
    if g.lines > g.head_lines {
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn push_cell(out: &mut String, text: &str, role: CellRole, colspan: usize, rowspan: usize) {
    let (tag, class) = match role {
        CellRole::Caption => ("th", " class=\"caption\""),
        CellRole::Header => ("th", ""),
        CellRole::Label => ("td", " class=\"label\""),
        CellRole::Value => ("td", " class=\"num\""),
    };
    let _ = write!(out, "<{tag}{class}");
    if colspan > 1 {
        let _ = write!(out, " colspan=\"{colspan}\"");
    }
    if rowspan > 1 {
        let _ = write!(out, " rowspan=\"{rowspan}\"");
    }
    let _ = write!(out, ">{}</{tag}>", escape(text));
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;

    #[test]
    fn escape_table() {
        let cases = [
            ("a&b", "a&amp;b"),
            ("<script>", "&lt;script&gt;"),
            ("\"x\" 'y'", "&quot;x&quot; &#39;y&#39;"),
            ("“三安全一稳定”", "“三安全一稳定”"),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), want);
        }
    }

    #[test]
    fn texts_and_agency_are_escaped() {
        let mut r = Report::new(Edition::E2021, 2021, "<b>某县</b>");
        r.texts.overview = "A & B <i>'x'</i>".into();
        let html = to_html(&r);
        assert!(!html.contains("<b>") && !html.contains("<i>"));
        assert!(html.contains("&lt;b&gt;某县&lt;/b&gt;2021年政府信息公开工作年度报告"));
        assert!(html.contains("<p>A &amp; B &lt;i&gt;&#39;x&#39;&lt;/i&gt;</p>"));
    }
}
