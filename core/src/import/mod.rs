//! Published report text → [`Report`], with doubts.
//!
//! Reports are published as text in many layouts (TAB grids with odd merges, markdown/pipe tables, one cell
//! per line, HTML markup, numbers run together). The importer reads the title (agency, year), the preamble and
//! the texts of sections 一, 五, 六 as written, detects the edition from the table labels, and places every
//! number it can: published numbers are kept as published (wrong totals stay wrong, so the checks show them),
//! blanks stay blank. What it cannot place with certainty becomes a [`Doubt`], with the line it came from.
//!
//! A web page (or HTML markup in a text) is parsed by [`html`] into paragraphs and tables, written as the
//! plain layout and read like any text.
//!
//! Everything is matched against the template (captions, headers, row labels and aliases, section headings):
//! no label is named here.

mod columns;
mod decode;
pub mod docx;
mod furniture;
pub mod html;
mod labels;
mod lines;
pub mod pdf;
mod quote;
pub mod source;
mod split;
mod stream;
mod tables;

pub use decode::decode;

use crate::report::Report;
use crate::template::{CellIdx, Edition, Template, TextId};
use labels::{LabelIndex, normalize};
use lines::{Kind, Line};
use std::sync::OnceLock;

/// Something the import could not place with certainty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doubt {
    /// The cells concerned (may be empty when a line could not be tied to any cell).
    pub cells: Vec<CellIdx>,
    /// 1-based line of the input it came from; 0 if none (a row not found at all).
    pub line: usize,
    /// What of that line the doubt is about, as written: the row's label and the numbers read for it, cut to a
    /// readable length with `…` where the line goes on; a short line whole. A doubt naming several rows quotes
    /// each row's (the first four, then `等`), `；` between them. Empty when `line` is 0.
    pub source: String,
    /// What is doubtful, in Chinese.
    pub message: String,
}

impl std::fmt::Display for Doubt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "第{}行：{}（原文：{}）", self.line, self.message, self.source.trim())
        }
    }
}

/// The result of an import: the report and what is doubtful in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The report as read.
    pub report: Report,
    /// What could not be placed with certainty; empty when every cell was placed.
    pub doubts: Vec<Doubt>,
}

/// Why a text could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The text is not an annual report (no title, headings or tables found).
    #[error("不是年度报告：{0}")]
    NotAReport(String),
    /// A web page too large or too odd to read safely.
    #[error(transparent)]
    Html(#[from] html::HtmlError),
}

/// Why a file's bytes could not be imported, by what the file was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// A Word document that could not be read as a report.
    #[error("{0}")]
    Word(#[from] docx::DocxError),
    /// A PDF that could not be read as a report.
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
    /// A text (or saved web page) that is not a report.
    #[error("{0}")]
    Text(#[from] ImportError),
}

/// Imports a published report from a file's bytes, the format decided by the content: a Word document, a PDF,
/// else a text in any encoding [`decode`] reads (a saved web page included).
pub fn import_bytes(bytes: &[u8]) -> Result<Imported, FileError> {
    if docx::is_docx(bytes) {
        Ok(docx::import_docx(bytes)?)
    } else if pdf::is_pdf(bytes) {
        Ok(pdf::import_pdf(bytes)?)
    } else {
        Ok(import_text(&decode(bytes))?)
    }
}

/// The label index of an edition, built once.
fn index(edition: Edition) -> &'static LabelIndex {
    static INDEX: OnceLock<Vec<LabelIndex>> = OnceLock::new();
    let all = INDEX.get_or_init(|| Edition::ALL.iter().map(|e| LabelIndex::new(e.template())).collect());
    let i = Edition::ALL.iter().position(|&e| e == edition).unwrap_or(0);
    &all[i]
}

/// Section headings of every edition, normalised, with the section's position (the same in all editions).
fn headings() -> &'static [(usize, String)] {
    static HEADINGS: OnceLock<Vec<(usize, String)>> = OnceLock::new();
    HEADINGS.get_or_init(|| {
        let mut v = Vec::new();
        for e in Edition::ALL {
            for (i, s) in e.template().sections.iter().enumerate() {
                for h in std::iter::once(s.heading).chain(s.aliases.iter().copied()) {
                    let n = normalize(h);
                    if !v.iter().any(|(j, x)| *j == i && *x == n) {
                        v.push((i, n));
                    }
                }
            }
        }
        v
    })
}

/// Character pairs of a string.
fn bigrams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s.chars().collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The section whose heading this line is, if it is one: exact (normalised) or a longer/shorter wording with
/// the same number and most of the heading's words.
fn heading_of(line: &Line) -> Option<usize> {
    if line.kind != Kind::Free {
        return None;
    }
    let text = line.fields.first()?.trim().trim_matches(['#', '*', ' ', '\u{3000}']);
    if text.is_empty() || text.chars().count() > 60 || text.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = normalize(text);
    let n = n.trim_end_matches('：');
    if let Some((i, _)) = headings().iter().find(|(_, h)| h == n) {
        return Some(*i);
    }
    // A row or group label of a table (二、上年结转…) is never a heading.
    if Edition::ALL.iter().any(|&e| index(e).lookup(n).is_some()) {
        return None;
    }
    let (num, rest) = n.split_once('、')?;
    headings().iter().find_map(|(i, h)| {
        let (hnum, hrest) = h.split_once('、')?;
        if hnum != num {
            return None;
        }
        let hb = bigrams(hrest);
        let lb = bigrams(rest);
        let common = hb.iter().filter(|b| lb.contains(b)).count();
        (!hb.is_empty() && common * 10 >= hb.len() * 7).then_some(*i)
    })
}

/// Agency and year from a title line (`辉县市人民政府2021年政府信息公开工作年度报告`).
fn parse_title(text: &str) -> Option<(String, i32)> {
    let t = text.trim();
    if !t.contains("报告") {
        return None;
    }
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for w in 0..chars.len().saturating_sub(4) {
        let digits: String = chars[w..w + 4].iter().map(|&(_, c)| c).collect();
        // PDF text puts a space between the year and 年 (`2023 年`).
        let after = chars[w + 4..]
            .iter()
            .find(|&&(_, c)| !c.is_whitespace())
            .map(|&(_, c)| c);
        if after == Some('年')
            && digits.chars().all(|c| c.is_ascii_digit())
            && (w == 0 || !chars[w - 1].1.is_ascii_digit())
            && let Ok(year) = digits.parse::<i32>()
            && (1990..=2100).contains(&year)
        {
            let before = &t[..chars[w].0];
            let bracketed = before.trim_end().ends_with(['（', '(']);
            let agency = match t.rfind(Template::REPORT_SUBJECT) {
                // `XX局政府信息公开工作年度报告（2020年）`: the agency is before the report's name.
                Some(p) if bracketed && p < chars[w].0 => &t[..p],
                _ => before,
            };
            let agency = agency.trim().trim_end_matches(['（', '(']).trim();
            return Some((agency_of(agency).to_owned(), year));
        }
    }
    None
}

/// The agency in what stands before a title's year: after a web page's breadcrumb or heading run into it
/// (`当前位置：首页>政务公开>政府信息公开年报 焦作市人民政府`), the last part; after a space only when that
/// part names an agency by its suffix (two agencies may sign one report: `中共某县委 某县人民政府`).
fn agency_of(before: &str) -> &str {
    const STRONG: &[char] = &['>', '＞', '：', ':', '】', '。', '|', '\t', '»', '›'];
    const SUFFIXES: &[&str] = &[
        "政府",
        "局",
        "委员会",
        "办公室",
        "厅",
        "院",
        "委",
        "中心",
        "所",
        "会",
        "部",
        "署",
        "处",
        "馆",
        "队",
        "站",
        "镇",
        "乡",
        "街道",
    ];
    let after_strong = before.rsplit(STRONG).next().unwrap_or(before).trim();
    match after_strong.rsplit_once(char::is_whitespace) {
        Some((head, last))
            if last.chars().count() >= 5
                && SUFFIXES.iter().any(|x| last.ends_with(x))
                && !SUFFIXES.iter().any(|x| head.ends_with(x)) =>
        {
            last
        }
        _ => after_strong,
    }
}

/// Longest title taken as written (a longer line holds more than the title).
const MAX_TITLE_CHARS: usize = 60;

/// The title line: the first line before the first heading that reads as a title, else (a title after a
/// web page's frame or a cover page that reads as a heading) the first short line anywhere that names an
/// annual report with its year. When the title names no agency, the agency is the short line just above it
/// (titles are set on two lines: `洪泽区人民政府` / `2023年政府信息公开工作年度报告`). Returns the title's
/// line, the title as written (both lines), the agency and the year.
fn find_title(all: &[Line], first_head: usize) -> Option<(usize, String, String, i32)> {
    let free = |l: &Line| l.kind == Kind::Free;
    let at = all[..first_head]
        .iter()
        .position(|l| free(l) && parse_title(&l.source).is_some())
        .or_else(|| {
            all.iter().position(|l| {
                free(l)
                    && l.source.trim().chars().count() <= 40
                    && normalize(&l.source).contains("年度报告")
                    && parse_title(&l.source).is_some()
            })
        })?;
    let (mut agency, year) = parse_title(&all[at].source)?;
    let mut written = all[at].source.trim().to_owned();
    // A title run together with the page around it (a whole page on one line): the title is the agency, the
    // year and the words up to 报告.
    if written.chars().count() > MAX_TITLE_CHARS {
        let from = written
            .find(agency.as_str())
            .filter(|_| !agency.is_empty())
            .unwrap_or(0);
        let year_at = written[from..].find(&year.to_string()).map(|p| p + from);
        let end = year_at.and_then(|y| written[y..].find("报告").map(|p| y + p + "报告".len()));
        written = match (year_at, end) {
            (Some(y), Some(e)) => format!("{agency}{}", &written[y..e]),
            _ => String::new(),
        };
    }
    if agency.is_empty()
        && let Some(above) = all[..at].iter().rev().take(4).find(|l| !l.is_blank())
        && free(above)
        && heading_of(above).is_none()
    {
        let line = above.source.trim();
        let plausible = line.chars().count() <= 30
            && !line.chars().any(|c| c.is_ascii_digit())
            && !line.ends_with(['。', '：', ':', '；', '，', '！', '？']);
        if plausible {
            line.clone_into(&mut agency);
            written = format!("{line}{written}");
        }
    }
    Some((at, written, agency, year))
}

/// The edition the table labels say, if they say one.
fn edition_from_labels(lines: &[(&Line, Option<usize>)]) -> (Option<Edition>, bool) {
    static MARKERS: OnceLock<Vec<(Edition, std::collections::HashSet<String>)>> = OnceLock::new();
    let markers = MARKERS.get_or_init(labels::edition_markers);
    let mut counts = vec![0usize; markers.len()];
    for (line, _) in lines {
        for f in &line.fields {
            let label = labels::split_trailing_number(f).map_or(f.as_str(), |(l, _)| l);
            let n = normalize(label);
            if n.is_empty() {
                continue;
            }
            for (k, (_, set)) in markers.iter().enumerate() {
                if set.contains(&n) {
                    counts[k] += 1;
                }
            }
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    let winners: Vec<usize> = (0..counts.len()).filter(|&k| counts[k] == max).collect();
    let mixed = counts.iter().filter(|&&c| c > 0).count() > 1;
    match (max, winners.as_slice()) {
        (0, _) => (None, false),
        (_, [k]) => (Some(markers[*k].0), mixed),
        _ => (None, mixed),
    }
}

/// Non-blank lines as a text: each line one paragraph (lines broken by a page's width joined back, see
/// [`furniture::join_wrapped`]), trailing spaces dropped, a leading indent kept. `full` is the width of a full
/// line of the document's narrative.
fn text_of(lines: &[&Line], full: usize) -> String {
    let sources: Vec<&str> = lines.iter().map(|l| l.source.as_str()).collect();
    furniture::join_wrapped(&sources, full)
}

/// How many cells hold a value no doubt names.
fn certain(cells: &[crate::report::Value], doubts: &[Doubt]) -> usize {
    let mut doubtful = vec![false; cells.len()];
    for d in doubts {
        for &c in &d.cells {
            if let Some(x) = doubtful.get_mut(c) {
                *x = true;
            }
        }
    }
    cells
        .iter()
        .zip(&doubtful)
        .filter(|(v, d)| !v.is_blank() && !**d)
        .count()
}

/// Reads a published report's text. A web page or HTML markup (decided by the content,
/// [`html::looks_like_html`]) is read by the HTML parser into blocks and those as the plain layout, like a
/// Word document.
pub fn import_text(text: &str) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if html::looks_like_html(text) {
        let blocks = html::read_html(text)?;
        return read_text(&docx::blocks_to_text(&blocks));
    }
    read_text(text)
}

/// Reads a report's plain text (no markup: the text of a page, a Word document or a PDF).
fn read_text(text: &str) -> Result<Imported, ImportError> {
    // Lines ended by CR alone (old Mac editors, some CMS exports) read like any others.
    let one_line_end;
    let text = if text.contains('\r') {
        one_line_end = text.replace("\r\n", "\n").replace('\r', "\n");
        one_line_end.as_str()
    } else {
        text
    };
    // Page numbers and a web page's frame are no part of the report (lines blanked, numbering kept).
    let paginated = furniture::paginated(text);
    let text = furniture::blank_furniture(text);
    let text = text.as_ref();
    let all = lines::lines(text);
    let o = Outline::of(&all);
    let (title_at, title) = match find_title(&all, o.first_head) {
        Some((at, written, agency, year)) => (Some(at), Some((written, agency, year))),
        None => (None, None),
    };
    let any_table_heading = o.heads.iter().any(|&(_, s)| table_section(s));
    let table_lines: Vec<(&Line, Option<usize>)> = all
        .iter()
        .enumerate()
        .filter(|&(i, _)| Some(i) != title_at && !o.head_line[i])
        .filter(|&(i, _)| match o.section_of[i] {
            Some(s) => table_section(s),
            None => !any_table_heading,
        })
        .map(|(i, l)| (l, o.section_of[i]))
        .collect();

    let (labelled, mixed) = edition_from_labels(&table_lines);
    let year = title.as_ref().map(|t| t.2);
    // Read as a stream in each edition: where no line carries a label whole, the rows found tell the edition.
    // The stream is made once for both, and let go of before the lines are read.
    let streams: Vec<(Edition, Vec<tables::Found>)> = {
        let prepared = stream::Prepared::new(text);
        Edition::ALL.iter().map(|&e| (e, prepared.read(e.template()))).collect()
    };
    // The year fixes the edition in force; the stream's rows decide only where no year was found.
    let edition = labelled
        .or_else(|| year.map(Edition::for_year))
        .or_else(|| edition_by_stream(&streams, year))
        .unwrap_or(Edition::E2021);
    let t: &'static Template = edition.template();
    let year = year.unwrap_or(t.first_year);
    let agency = title.as_ref().map(|t| t.1.clone()).unwrap_or_default();
    let mut report = Report::new(edition, year, agency);
    if let Some((written, _, _)) = &title {
        let standard = Template::title(&report.agency, year);
        if normalize(written) != normalize(&standard) {
            report.title.clone_from(written);
        }
    }

    let mut by_lines = report.cells.clone();
    let (line_doubts, found) = tables::read_tables(t, index(edition), &table_lines, &mut by_lines);
    let stream_found = streams
        .iter()
        .find(|(e, _)| *e == edition)
        .map_or(&[][..], |(_, f)| f.as_slice());
    let mut by_stream = report.cells.clone();
    let (stream_doubts, _) = tables::place_found(t, stream_found, &mut by_stream);
    let stream_rows = stream_found.iter().filter(|f| !f.tokens.is_empty()).count();
    // The reading that places more cells without doubt wins; the line reader on a tie (it reads grids by
    // position).
    let (table_doubts, found) = if certain(&by_stream, &stream_doubts) > certain(&by_lines, &line_doubts) {
        report.cells = by_stream;
        (stream_doubts, stream_rows)
    } else {
        report.cells = by_lines;
        (line_doubts, found)
    };
    if o.heads.len() < 2 && found < 3 {
        return Err(ImportError::NotAReport(format!(
            "没有找到「……年{}」的标题、六个部分的标题或统计表",
            Template::REPORT_NAME
        )));
    }
    let mut doubts: Vec<Doubt> = Vec::new();
    if title.is_none() {
        doubts.push(Doubt {
            cells: Vec::new(),
            line: 0,
            source: String::new(),
            message: format!("没有找到报告标题，机关名称为空，年度暂按{year}年"),
        });
    }
    if mixed {
        doubts.push(Doubt {
            cells: Vec::new(),
            line: 0,
            source: String::new(),
            message: format!("表格中同时有两版格式的栏目，按「{}」读入", edition.template().name),
        });
    }
    doubts.extend(table_doubts);
    read_texts(&mut report, &all, &o, title_at, paginated);
    Ok(Imported { report, doubts })
}

/// Whether the section at position `s` holds tables (二, 三, 四), not a text.
fn table_section(s: usize) -> bool {
    Edition::E2021
        .template()
        .sections
        .get(s)
        .is_some_and(|sec| sec.text.is_none())
}

/// Where the six headings are in a text's lines, and which section each line belongs to.
struct Outline {
    /// (line, section position) of each heading, in document order (a heading out of order is text).
    heads: Vec<(usize, usize)>,
    /// The first heading's line (the number of lines when there is none).
    first_head: usize,
    /// The section each line belongs to (`None`: title and preamble).
    section_of: Vec<Option<usize>>,
    /// One flag per line: asking the list of headings for every line is quadratic when headings repeat.
    head_line: Vec<bool>,
}

impl Outline {
    fn of(all: &[Line]) -> Outline {
        let mut heads: Vec<(usize, usize)> = Vec::new();
        for (i, l) in all.iter().enumerate() {
            if let Some(s) = heading_of(l)
                && heads.last().is_none_or(|&(_, last)| s >= last)
            {
                heads.push((i, s));
            }
        }
        let mut section_of: Vec<Option<usize>> = vec![None; all.len()];
        for (k, &(start, s)) in heads.iter().enumerate() {
            let end = heads.get(k + 1).map_or(all.len(), |h| h.0);
            for slot in &mut section_of[start + 1..end] {
                *slot = Some(s);
            }
        }
        let mut head_line = vec![false; all.len()];
        for &(i, _) in &heads {
            head_line[i] = true;
        }
        Outline {
            first_head: heads.first().map_or(all.len(), |h| h.0),
            heads,
            section_of,
            head_line,
        }
    }
}

/// The edition whose rows the stream reader finds most of (with numbers), the year's edition on a tie; `None`
/// when it finds none.
fn edition_by_stream(streams: &[(Edition, Vec<tables::Found>)], year: Option<i32>) -> Option<Edition> {
    streams
        .iter()
        .map(|(e, f)| {
            let rows: usize = e.template().tables.iter().map(|t| t.rows.len()).sum();
            let with_numbers = f.iter().filter(|x| x.row.is_some() && !x.tokens.is_empty()).count();
            (*e, with_numbers * 1000 / rows.max(1))
        })
        .max_by_key(|&(e, score)| (score, year.is_some_and(|y| Edition::for_year(y) == e)))
        .filter(|&(_, score)| score > 0)
        .map(|(e, _)| e)
}

/// The texts: the preamble, then the text sections. A text section's heading written twice (the first time
/// over the legal-basis paragraph) makes the text before the second heading the preamble.
fn read_texts(report: &mut Report, all: &[Line], o: &Outline, title_at: Option<usize>, paginated: bool) {
    let secs = Edition::E2021.template().sections;
    let preamble_lines: Vec<&Line> = all[..o.first_head]
        .iter()
        .enumerate()
        .filter(|&(i, _)| title_at.is_none_or(|ti| i > ti))
        // A web page shows the title twice (its own heading, then the document's): once is the title.
        .filter(|&(_, l)| title_at.is_none_or(|ti| normalize(&l.source) != normalize(&all[ti].source)))
        .map(|(_, l)| l)
        .collect();
    // The width of a full line, over all the narrative (one section's text may be too short to tell); only a
    // paginated text has lines broken by the page width.
    let narrative =
        |i: usize| o.section_of[i].is_none_or(|s| !table_section(s)) && !o.head_line[i] && Some(i) != title_at;
    let full = if paginated {
        furniture::full_width(
            all.iter()
                .enumerate()
                .filter(|&(i, l)| narrative(i) && l.kind == Kind::Free)
                .map(|(_, l)| l.source.as_str()),
        )
    } else {
        0
    };
    report.texts.preamble = text_of(&preamble_lines, full);
    for (k, &(start, s)) in o.heads.iter().enumerate() {
        let Some(id) = secs.get(s).and_then(|sec| sec.text) else {
            continue;
        };
        let end = o.heads.get(k + 1).map_or(all.len(), |h| h.0);
        let body: Vec<&Line> = all[start + 1..end].iter().collect();
        let body = text_of(&body, full);
        let repeated = o.heads.get(k + 1).is_some_and(|h| h.1 == s);
        if repeated && id == TextId::Overview && report.texts.preamble.is_empty() {
            report.texts.preamble = body;
            continue;
        }
        let slot = report.texts.get_mut(id);
        if slot.is_empty() {
            *slot = body;
        } else if !body.is_empty() {
            slot.push('\n');
            slot.push_str(&body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let cases = [
            (
                "辉县市人民政府2021年政府信息公开工作年度报告",
                Some(("辉县市人民政府", 2021)),
            ),
            (
                "郑州市二七区统计局 2020年政府信息公开工作年度报告",
                Some(("郑州市二七区统计局", 2020)),
            ),
            ("某局政府信息公开工作年度报告（2020年）", Some(("某局", 2020))),
            ("某局2年2021年政府信息公开工作年度报告", Some(("某局2年", 2021))),
            ("2021年，我市认真贯彻落实", None),
            ("2023 年政府信息公开工作年度报告", Some(("", 2023))),
            (
                "当前位置：首页>政务公开>政府信息公开年报 焦作市人民政府2020年政府信息公开工作年度报告",
                Some(("焦作市人民政府", 2020)),
            ),
            (
                "首页 » 信息公开 » 某县教育局2021年政府信息公开工作年度报告",
                Some(("某县教育局", 2021)),
            ),
            (
                "中共某县委 某县人民政府2021年政府信息公开工作年度报告",
                Some(("中共某县委 某县人民政府", 2021)),
            ),
            (
                "某 县 人民政府 2021年政府信息公开工作年度报告",
                Some(("某 县 人民政府", 2021)),
            ),
            (
                "洪泽区人民政府 2023 年政府信息公开工作年度报告",
                Some(("洪泽区人民政府", 2023)),
            ),
        ];
        for (s, want) in cases {
            assert_eq!(parse_title(s).as_ref().map(|(a, y)| (a.as_str(), *y)), want, "{s}");
        }
    }

    /// What `find_title` finds: line, title as written, agency, year.
    type Title<'a> = Option<(usize, &'a str, &'a str, i32)>;

    #[test]
    fn titles_wherever_they_are() {
        let long_rest = "本报告根据条例编制。".repeat(10);
        let collapsed = format!(
            "当前位置：首页>政务公开>政府信息公开年报 某县人民政府2021年政府信息公开工作年度报告 信息来源：某县{long_rest}"
        );
        let cases: Vec<(String, Title)> = vec![
            // Set on two lines, the agency above the year.
            (
                "\n- 1 -\n某区人民政府\n2023 年政府信息公开工作年度报告\n本报告由某区人民政府办公室编制。".into(),
                Some((3, "某区人民政府2023 年政府信息公开工作年度报告", "某区人民政府", 2023)),
            ),
            // The line above is a sentence, not an agency.
            (
                "请与我们联系。\n2023年政府信息公开工作年度报告".into(),
                Some((1, "2023年政府信息公开工作年度报告", "", 2023)),
            ),
            // A whole page on one line: the title is cut out of it.
            (
                collapsed,
                Some((0, "某县人民政府2021年政府信息公开工作年度报告", "某县人民政府", 2021)),
            ),
            ("一、总体情况\n2021年，我县认真贯彻落实。".into(), None),
        ];
        for (text, want) in cases {
            let all = lines::lines(&text);
            let first_head = all.iter().position(|l| heading_of(l).is_some()).unwrap_or(all.len());
            let got = find_title(&all, first_head);
            let got = got.as_ref().map(|(at, w, a, y)| (*at, w.as_str(), a.as_str(), *y));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn heading_lines() {
        let line = |s: &str| Line {
            no: 1,
            source: s.into(),
            fields: vec![s.into()],
            spans: std::iter::once(0..s.len()).collect(),
            kind: Kind::Free,
        };
        let cases = [
            ("一、总体情况", Some(0)),
            ("五、政府信息公开工作存在的主要问题及改进情况", Some(4)),
            ("五、存在的主要问题和改进情况", Some(4)),
            ("## 六、其他需要报告的事项", Some(5)),
            ("二、上年结转政府信息公开申请数量", None),
            ("三、本年度办理结果", None),
            ("一是继续升级完善政府信息公开平台。", None),
        ];
        for (s, want) in cases {
            assert_eq!(heading_of(&line(s)), want, "{s}");
        }
    }
}
