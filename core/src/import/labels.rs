//! Label normalisation and the label index of an edition, built by walking the template.
//!
//! Published labels differ from the template's in small ways: half-width brackets and commas, spaces inside
//! (`商业 企业`), straight or missing quotes, `1、` or `1 .` for `1.`. [`normalize`] folds all of these so
//! that comparison is plain string equality. Nothing here names a label: the index is the template's.

use crate::template::{Edition, Layout, Template};
use std::collections::{HashMap, HashSet};

/// Chinese numerals used to number sections and groups (`一、`, `（三）`).
const NUMERALS: &str = "一二三四五六七八九十";

/// One character as [`normalize`] folds it, before the context rules; `None` for what it drops (spaces, quotes).
pub fn fold(c: char) -> Option<char> {
    Some(match c {
        '(' => '（',
        ')' => '）',
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '／' => '/',
        '．' => '.',
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '＂' => return None,
        c if c.is_whitespace() => return None,
        c => c,
    })
}

/// Folds the variants of a label into one form: no spaces or quotes, full-width brackets and punctuation,
/// ASCII digits, `1.` after a number and `一、` after a Chinese numeral.
pub fn normalize(s: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        let Some(c) = fold(c) else { continue };
        // `1、` → `1.`; `一.` → `一、`.
        let prev = out.last().copied();
        let c = match (prev, c) {
            (Some(p), '、') if p.is_ascii_digit() => '.',
            (Some(p), '.') if NUMERALS.contains(p) => '、',
            _ => c,
        };
        out.push(c);
    }
    out.into_iter().collect()
}

/// The label without its leading ordinal (`1.`, `（一）`, `一、`), if it has one.
pub fn strip_ordinal(norm: &str) -> Option<&str> {
    let digits = norm.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() < norm.len()
        && let Some(rest) = digits.strip_prefix('.')
    {
        return Some(rest);
    }
    if let Some(rest) = norm.strip_prefix('（') {
        let after = rest.trim_start_matches(|c: char| NUMERALS.contains(c));
        if after.len() < rest.len() {
            return after.strip_prefix('）');
        }
    }
    let after = norm.trim_start_matches(|c: char| NUMERALS.contains(c));
    if after.len() < norm.len() {
        return after.strip_prefix('、');
    }
    None
}

/// What a field of a table line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Nothing (or only spaces).
    Empty,
    /// A number, possibly several run together.
    Number,
    /// A dash or slash standing for "nothing" (`—`, `/`).
    Dash,
    /// A rule drawn with dashes (`-------`).
    Rule,
    /// Text.
    Text,
}

/// Whether `c` may appear in a published number (digits, separators, sign, decimal point).
pub fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, '.' | '．' | ',' | '，' | '-' | '－' | '+' | '＋')
}

/// Classifies a field.
pub fn field_kind(s: &str) -> FieldKind {
    let t = s.trim();
    if t.is_empty() {
        return FieldKind::Empty;
    }
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '－' | '/' | '／' | ':' | '=' | '|' | '_');
    if t.chars().all(|c| dash(c) || c.is_whitespace()) {
        return if t.chars().count() >= 3 {
            FieldKind::Rule
        } else {
            FieldKind::Dash
        };
    }
    if t.chars().all(|c| is_number_char(c) || c.is_whitespace())
        && t.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return FieldKind::Number;
    }
    FieldKind::Text
}

/// Splits a text that ends in numbers (`规范性文件898989`, `规章 0 0 0`) into the label and the number part.
/// Returns `None` when it does not end in a number.
pub fn split_trailing_number(s: &str) -> Option<(&str, &str)> {
    let t = s.trim_end();
    let start = t
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_number_char(c) || c.is_whitespace())
        .last()
        .map(|(i, _)| i)?;
    let (label, num) = t.split_at(start);
    // A label's own ordinal (`1.`) is not a number part: the label must keep some text.
    let num = num.trim_start_matches(['.', '．', ',', '，']);
    let label_ok = label.chars().any(|c| !(is_number_char(c) || c.is_whitespace()));
    (label_ok && field_kind(num) == FieldKind::Number).then_some((label.trim_end(), num.trim()))
}

/// A data row of a [`Layout::Rows`] table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowRef {
    /// Index in [`Template::tables`].
    pub table: usize,
    /// Index in the table's rows.
    pub row: usize,
}

/// The labels of one edition, normalised, for lookup.
#[derive(Debug)]
pub struct LabelIndex {
    /// Own labels, aliases and ordinal-less forms → rows (several when a form is shared).
    rows: HashMap<String, Vec<RowRef>>,
    /// Group labels (outer labels of a row's path) → the table.
    groups: HashMap<String, usize>,
    /// Captions → table.
    captions: HashMap<String, usize>,
    /// Header texts and column labels → tables they belong to.
    headers: HashMap<String, Vec<usize>>,
    /// Longest own label, in chars (bounds the suffix search).
    longest: usize,
}

/// What a label field is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelHit {
    /// A table caption (`第二十条第（一）项`).
    Caption(usize),
    /// A header cell or column label of these tables.
    Header(Vec<usize>),
    /// A group label of a table (`三、本年度办理结果`, `（三）不予公开`).
    Group(usize),
    /// A data row's own label; several when the form is shared (the context decides).
    Row(Vec<RowRef>),
}

impl LabelIndex {
    /// Builds the index of a template.
    pub fn new(t: &Template) -> LabelIndex {
        let mut idx = LabelIndex {
            rows: HashMap::new(),
            groups: HashMap::new(),
            captions: HashMap::new(),
            headers: HashMap::new(),
            longest: 0,
        };
        for (ti, table) in t.tables.iter().enumerate() {
            if let Some(c) = table.caption {
                idx.captions.insert(normalize(c), ti);
            }
            let header_texts = table.header.iter().map(|h| h.text);
            let column_texts = table
                .columns
                .iter()
                .flat_map(|c| std::iter::once(c.label).chain(c.aliases.iter().copied()));
            for text in header_texts.chain(column_texts) {
                let v = idx.headers.entry(normalize(text)).or_default();
                if !v.contains(&ti) {
                    v.push(ti);
                }
            }
            if table.layout == Layout::Inline {
                // Its row labels are header cells (行政复议 …), already indexed above.
                continue;
            }
            for (ri, row) in table.rows.iter().enumerate() {
                let r = RowRef { table: ti, row: ri };
                let own = row.label_forms();
                for label in own {
                    let n = normalize(label);
                    idx.longest = idx.longest.max(n.chars().count());
                    if let Some(bare) = strip_ordinal(&n)
                        && bare.chars().count() >= 3
                    {
                        idx.add_row(bare.to_owned(), r);
                    }
                    idx.add_row(n, r);
                }
                for g in &row.labels[..row.labels.len().saturating_sub(1)] {
                    let n = normalize(g);
                    if let Some(bare) = strip_ordinal(&n)
                        && bare.chars().count() >= 3
                    {
                        idx.groups.insert(bare.to_owned(), ti);
                    }
                    idx.groups.insert(n, ti);
                }
            }
        }
        idx
    }

    fn add_row(&mut self, key: String, r: RowRef) {
        let v = self.rows.entry(key).or_default();
        if !v.contains(&r) {
            v.push(r);
        }
    }

    /// Looks up a normalised label field as a whole.
    pub fn lookup(&self, norm: &str) -> Option<LabelHit> {
        if norm.is_empty() {
            return None;
        }
        if let Some(&t) = self.captions.get(norm) {
            return Some(LabelHit::Caption(t));
        }
        // A row label wins over a group label of the same text: in 2019 （六）其他处理 is a row.
        if let Some(rows) = self.rows.get(norm) {
            return Some(LabelHit::Row(rows.clone()));
        }
        if let Some(&t) = self.groups.get(norm) {
            return Some(LabelHit::Group(t));
        }
        if let Some(ts) = self.headers.get(norm) {
            return Some(LabelHit::Header(ts.clone()));
        }
        None
    }

    /// Finds a row whose label ends `norm` (`（三）不予公开1.属于国家秘密`): the row and the text before it.
    pub fn suffix_row<'a>(&self, norm: &'a str) -> Option<(Vec<RowRef>, &'a str)> {
        let chars: Vec<(usize, char)> = norm.char_indices().collect();
        let n = chars.len();
        // Longest suffix first.
        for k in (2..=n.min(self.longest)).rev() {
            let start = chars[n - k].0;
            let suffix = &norm[start..];
            if let Some(rows) = self.rows.get(suffix) {
                return Some((rows.clone(), &norm[..start]));
            }
        }
        None
    }

    /// Whether a free line is made of header texts only (`自然人法人或其他组织总计`): greedy longest match.
    pub fn is_header_run(&self, norm: &str) -> bool {
        let mut rest = norm;
        let mut any = false;
        while !rest.is_empty() {
            let best = self
                .headers
                .keys()
                .filter(|h| !h.is_empty() && rest.starts_with(h.as_str()))
                .map(String::len)
                .max();
            match best {
                Some(len) => {
                    rest = &rest[len..];
                    any = true;
                }
                None => return false,
            }
        }
        any
    }
}

/// The labels only one edition has, normalised: they tell the edition of a published table.
pub fn edition_markers() -> Vec<(Edition, HashSet<String>)> {
    let sets: Vec<(Edition, HashSet<String>)> = Edition::ALL
        .iter()
        .map(|&e| {
            let t = e.template();
            let mut s = HashSet::new();
            for table in t.tables {
                s.extend(table.caption.map(normalize));
                s.extend(table.header.iter().map(|h| normalize(h.text)));
                s.extend(table.labels.iter().map(|l| normalize(l.text)));
                for c in table.columns {
                    s.insert(normalize(c.label));
                    s.extend(c.aliases.iter().map(|a| normalize(a)));
                }
                for r in table.rows {
                    s.extend(r.labels.iter().map(|l| normalize(l)));
                    s.extend(r.aliases.iter().map(|a| normalize(a)));
                }
            }
            (e, s)
        })
        .collect();
    sets.iter()
        .map(|(e, s)| {
            let others: HashSet<&String> = sets.iter().filter(|(o, _)| o != e).flat_map(|(_, s)| s).collect();
            (*e, s.iter().filter(|x| !others.contains(x)).cloned().collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_table() {
        let cases = [
            (
                "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)",
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ),
            ("3.危及\"三安全一稳定\"", "3.危及三安全一稳定"),
            ("3.危及“三安全一稳定”", "3.危及三安全一稳定"),
            ("商业 企业", "商业企业"),
            ("1、属于国家秘密", "1.属于国家秘密"),
            ("１．属于国家秘密", "1.属于国家秘密"),
            ("一.本年新收", "一、本年新收"),
            ("结果\u{3000}维持", "结果维持"),
        ];
        for (s, want) in cases {
            assert_eq!(normalize(s), want, "{s}");
        }
    }

    #[test]
    fn strip_ordinal_table() {
        let cases = [
            ("1.属于国家秘密", Some("属于国家秘密")),
            ("（三）不予公开", Some("不予公开")),
            ("一、本年新收", Some("本年新收")),
            ("规章", None),
            ("12", None),
        ];
        for (s, want) in cases {
            assert_eq!(strip_ordinal(s), want, "{s}");
        }
    }

    #[test]
    fn field_kinds() {
        let cases = [
            ("", FieldKind::Empty),
            ("  ", FieldKind::Empty),
            ("73", FieldKind::Number),
            ("-53", FieldKind::Number),
            ("12,372.0506", FieldKind::Number),
            ("７３", FieldKind::Number),
            ("0 0 0", FieldKind::Number),
            ("—", FieldKind::Dash),
            ("/", FieldKind::Dash),
            ("-------", FieldKind::Rule),
            ("|---|", FieldKind::Rule),
            ("规章", FieldKind::Text),
            ("1.属于国家秘密", FieldKind::Text),
        ];
        for (s, want) in cases {
            assert_eq!(field_kind(s), want, "{s:?}");
        }
    }

    #[test]
    fn trailing_numbers() {
        let cases = [
            ("规范性文件898989", Some(("规范性文件", "898989"))),
            ("规章 0 0 0", Some(("规章", "0 0 0"))),
            ("行政事业性收费 12372.0506", Some(("行政事业性收费", "12372.0506"))),
            ("1.属于国家秘密", None),
            ("规章", None),
            ("123", None),
        ];
        for (s, want) in cases {
            assert_eq!(split_trailing_number(s), want, "{s}");
        }
    }

    #[test]
    fn index_finds_rows_groups_captions_and_headers() {
        let t = Edition::E2021.template();
        let idx = LabelIndex::new(t);
        let row_id = |hit: Option<LabelHit>| match hit {
            Some(LabelHit::Row(rs)) => rs.iter().map(|r| t.tables[r.table].rows[r.row].id).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            row_id(idx.lookup(&normalize("2.其他法律法规禁止公开"))),
            ["s3.denied.prohibited"]
        );
        assert_eq!(
            row_id(idx.lookup(&normalize("属于国家秘密"))),
            ["s3.denied.state_secret"]
        );
        assert_eq!(row_id(idx.lookup(&normalize("规范性文件"))), ["s2.normative"]);
        assert!(matches!(
            idx.lookup(&normalize("（三）不予公开")),
            Some(LabelHit::Group(_))
        ));
        assert!(matches!(
            idx.lookup(&normalize("第二十条第(一)项")),
            Some(LabelHit::Caption(0))
        ));
        assert!(matches!(idx.lookup(&normalize("商业 企业")), Some(LabelHit::Header(_))));
        let both = normalize("（三）不予公开 1.属于国家秘密");
        let (rows, before) = idx.suffix_row(&both).unwrap();
        assert_eq!(t.tables[rows[0].table].rows[rows[0].row].id, "s3.denied.state_secret");
        assert_eq!(before, "（三）不予公开");
        assert!(idx.is_header_run(&normalize("自然人 法人或其他组织 总计")));
        assert!(!idx.is_header_run(&normalize("（六）其他处理")));
    }

    #[test]
    fn edition_markers_tell_the_editions_apart() {
        let m = edition_markers();
        let of = |e: Edition| &m.iter().find(|(x, _)| *x == e).unwrap().1;
        assert!(of(Edition::E2021).contains(&normalize("本年制发件数")));
        assert!(of(Edition::E2019).contains(&normalize("政府集中采购")));
        assert!(!of(Edition::E2021).contains(&normalize("规章")));
        assert!(!of(Edition::E2019).contains(&normalize("规范性文件")));
    }
}
