//! What a page adds around a report and what a page's width does to its lines.
//!
//! - Page furniture: PDF page numbers (`-2-`, `— 2 —`, `第 2 页 共 5 页`), and a web page's frame around the
//!   report (`当前位置：首页 > …`, `【字体：大 中 小】`, `【打印本页】【关闭窗口】`). Such lines are blanked
//!   before anything is read, the line count kept (doubts name input lines).
//! - Lines broken by the page width: in a PDF's text a paragraph comes as lines of (nearly) the full width,
//!   the last one shorter. A line is joined to the next when it is that full, does not end a sentence, and
//!   the next one does not start a paragraph (indented, or an ordinal such as `（二）`, `2.`, `三是`).

/// Whether a line is page furniture (a page number, a web page's navigation or tool line).
pub fn is_furniture(line: &str) -> bool {
    let t: String = line
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}')
        .collect();
    if t.is_empty() {
        return false;
    }
    page_number(&t) || web_frame(&t)
}

/// `-2-`, `— 2 —`, `－2－`, `第2页`, `第2页共5页`, `第2页，共5页`, `共5页第2页`, `第2页/共5页` (spaces removed).
fn page_number(t: &str) -> bool {
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '－' | '─' | '━' | '―');
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    let inner = t.trim_start_matches(dash).trim_end_matches(dash);
    if inner.len() < t.len() && t.starts_with(dash) && t.ends_with(dash) && digits(inner) {
        return true;
    }
    // 第N页 with an optional 共M页 before or after it.
    let page = |s: &str| {
        s.strip_prefix('第')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    let total = |s: &str| {
        s.strip_prefix('共')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    if page(t) {
        return true;
    }
    let Some(cut) = t.find("页") else {
        return false;
    };
    let (a, b) = t.split_at(cut + "页".len());
    let b = b.trim_start_matches([',', '，', '/', '／', '、']);
    (page(a) && total(b)) || (total(a) && page(b))
}

/// Longest line taken for a web page's frame line (a page collapsed onto one line is no frame line).
const MAX_FRAME_CHARS: usize = 100;

/// A web page's frame: breadcrumb navigation, the font-size switch, tool links in 【】.
fn web_frame(t: &str) -> bool {
    if t.chars().count() > MAX_FRAME_CHARS {
        return false;
    }
    if [
        "当前位置：",
        "当前位置:",
        "您当前的位置：",
        "您的位置：",
        "您现在的位置：",
    ]
    .iter()
    .any(|p| t.starts_with(p))
    {
        return true;
    }
    if t.contains("字体：大中小") || t.contains("字体:大中小") || t.contains("字号：大中小") {
        return true;
    }
    // Only short bracketed links: 【打印本页】【关闭窗口】.
    let mut rest = t;
    let mut groups = 0;
    while let Some(r) = rest.strip_prefix('【') {
        let Some((inside, after)) = r.split_once('】') else {
            return false;
        };
        if inside.is_empty() || inside.chars().count() > 6 {
            return false;
        }
        groups += 1;
        rest = after;
    }
    groups > 0 && rest.is_empty()
}

/// Whether a text comes from a paginated document (a PDF's text): it has page breaks (form feeds) or page
/// number lines. Only there are lines joined: other texts (a web page, nianbao's own export) hold one paragraph
/// per line.
pub fn paginated(text: &str) -> bool {
    text.contains('\u{c}')
        || text.split('\n').any(|l| {
            let t: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            page_number(&t)
        })
}

/// The text with every furniture line blanked (the line ends kept). Borrowed when nothing was blanked.
pub fn blank_furniture(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.split('\n').any(is_furniture) {
        return std::borrow::Cow::Borrowed(text);
    }
    let kept: Vec<&str> = text.split('\n').map(|l| if is_furniture(l) { "" } else { l }).collect();
    std::borrow::Cow::Owned(kept.join("\n"))
}

/// Display width of a line: wide (Chinese) characters count two, a leading indent counts.
fn width(line: &str) -> usize {
    line.trim_end()
        .chars()
        .map(|c| if c == '\u{3000}' || c > '\u{2e7f}' { 2 } else { 1 })
        .sum()
}

/// Leading indent of a line, in display columns.
fn indent(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace() || *c == '\u{a0}')
        .map(|c| if c == '\u{3000}' { 2 } else { 1 })
        .sum()
}

/// Whether a line ends a sentence (closing quotes and brackets looked through).
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(['”', '’', '」', '』', '"', '\'']);
    // Not a colon: `电子邮箱：` / `hz@126.com` is one sentence; a list after a colon starts with ordinals.
    t.ends_with(['。', '！', '？', '；', '…', '!', '?', ';'])
}

/// Whether a line starts with a paragraph ordinal: `（一）`, `(1)`, `一、`, `1.`, `1、`, `一是`, `第一，`.
fn starts_ordinal(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}');
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if let Some(r) = t.strip_prefix(['（', '(']) {
        let n = r.chars().take_while(|&c| numeral(c)).count();
        return n > 0 && r.chars().nth(n).is_some_and(|c| c == '）' || c == ')');
    }
    let rest = t.strip_prefix('第').unwrap_or(t);
    let n = rest.chars().take_while(|&c| numeral(c)).count();
    n > 0
        && n <= 3
        && rest.chars().nth(n).is_some_and(|c| {
            matches!(c, '、' | '.' | '．' | '是' | '，' | ',')
                && !(c == '.' && rest.chars().nth(n + 1).is_some_and(|d| d.is_ascii_digit()))
        })
}

/// The lines of a text as paragraphs, one per line: lines broken by the page width joined back (see the module
/// doc). `full` is the width of a full line (see [`full_width`]).
pub fn join_wrapped(lines: &[&str], full: usize) -> String {
    // A form feed (a new page) is not an indent.
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.trim_start_matches('\u{c}').trim_end())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let margin = lines.iter().map(|l| indent(l)).min().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut joinable = false;
    for l in lines {
        let starts_paragraph = indent(l) > margin || starts_ordinal(l);
        match out.last_mut() {
            Some(last) if joinable && !starts_paragraph => {
                let next = l.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}');
                let ascii_pair = last.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
                    && next.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
                if ascii_pair {
                    last.push(' ');
                }
                last.push_str(next);
            }
            _ => out.push(l.to_owned()),
        }
        joinable = full > 0 && width(l) * 100 >= full * 85 && !ends_sentence(l);
    }
    out.join("\n")
}

/// The width of a full line among these (narrative) lines: the width most lines of a wrapped text reach, taken
/// as the 75th percentile, when at least [`MIN_FULL_LINES`] lines are that wide to a character (else 0: the
/// text is not wrapped at a fixed width).
pub fn full_width<'a>(lines: impl IntoIterator<Item = &'a str>) -> usize {
    let mut w: Vec<usize> = lines
        .into_iter()
        .map(|l| l.trim_start_matches('\u{c}'))
        .filter(|l| !l.trim().is_empty())
        .map(width)
        .collect();
    if w.len() < MIN_FULL_LINES {
        return 0;
    }
    w.sort_unstable();
    let full = w[w.len() * 3 / 4];
    let near = w.iter().filter(|&&x| x.abs_diff(full) <= 2).count();
    if near >= MIN_FULL_LINES { full } else { 0 }
}

/// Lines of one width that make a text wrapped at that width.
const MIN_FULL_LINES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines() {
        let cases = [
            ("-2-", true),
            ("  - 12 -  ", true),
            ("— 3 —", true),
            ("－4－", true),
            ("\u{c}- 5-", true),
            ("第 2 页 共 5 页", true),
            ("第2页，共5页", true),
            ("共5页 第2页", true),
            ("第2页/共5页", true),
            ("第 3 页", true),
            ("当前位置：首页 > 政务公开 > 政府信息公开年报", true),
            ("信息来源：某县人民政府办公室 【字体：大 中 小】", true),
            ("【打印本页】【关闭窗口】", true),
            // Not furniture: numbers, ranges, text.
            ("2", false),
            ("0", false),
            ("-", false),
            ("--", false),
            ("2-3", false),
            ("-2", false),
            ("第二页", false),
            ("第2项", false),
            ("第二十条第（一）项", false),
            ("【案例】某县政府信息公开工作取得新进展", false),
            ("本年度共受理申请 12 件，第 2 页所列", false),
            ("", false),
        ];
        for (line, want) in cases {
            assert_eq!(is_furniture(line), want, "{line:?}");
        }
        // A whole page collapsed onto one line starts with the frame but is not a frame line.
        let collapsed = format!(
            "当前位置：首页 > 政务公开 {}",
            "某县人民政府2021年政府信息公开工作年度报告".repeat(5)
        );
        assert!(!is_furniture(&collapsed));
    }

    #[test]
    fn blanking_keeps_the_line_count() {
        let text = "标题\n- 1 -\n正文\n第 2 页 共 3 页\n";
        let got = blank_furniture(text);
        assert_eq!(got, "标题\n\n正文\n\n");
        assert!(matches!(blank_furniture("标题\n正文"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn ordinals() {
        let cases = [
            ("（一）主动公开情况", true),
            ("(2) 依申请公开", true),
            ("  三、政府信息管理", true),
            ("1.属于国家秘密", true),
            ("2、其他", true),
            ("一是加强组织领导", true),
            ("第一，加强", true),
            ("2023年，我区", false),
            ("1.5万条信息", false),
            ("一律不准发布", false),
            ("（以下简称《条例》）", false),
            ("十分重视", false),
        ];
        for (line, want) in cases {
            assert_eq!(starts_ordinal(line), want, "{line:?}");
        }
    }

    #[test]
    fn wrapped_lines_are_joined_into_paragraphs() {
        // Full lines are 20 columns wide (10 Chinese characters).
        let cases: &[(&[&str], &str)] = &[
            // A paragraph wrapped over three lines.
            (
                &["甲乙丙丁戊己庚辛壬癸", "子丑寅卯辰巳午未申酉", "戌亥。"],
                "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥。",
            ),
            // A full line that ends a sentence is not joined.
            (&["甲乙丙丁戊己庚辛壬。", "子丑。"], "甲乙丙丁戊己庚辛壬。\n子丑。"),
            // A short line (a heading) is not joined.
            (
                &["（一）主动公开", "子丑寅卯辰巳午未申酉"],
                "（一）主动公开\n子丑寅卯辰巳午未申酉",
            ),
            // The next line starts a paragraph: an ordinal, or an indent.
            (
                &["甲乙丙丁戊己庚辛壬癸", "（二）子丑。"],
                "甲乙丙丁戊己庚辛壬癸\n（二）子丑。",
            ),
            (
                &["甲乙丙丁戊己庚辛壬癸", "  子丑寅卯。"],
                "甲乙丙丁戊己庚辛壬癸\n  子丑寅卯。",
            ),
            // A closing quote after the full stop still ends the sentence.
            (&["甲乙丙丁戊己庚辛。”", "子丑。"], "甲乙丙丁戊己庚辛。”\n子丑。"),
            // Latin words keep a space where the line broke between them.
            (
                &["甲乙丙丁戊己庚 email", "hz@126.com。"],
                "甲乙丙丁戊己庚 email hz@126.com。",
            ),
            // A page break inside a paragraph.
            (&["甲乙丙丁戊己庚辛壬使", "\u{c}子丑。"], "甲乙丙丁戊己庚辛壬使子丑。"),
            // A colon does not end the sentence.
            (
                &["甲乙丙丁戊己庚电邮：", "hz@126.com。"],
                "甲乙丙丁戊己庚电邮：hz@126.com。",
            ),
            // Blank lines between the lines of a paragraph (as PDF text has them) do not stop the join.
            (&["甲乙丙丁戊己庚辛壬癸", "", "子丑。"], "甲乙丙丁戊己庚辛壬癸子丑。"),
        ];
        for (lines, want) in cases {
            assert_eq!(join_wrapped(lines, 20), *want, "{lines:?}");
        }
        // Without a known full width nothing is joined.
        assert_eq!(
            join_wrapped(&["甲乙丙丁戊己庚辛壬癸", "子丑。"], 0),
            "甲乙丙丁戊己庚辛壬癸\n子丑。"
        );
    }

    #[test]
    fn full_width_is_what_most_lines_reach() {
        let lines = [
            "甲乙丙丁戊己庚辛壬癸",
            "甲乙丙丁戊己庚辛壬",
            "甲乙丙丁戊己庚辛壬癸",
            "甲乙。",
            "（一）标题",
        ];
        assert_eq!(full_width(lines), 20);
        assert_eq!(full_width(["甲乙", "丙丁"]), 0);
        // Lines of all lengths: not wrapped at a fixed width.
        assert_eq!(
            full_width(["甲", "甲乙丙", "甲乙丙丁戊", "甲乙丙丁戊己庚", "甲乙丙丁戊己庚辛壬"]),
            0
        );
    }

    #[test]
    fn paginated_texts() {
        let cases = [
            ("甲\n\u{c}乙", true),
            ("甲\n- 2 -\n乙", true),
            ("甲\n第 2 页 共 3 页\n乙", true),
            ("甲\n2\n乙", false),
            ("甲\n【打印本页】", false),
        ];
        for (text, want) in cases {
            assert_eq!(paginated(text), want, "{text:?}");
        }
    }
}
