//! A Word document (`.docx`, Office Open XML) in the official layout of a 公文-style report (GB/T 9704
//! conventions): A4, margins 37/35/28/26 mm, the title centred in 方正小标宋简体 22 pt, the body in `仿宋_GB2312`
//! 16 pt with a fixed line spacing of 28.95 pt (22 lines a page) and a two-character first-line indent, 一、
//! headings in 黑体, （一） sub-headings in `楷体_GB2312`, page numbers `— 1 —` at the foot.
//!
//! The tables are real Word tables on the template's grid ([`super::grid`], the same as the text and HTML
//! exports): merged cells are `w:gridSpan`/`w:vMerge`, the caption and header lines are repeated on every page
//! (`w:tblHeader`), and the blocks of a section (section 二) are one table. Fonts are named, with East Asian
//! slots and fallbacks (`w:altName` in the font table), never embedded.
//!
//! The package is written by hand (zip + XML): every element is ours, in the order Word's schema requires
//! (`w:pPr`, `w:rPr`, `w:tcPr` children are ordered sequences; Word refuses or "repairs" files that break the
//! order). The output is deterministic: no timestamps anywhere, zip entries dated 1980-01-01.

use super::{CellRole, Grid, grid, paragraphs};
use crate::report::Report;
use crate::template::{Layout, Table};
use std::fmt::Write as _;
use std::io::Write as _;

/// Width of the text area in twips (1/20 pt): A4 (11906) less the left (28 mm) and right (26 mm) margins.
const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// A4 width, twips.
const PAGE_WIDTH: u32 = 11906;
/// A4 height, twips.
const PAGE_HEIGHT: u32 = 16838;
/// 37 mm.
const MARGIN_TOP: u32 = 2098;
/// 35 mm.
const MARGIN_BOTTOM: u32 = 1984;
/// 28 mm.
const MARGIN_LEFT: u32 = 1587;
/// 26 mm.
const MARGIN_RIGHT: u32 = 1474;
/// Fixed line spacing of the body: the text area's height (225 mm) over 22 lines, 28.95 pt.
const LINE: u32 = 579;
/// One character of table text (宋体 10.5 pt), twips.
const TABLE_CHAR: u32 = 210;
/// Left plus right cell margin, twips (57 each, 1 mm).
const CELL_PAD: u32 = 114;
/// Narrowest value column: three characters of table text.
const VALUE_MIN: u32 = 3 * TABLE_CHAR + CELL_PAD;

/// The fonts: (name written in the runs, fallback Word uses when it is not installed, charset, family, pitch).
const FONTS: &[(&str, &str, &str, &str, &str)] = &[
    (FONT_TITLE, "宋体", "86", "script", "variable"),
    (FONT_BODY, "仿宋", "86", "modern", "fixed"),
    (FONT_HEADING, "SimHei", "86", "modern", "fixed"),
    (FONT_SUBHEADING, "楷体", "86", "modern", "fixed"),
    (FONT_TABLE, "SimSun", "86", "auto", "variable"),
    (FONT_LATIN, "Times", "00", "roman", "variable"),
];
const FONT_TITLE: &str = "方正小标宋简体";
const FONT_BODY: &str = "仿宋_GB2312";
const FONT_HEADING: &str = "黑体";
const FONT_SUBHEADING: &str = "楷体_GB2312";
const FONT_TABLE: &str = "宋体";
const FONT_LATIN: &str = "Times New Roman";

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The report as a `.docx` file.
pub fn to_docx(report: &Report) -> Vec<u8> {
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", ROOT_RELS.to_owned()),
        ("docProps/core.xml", core_xml(report)),
        ("word/document.xml", document_xml(report)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", SETTINGS.to_owned()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/footer1.xml", footer_xml()),
    ];
    zip_parts(&parts)
}

/// The parts in a zip, deflated, every entry dated 1980-01-01 so that the same report gives the same bytes.
fn zip_parts(parts: &[(&str, String)]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let written: zip::result::ZipResult<()> = parts.iter().try_for_each(|(name, body)| {
        w.start_file(*name, options)?;
        w.write_all(body.as_bytes())?;
        Ok(())
    });
    #[allow(clippy::expect_used)]
    // Proven invariant: the writer is an in-memory Vec (its writes cannot fail), the entry names are the fixed
    // ASCII names above, and no part comes near the 4 GiB that would need ZIP64 (a report is a few hundred KiB).
    let out = written.and_then(|()| w.finish()).expect("writing a zip into memory");
    out.into_inner()
}

/// Escapes text for XML content and attributes, dropping the characters XML 1.0 cannot carry (control
/// characters other than TAB and line ends, which the callers have already split off).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The main part: title, preamble, the six sections with their texts and tables, the page setup.
pub fn document_xml(report: &Report) -> String {
    let t = report.template();
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>\n"
    );
    push_paragraph(&mut out, "ReportTitle", &[(None, &report.display_title())]);
    push_text(&mut out, &report.texts.preamble);
    for section in t.sections {
        push_paragraph(&mut out, "Heading1", &[(None, section.heading)]);
        if let Some(id) = section.text {
            push_text(&mut out, report.texts.get(id));
        }
        let tables: Vec<&Table> = section.tables.iter().filter_map(|&ti| t.tables.get(ti)).collect();
        if !tables.is_empty() {
            push_table(&mut out, report, &tables);
        }
    }
    let _ = writeln!(
        out,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>\
         <w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" \
         w:left=\"{MARGIN_LEFT}\" w:header=\"851\" w:footer=\"1304\" w:gutter=\"0\"/>\
         <w:cols w:space=\"425\"/><w:docGrid w:type=\"lines\" w:linePitch=\"{LINE}\"/></w:sectPr>\
         </w:body></w:document>"
    );
    out
}

/// A paragraph of `style` made of runs, each with an optional East Asian font of its own.
fn push_paragraph(out: &mut String, style: &str, runs: &[(Option<&str>, &str)]) {
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    for (font, text) in runs {
        push_run(out, *font, text);
    }
    // A line end after each block keeps the part readable (and its golden file diffable); whitespace between
    // elements is ignored by every reader.
    out.push_str("</w:p>\n");
}

/// A run: its text split at TABs into `w:t` and `w:tab`.
fn push_run(out: &mut String, font: Option<&str>, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    if let Some(f) = font {
        let _ = write!(out, "<w:rPr><w:rFonts w:eastAsia=\"{f}\"/></w:rPr>");
    }
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            out.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
        }
    }
    out.push_str("</w:r>");
}

/// Longest sub-heading (`（一）主动公开情况。`) that is set in 楷体 before the paragraph's body text.
const SUBHEADING_MAX_CHARS: usize = 30;

/// The paragraphs of a free text, as written. A paragraph that starts with its own indent keeps it (and gets
/// no first-line indent of its own), so the text reads back exactly; a `（一）` sub-heading is set in 楷体: the
/// whole paragraph when it is only the sub-heading, else its first sentence.
fn push_text(out: &mut String, text: &str) {
    for p in paragraphs(text) {
        let style = if p.starts_with(char::is_whitespace) {
            "BodyIndented"
        } else {
            "Body"
        };
        match subheading_split(p) {
            Some(at) if at == p.len() => push_paragraph(out, &format!("{style}Sub"), &[(None, p)]),
            Some(at) => push_paragraph(out, style, &[(Some(FONT_SUBHEADING), &p[..at]), (None, &p[at..])]),
            None => push_paragraph(out, style, &[(None, p)]),
        }
    }
}

/// Where the 楷体 part of a paragraph that opens with `（一）`…`（十）` ends (a byte offset; the whole length
/// when the paragraph is only the sub-heading), or `None` when it is not a sub-heading.
fn subheading_split(p: &str) -> Option<usize> {
    let s = p.trim_start();
    let indent = p.len() - s.len();
    let (number, _) = s.strip_prefix('（')?.split_once('）')?;
    if number.is_empty() || !number.chars().all(|c| "一二三四五六七八九十".contains(c)) {
        return None;
    }
    // The sub-heading is the first sentence, or the whole paragraph when no full stop ends one before.
    let end = s.find('。').map_or(s.len(), |i| i + '。'.len_utf8());
    (s[..end].chars().count() <= SUBHEADING_MAX_CHARS).then_some(indent + end)
}

/// Grid column widths (twips) shared by the tables of one section, summing to [`TEXT_WIDTH`].
///
/// Each label column asks for enough characters that its labels fit in the lines they span
/// (`characters / rowspan`, at least two); value columns need at least [`VALUE_MIN`]. The label columns are
/// served narrowest first, each at most an equal share of what is left, and whatever remains widens the
/// value columns equally. Tables without label columns (section 四) get equal columns.
fn column_widths(tables: &[&Table]) -> Vec<u32> {
    let width = tables.iter().map(|t| t.width).max().unwrap_or(1).max(1);
    let label_cols = tables
        .iter()
        .map(|t| match t.layout {
            Layout::Rows => t.label_cols,
            Layout::Inline => 0,
        })
        .max()
        .unwrap_or(0)
        .min(width - 1);
    let mut widths = vec![0u32; width];
    let values = (width - label_cols) as u32;
    let mut room = TEXT_WIDTH.saturating_sub(values * VALUE_MIN);
    if label_cols > 0 {
        let mut desire = vec![2usize; label_cols];
        for l in tables.iter().flat_map(|t| t.labels) {
            if l.colspan == 1 && l.col < label_cols {
                let chars = l.text.chars().count().div_ceil(l.rowspan.max(1));
                desire[l.col] = desire[l.col].max(chars);
            }
        }
        let mut order: Vec<usize> = (0..label_cols).collect();
        order.sort_by_key(|&c| desire[c]);
        for (k, &c) in order.iter().enumerate() {
            let share = room / (label_cols - k) as u32;
            let w = (desire[c] as u32 * TABLE_CHAR + CELL_PAD).min(share);
            widths[c] = w;
            room -= w;
        }
    } else {
        room = TEXT_WIDTH;
    }
    let base = if label_cols > 0 { VALUE_MIN } else { 0 };
    for w in &mut widths[label_cols..] {
        *w = base + room / values;
    }
    // Rounding: the last column takes what is left, so the table is exactly the text width.
    let sum: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_WIDTH.saturating_sub(sum);
    }
    widths
}

/// One Word table for the tables of a section, stacked on a common grid (section 二's blocks share its four
/// columns). The caption and header lines at the top of the table are repeated on every page.
fn push_table(out: &mut String, report: &Report, tables: &[&Table]) {
    let widths = column_widths(tables);
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>"
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        );
    }
    out.push_str(
        "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>\
         <w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>",
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>\n");
    for (k, table) in tables.iter().enumerate() {
        // Only the header lines at the very top of a Word table can repeat; later blocks' headers are plain.
        push_grid_rows(out, &grid(report, table), &widths, k == 0);
    }
    out.push_str("</w:tbl>\n");
}

/// The rows of one laid-out grid: every grid position is a cell's first column (its text, `w:gridSpan` and a
/// `w:vMerge` restart when it spans lines), a continuation of a cell from a line above (`w:vMerge`), or an
/// empty cell that no item covers.
fn push_grid_rows(out: &mut String, g: &Grid, widths: &[u32], repeat_head: bool) {
    // owner[line][col]: index of the item covering that position.
    let mut owner: Vec<Vec<Option<usize>>> = vec![vec![None; g.width]; g.lines];
    for (i, it) in g.items.iter().enumerate() {
        for line in owner.iter_mut().skip(it.row).take(it.rowspan) {
            for slot in line.iter_mut().skip(it.col).take(it.colspan) {
                *slot = Some(i);
            }
        }
    }
    let span_width = |col: usize, span: usize| -> u32 { widths.iter().skip(col).take(span).sum() };
    for (line, owners) in owner.iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if repeat_head && line < g.head_lines {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
        let mut col = 0;
        while col < g.width {
            if let Some(it) = owners[col].and_then(|i| g.items.get(i)) {
                let starts_here = it.row == line;
                let merge = match (it.rowspan > 1, starts_here) {
                    (false, _) => "",
                    (true, true) => "<w:vMerge w:val=\"restart\"/>",
                    (true, false) => "<w:vMerge/>",
                };
                let text = if starts_here { it.text.as_str() } else { "" };
                push_cell(out, text, it.role, span_width(it.col, it.colspan), it.colspan, merge);
                col = it.col + it.colspan.max(1);
            } else {
                let role = if line < g.head_lines {
                    CellRole::Header
                } else {
                    CellRole::Value
                };
                push_cell(out, "", role, span_width(col, 1), 1, "");
                col += 1;
            }
        }
        out.push_str("</w:tr>\n");
    }
}

/// One `w:tc`. Children of `w:tcPr` in schema order: `tcW`, `gridSpan`, `vMerge`, `vAlign`.
fn push_cell(out: &mut String, text: &str, role: CellRole, width: u32, colspan: usize, merge: &str) {
    let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    if colspan > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{colspan}\"/>");
    }
    let style = match role {
        CellRole::Label => "TableLabel",
        CellRole::Caption | CellRole::Header | CellRole::Value => "TableText",
    };
    let _ = write!(
        out,
        "{merge}<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"
    );
    push_run(out, None, text);
    out.push_str("</w:p></w:tc>");
}

/// `rFonts` naming a Chinese font for the East Asian slot and Times New Roman for Latin text and digits.
fn fonts(east_asian: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"{FONT_LATIN}\" w:eastAsia=\"{east_asian}\" w:hAnsi=\"{FONT_LATIN}\" \
         w:cs=\"{FONT_LATIN}\" w:hint=\"eastAsia\"/>"
    )
}

/// The styles: defaults (`仿宋_GB2312` 16 pt, fixed 28.95 pt lines), title, body with and without its own
/// indent, headings, sub-headings, table text, footer. `w:pPr`/`w:rPr` children in schema order.
fn styles_xml() -> String {
    let body_ind = "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>";
    let no_ind = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    let exact = format!("<w:spacing w:line=\"{LINE}\" w:lineRule=\"exact\"/>");
    let single = "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>";
    let size = |half_points: u32| format!("<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>");
    let para = |id: &str, name: &str, ppr: &str, rpr: &str, outline: Option<u8>| {
        let (outline, keep) = match outline {
            Some(l) => (format!("<w:outlineLvl w:val=\"{l}\"/>"), "<w:keepNext/>"),
            None => (String::new(), ""),
        };
        format!(
            "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
             <w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>{keep}{ppr}{outline}</w:pPr><w:rPr>{rpr}</w:rPr>\
             </w:style>"
        )
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles xmlns:w=\"{NS_W}\"><w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"2\"/>{}\
         <w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/>{exact}<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         </w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
         <w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>\
         <w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr></w:style>",
        fonts(FONT_BODY),
        size(32),
    );
    let title_run = format!(
        "<w:rFonts w:ascii=\"{FONT_TITLE}\" w:eastAsia=\"{FONT_TITLE}\" w:hAnsi=\"{FONT_TITLE}\" \
         w:hint=\"eastAsia\"/>{}",
        size(44)
    );
    let title_para =
        format!("<w:spacing w:after=\"{LINE}\" w:line=\"700\" w:lineRule=\"exact\"/>{no_ind}<w:jc w:val=\"center\"/>");
    out.push_str(&para("ReportTitle", "报告标题", &title_para, &title_run, None));
    out.push_str(&para("Body", "报告正文", body_ind, "", None));
    out.push_str(&para("BodyIndented", "报告正文（自带缩进）", no_ind, "", None));
    let sub_rpr = fonts(FONT_SUBHEADING);
    out.push_str(&para("BodySub", "报告二级标题", body_ind, &sub_rpr, Some(1)));
    out.push_str(&para(
        "BodyIndentedSub",
        "报告二级标题（自带缩进）",
        no_ind,
        &sub_rpr,
        Some(1),
    ));
    out.push_str(&para(
        "Heading1",
        "报告一级标题",
        body_ind,
        &fonts(FONT_HEADING),
        Some(0),
    ));
    let table_rpr = format!("{}<w:kern w:val=\"0\"/>{}", fonts(FONT_TABLE), size(21));
    out.push_str(&para(
        "TableText",
        "表格文字",
        &format!("{single}{no_ind}<w:jc w:val=\"center\"/>"),
        &table_rpr,
        None,
    ));
    out.push_str(&para(
        "TableLabel",
        "表格栏目",
        &format!("{single}{no_ind}<w:jc w:val=\"left\"/>"),
        &table_rpr,
        None,
    ));
    out.push_str(&para(
        "Footer",
        "页脚",
        &format!("{single}{no_ind}<w:jc w:val=\"center\"/>"),
        &format!("{}{}", fonts(FONT_TABLE), size(28)),
        None,
    ));
    out.push_str("</w:styles>\n");
    out
}

/// The footer: `— N —` with N the PAGE field.
fn footer_xml() -> String {
    let run = |inner: &str| format!("<w:r>{inner}</w:r>");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}{}{}{}{}{}{}\
         </w:p></w:ftr>\n",
        run("<w:t xml:space=\"preserve\">— </w:t>"),
        run("<w:fldChar w:fldCharType=\"begin\"/>"),
        run("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"),
        run("<w:fldChar w:fldCharType=\"separate\"/>"),
        run("<w:t>1</w:t>"),
        run("<w:fldChar w:fldCharType=\"end\"/>"),
        run("<w:t xml:space=\"preserve\"> —</w:t>"),
    )
}

/// The font table: each font with the one Word substitutes when it is missing (`w:altName`) and its charset
/// (86: GB2312), so that a PC without `仿宋_GB2312` shows 仿宋 rather than a Latin fallback.
fn font_table_xml() -> String {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"{NS_W}\">");
    for (name, alt, charset, family, pitch) in FONTS {
        let _ = write!(
            out,
            "<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\"/><w:charset w:val=\"{charset}\"/>\
             <w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        );
    }
    out.push_str("</w:fonts>\n");
    out
}

/// Document properties: the title only (no author, no dates: the file must not change when nothing did).
fn core_xml(report: &Report) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title></cp:coreProperties>\n",
        esc(&report.display_title())
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" \
ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>\n";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" \
Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" \
Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" \
Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" \
Target=\"docProps/core.xml\"/>\
</Relationships>\n";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" \
Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" \
Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" \
Target=\"fontTable.xml\"/>\
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" \
Target=\"footer1.xml\"/>\
</Relationships>\n";

/// Settings: a tab stop of two characters, compressed punctuation, and Word 2013+ layout (not compatibility
/// mode). Children in schema order (`zoom`, `defaultTabStop`, `characterSpacingControl`, `compat`).
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>\
<w:characterSpacingControl w:val=\"compressPunctuation\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" \
w:val=\"15\"/></w:compat></w:settings>\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;

    #[test]
    fn sub_headings_are_found_as_written() {
        let cases: &[(&str, Option<&str>)] = &[
            ("（一）主动公开", Some("（一）主动公开")),
            (
                "（二）依申请公开情况。本年度共收到申请5件。",
                Some("（二）依申请公开情况。"),
            ),
            ("　　（三）监督保障", Some("　　（三）监督保障")),
            ("（十）其他", Some("（十）其他")),
            ("（1）其他", None),
            ("一是部分单位更新不够及时。", None),
            (
                "（二）部分公开的申请较上年增加，主要原因是本年度申请人数量明显增多而且申请的内容更加复杂。",
                None,
            ),
        ];
        for (p, want) in cases {
            assert_eq!(subheading_split(p).map(|at| &p[..at]), *want, "{p}");
        }
    }

    #[test]
    fn column_widths_fill_the_text_width() {
        for e in Edition::ALL {
            let t = e.template();
            for section in t.sections {
                let tables: Vec<&Table> = section.tables.iter().map(|&i| &t.tables[i]).collect();
                if tables.is_empty() {
                    continue;
                }
                let w = column_widths(&tables);
                assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH, "{}", section.id);
                assert!(w.iter().all(|&x| x >= 2 * TABLE_CHAR), "{}: {w:?}", section.id);
            }
        }
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(esc("a&b<c>\"d\"\u{1}\u{FFFF}中"), "a&amp;b&lt;c&gt;&quot;d&quot;中");
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let r = Report::new(Edition::E2021, 2025, "某县人民政府");
        assert_eq!(to_docx(&r), to_docx(&r));
        assert!(to_docx(&r).starts_with(b"PK\x03\x04"));
    }
}
