//! `.nianbao` project files: RON a person can read (Chinese written as is, the texts with real line breaks),
//! `format_version` first, saved atomically, loaded without ever panicking.
//!
//! A file looks like this (cells abridged):
//!
//! ```text
//! (
//!     format_version: 1,
//!     edition: "2021",
//!     year: 2025,
//!     agency: "某县人民政府",
//!     title: "",
//!     texts: (
//!         preamble: "本报告根据……
//! 第二段。",
//!         overview: "",
//!         problems: "",
//!         other: "",
//!     ),
//!     cells: {
//!         "s2.rules.issued": 0,
//!         "s2.fees.amount": "12372.0506",
//!         "s3.new.natural": None,
//!     },
//!     acknowledged: [],
//! )
//! ```
//!
//! Blank cells are `None`, apart from `0`; money is a decimal string (exact, never a float); text that is no
//! valid value for its cell (`"2.5"` in a count cell, `"abc"`) is kept as a string and reported by the `value`
//! check. The cell values are written and read by the one codec of [`Written`], shared with JSON and the
//! recovery copy.
//!
//! Versions: [`FORMAT_VERSION`] is what this program writes. Loading first reads only the version, then parses
//! the file with the structure of that version and upgrades it step by step to the current one; a file from a
//! newer version is refused with a message asking to upgrade nianbao.

use crate::fsio::{self, FileError};
use crate::report::{PreviousSummary, Report, Texts, Value, Written};
use crate::template::CellIdx;
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The format version this program writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 1;

/// The file name extension of project files (without the dot).
pub const EXTENSION: &str = "nianbao";

/// Files larger than this are refused before being read: a real report is a few tens of kilobytes.
pub const MAX_FILE_SIZE: u64 = 20 * 1024 * 1024;

/// Why the content of a project file could not be used (no path: see [`ProjectError`] for files).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not a project file at all (another kind of file, or not text).
    #[error("不是 nianbao 项目文件{0}")]
    NotProject(String),
    /// Written by a newer nianbao.
    #[error(
        "是更新版本的 nianbao 保存的（文件格式版本 {found}，本程序只能读取版本 {supported} 及以前），请升级 nianbao"
    )]
    TooNew {
        /// The version in the file.
        found: u64,
        /// The newest version this program reads.
        supported: u32,
    },
    /// A project file, but damaged or edited by hand into something invalid.
    #[error("已损坏，无法读取{}：{detail}", position(*line, *col))]
    Corrupt {
        /// Line of the problem (1-based).
        line: usize,
        /// Column of the problem (1-based).
        col: usize,
        /// What is wrong.
        detail: String,
    },
    /// The report could not be written as RON (should not happen).
    #[error("无法生成项目文件内容：{0}")]
    Serialize(String),
}

/// Where in the file, for [`FormatError::Corrupt`]; nothing when the problem is not at one place (line 0).
fn position(line: usize, col: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("（第{line}行第{col}列附近）")
    }
}

/// Why a project file could not be read or written. The message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// No file at this path.
    #[error("文件不存在：{}", path.display())]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// The file exists but could not be read.
    #[error("无法读取「{}」：{reason}", path.display())]
    Read {
        /// The path.
        path: PathBuf,
        /// Why, in Chinese where we know the cause.
        reason: String,
    },
    /// The file is far larger than any report.
    #[error("「{}」太大（{size} 字节，超过 {} MB），不是年度报告文件", path.display(), MAX_FILE_SIZE / 1024 / 1024)]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The content is not a usable project.
    #[error("「{}」{source}", path.display())]
    Format {
        /// The path.
        path: PathBuf,
        /// What is wrong with the content.
        source: FormatError,
    },
    /// Saving failed; the previous file, if any, is unchanged.
    #[error("无法保存「{}」：{reason}（原有文件未被改动）", path.display())]
    Write {
        /// The path.
        path: PathBuf,
        /// Why, in Chinese where we know the cause.
        reason: String,
    },
}

pub use crate::fsio::io_reason;

/// Reads a whole file, refusing anything that is not a regular file (a folder, a FIFO, a device) and files over
/// [`MAX_FILE_SIZE`] before reading them.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ProjectError> {
    fsio::read_capped(path, MAX_FILE_SIZE).map_err(|e| match e {
        FileError::NotFound => ProjectError::NotFound {
            path: path.to_path_buf(),
        },
        FileError::TooLarge { size, .. } => ProjectError::TooLarge {
            path: path.to_path_buf(),
            size,
        },
        e => ProjectError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    })
}

/// Loads a project file.
pub fn load(path: &Path) -> Result<Report, ProjectError> {
    let bytes = read_file(path)?;
    from_bytes(&bytes).map_err(|source| ProjectError::Format {
        path: path.to_path_buf(),
        source,
    })
}

/// Saves a project file atomically: the previous file stays intact if anything fails.
pub fn save(path: &Path, report: &Report) -> Result<(), ProjectError> {
    save_stamped(path, report).map(drop)
}

/// Saves like [`save`] and returns the [`DiskStamp`] of the bytes written, so that a later save can tell
/// whether another program changed the file in between.
pub fn save_stamped(path: &Path, report: &Report) -> Result<DiskStamp, ProjectError> {
    let text = to_string(report).map_err(|source| ProjectError::Format {
        path: path.to_path_buf(),
        source,
    })?;
    fsio::write_atomic(path, text.as_bytes()).map_err(|e| ProjectError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(DiskStamp::of_bytes(text.as_bytes()))
}

/// What a file held when it was opened or saved: its length and a hash of its bytes. Comparing the content,
/// not the modified time, means a `touch` or a copy of the same bytes is no change, while an edit that keeps the
/// length and lands in the same second still is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    len: u64,
    hash: u64,
}

/// How a file compares with its [`DiskStamp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskChange {
    /// Same bytes as when stamped.
    Unchanged,
    /// Other bytes: another program wrote the file.
    Modified,
    /// The file is gone (deleted, moved) or can no longer be read.
    Missing,
}

impl DiskStamp {
    /// The stamp of these bytes.
    pub fn of_bytes(bytes: &[u8]) -> DiskStamp {
        // std's hasher: plenty for telling "the same file" from "another program wrote it" within one run.
        DiskStamp {
            len: bytes.len() as u64,
            hash: fsio::fingerprint(bytes),
        }
    }

    /// The stamp of the file at `path` now; `None` when it cannot be read (missing, a folder, too large).
    pub fn of(path: &Path) -> Option<DiskStamp> {
        read_file(path).ok().map(|b| DiskStamp::of_bytes(&b))
    }

    /// How the file at `path` compares with this stamp. Reads the file (a report is a few tens of kilobytes).
    pub fn compare(&self, path: &Path) -> DiskChange {
        // The length first: a different length needs no read.
        match fs::metadata(path) {
            Ok(m) if m.is_file() && m.len() != self.len => return DiskChange::Modified,
            Ok(m) if m.is_file() => {}
            _ => return DiskChange::Missing,
        }
        match DiskStamp::of(path) {
            Some(now) if now == *self => DiskChange::Unchanged,
            Some(_) => DiskChange::Modified,
            None => DiskChange::Missing,
        }
    }

    /// Whether the file at `path` is no longer what was stamped (changed, deleted or unreadable).
    pub fn changed(&self, path: &Path) -> bool {
        self.compare(path) != DiskChange::Unchanged
    }
}

/// The project file content for `report` (current [`FORMAT_VERSION`]).
pub fn to_string(report: &Report) -> Result<String, FormatError> {
    // Exhaustive on purpose: a field added to `Report` must be added to the file too, or this stops compiling.
    let Report {
        edition,
        year,
        agency,
        title,
        texts,
        cells: _,
        acknowledged,
        previous,
    } = report;
    let file = ProjectFileOut {
        format_version: FORMAT_VERSION,
        edition: edition.id(),
        year: *year,
        agency,
        title,
        texts,
        cells: CellsOut(report),
        acknowledged,
        previous: previous.as_ref(),
    };
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .new_line("\n")
        // Real line breaks in the texts; strings with `"` or `\` become raw strings r#"…"#.
        .escape_strings(false);
    let mut s = ron::ser::to_string_pretty(&file, config).map_err(|e| FormatError::Serialize(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Reads a project from bytes: UTF-8 (a BOM is allowed), never panics.
pub fn from_bytes(bytes: &[u8]) -> Result<Report, FormatError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FormatError::NotProject("（不是 UTF-8 文本）".to_string()))?;
    from_str(text)
}

/// Reads a project from its text, upgrading older format versions. Never panics.
pub fn from_str(text: &str) -> Result<Report, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let version = peek_version(text)?;
    match version {
        0 => Err(FormatError::NotProject("（格式版本为 0）".to_string())),
        1 => v1::parse(text),
        // When version 2 comes: `2 => v2::parse(text)`, and `1 => v1::parse(text).map(v2::upgrade)`, so that
        // every older version is read by its own structure, then upgraded step by step.
        found => Err(FormatError::TooNew {
            found,
            supported: FORMAT_VERSION,
        }),
    }
}

/// Whether `text` looks like a project file (a RON structure with a `format_version`), without parsing all of it.
pub fn looks_like_project(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    peek_version(text).is_ok() || matches!(from_str(text), Err(FormatError::Corrupt { .. }))
}

/// Only the version, every other field ignored.
#[derive(Deserialize)]
struct VersionOnly {
    format_version: u64,
}

/// The format version of a project text, reading nothing else.
fn peek_version(text: &str) -> Result<u64, FormatError> {
    match ron::from_str::<VersionOnly>(text) {
        Ok(v) => Ok(v.format_version),
        Err(e) => match scan_version(text) {
            // A newer version may use syntax we cannot parse: still say that it is newer.
            Some(found) if found > u64::from(FORMAT_VERSION) => Err(FormatError::TooNew {
                found,
                supported: FORMAT_VERSION,
            }),
            Some(_) => Err(corrupt(&e)),
            None => Err(FormatError::NotProject(String::new())),
        },
    }
}

/// Finds `format_version: N` near the start of the text by hand (for files that do not parse).
fn scan_version(text: &str) -> Option<u64> {
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    let start = head.find("format_version")? + "format_version".len();
    let rest = head[start..].trim_start().strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A RON error as [`FormatError::Corrupt`], with its position.
fn corrupt(e: &ron::error::SpannedError) -> FormatError {
    FormatError::Corrupt {
        line: e.span.start.line,
        col: e.span.start.col,
        detail: ron_detail(&e.code),
    }
}

/// A Chinese description of a RON error ([`crate::messages::ron_message`]).
fn ron_detail(code: &ron::Error) -> String {
    crate::messages::ron_message(code)
}

/// Version 1 of the file format.
mod v1 {
    use super::{CellsIn, FormatError, PreviousSummary, Report, Texts, Value, corrupt};
    use crate::template::Edition;
    use serde::{Deserialize, Deserializer, de};
    use std::collections::BTreeSet;

    /// The version 1 structure, as read.
    #[derive(Deserialize)]
    struct ProjectV1 {
        #[allow(dead_code)] // Read by `peek_version`; kept here so the structure is complete.
        format_version: u64,
        #[serde(deserialize_with = "edition_id")]
        edition: Edition,
        year: i32,
        agency: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        texts: Texts,
        cells: CellsIn,
        #[serde(default)]
        acknowledged: BTreeSet<String>,
        #[serde(default)]
        previous: Option<PreviousSummary>,
    }

    /// The edition written as its id, `"2021"`.
    fn edition_id<'de, D: Deserializer<'de>>(d: D) -> Result<Edition, D::Error> {
        let id = String::deserialize(d)?;
        Edition::from_id(&id).ok_or_else(|| de::Error::custom(format!("没有「{id}」这一格式版本（应为 2019 或 2021）")))
    }

    /// Parses a version 1 file into a report.
    pub(super) fn parse(text: &str) -> Result<Report, FormatError> {
        let f: ProjectV1 = ron::from_str(text).map_err(|e| corrupt(&e))?;
        for (name, value) in [("agency", &f.agency), ("title", &f.title)] {
            crate::fields::check_one_line(value).map_err(|e| FormatError::Corrupt {
                line: 0,
                col: 0,
                detail: format!("「{name}」{e}"),
            })?;
        }
        let mut report = Report::new(f.edition, f.year, f.agency);
        report.title = f.title;
        report.texts = f.texts;
        report.acknowledged = f.acknowledged;
        report.previous = f.previous;
        let t = f.edition.template();
        for (id, v) in f.cells.0 {
            let Some(i) = t.cell_index(&id) else {
                return Err(FormatError::Corrupt {
                    line: 0,
                    col: 0,
                    detail: format!("第{}版格式中没有单元格「{id}」", f.edition.id()),
                });
            };
            report.cells[i] = Value::read(t.cells[i].kind, v);
        }
        Ok(report)
    }
}

/// The current structure, as written. Field order is file order: `format_version` first.
#[derive(Serialize)]
struct ProjectFileOut<'a> {
    format_version: u32,
    edition: &'a str,
    year: i32,
    agency: &'a str,
    title: &'a str,
    texts: &'a Texts,
    cells: CellsOut<'a>,
    acknowledged: &'a BTreeSet<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<&'a PreviousSummary>,
}

/// Every cell of the report, as a map from id to value in template order.
struct CellsOut<'a>(&'a Report);

impl Serialize for CellsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0.template();
        let mut m = s.serialize_map(Some(t.cells.len()))?;
        for (i, c) in t.cells.iter().enumerate() {
            m.serialize_entry(c.id, &self.0.get(i as CellIdx).written(c.kind))?;
        }
        m.end()
    }
}

/// Cells as read: id and value, in file order; a repeated id is refused (it would silently hide a value).
struct CellsIn(Vec<(String, Written)>);

impl<'de> Deserialize<'de> for CellsIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CellsIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("单元格表（单元格编号 → 数值）")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CellsIn, A::Error> {
                let mut seen = BTreeSet::new();
                let mut cells = Vec::new();
                while let Some((id, v)) = map.next_entry::<String, Written>()? {
                    if !seen.insert(id.clone()) {
                        return Err(de::Error::custom(format!("单元格「{id}」出现了两次")));
                    }
                    cells.push((id, v));
                }
                Ok(CellsIn(cells))
            }
        }
        d.deserialize_map(V)
    }
}

/// Writes `bytes` to `path` the one way nianbao saves files ([`fsio::write_atomic`]), for callers that work
/// with `io::Error`; [`io_reason`] gives its Chinese reason.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fsio::write_atomic(path, bytes).map_err(FileError::into_io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;
    use rust_decimal::Decimal;
    use std::fs::File;
    use std::io::{self, Write};

    fn sample() -> Report {
        let mut r = Report::new(Edition::E2021, 2025, "某县人民政府");
        r.texts.preamble = "本报告根据《条例》编制。\n\n第二段：“引号”与\"直引号\"、反斜杠\\。".to_string();
        r.texts.other = "本年度未收取信息处理费。".to_string();
        r.set_by_id("s3.new.natural", Value::Int(0));
        r.set_by_id("s3.new.commercial", Value::Int(12));
        r.set_by_id("s2.fees.amount", Value::Money(Decimal::new(123_720_506, 4)));
        r.acknowledged.insert("blank:s3.new.research".to_string());
        r
    }

    #[test]
    fn writes_readable_ron_version_first() {
        let s = to_string(&sample()).unwrap();
        let first_field = s.lines().nth(1).unwrap().trim();
        assert_eq!(first_field, "format_version: 1,");
        assert!(s.contains("edition: \"2021\""), "{s}");
        assert!(
            s.contains("agency: \"某县人民政府\""),
            "Chinese must not be escaped:\n{s}"
        );
        assert!(
            s.contains("本报告根据《条例》编制。\n\n第二段"),
            "real line breaks:\n{s}"
        );
        assert!(s.contains("\"s3.new.natural\": 0,"), "{s}");
        assert!(s.contains("\"s3.new.research\": None,"), "{s}");
        assert!(s.contains("\"s2.fees.amount\": \"12372.0506\""), "{s}");
        assert!(!s.contains("\\u"), "{s}");
    }

    #[test]
    fn values_are_written_in_a_form_that_reads_back_the_same() {
        let t = Edition::E2019.template();
        let money = t.cell_index("s2.procurement.amount").unwrap();
        let count = t.cell_index("s3.new.natural").unwrap();
        let cases: &[(CellIdx, Value, &str, Value)] = &[
            (
                money,
                Value::Int(5),
                "\"5.0000\"",
                Value::Money(Decimal::new(50_000, 4)),
            ),
            (
                money,
                Value::Money(Decimal::new(5, 0)),
                "\"5.0000\"",
                Value::Money(Decimal::new(5, 0)),
            ),
            (
                money,
                Value::Money(Decimal::new(123_456, 5)),
                "\"1.23456\"",
                Value::Money(Decimal::new(123_456, 5)),
            ),
            (money, Value::Blank, "None", Value::Blank),
            (count, Value::Money(Decimal::new(2, 0)), "2", Value::Int(2)),
            // A fraction or text in a count cell: kept as written, as invalid text (never rounded, never refused).
            (
                count,
                Value::Money(Decimal::new(15, 1)),
                "\"1.5\"",
                Value::Invalid("1.5".into()),
            ),
            (count, Value::Int(-3), "-3", Value::Int(-3)),
            (
                count,
                Value::Invalid("2.5".into()),
                "\"2.5\"",
                Value::Invalid("2.5".into()),
            ),
            (
                count,
                Value::Invalid("abc \"x\"".into()),
                "r#\"abc \"x\"\"#",
                Value::Invalid("abc \"x\"".into()),
            ),
            (
                money,
                Value::Invalid("1.5万".into()),
                "\"1.5万\"",
                Value::Invalid("1.5万".into()),
            ),
        ];
        for (cell, v, written, read) in cases {
            let mut r = Report::new(Edition::E2019, 2020, "甲");
            r.set(*cell, v.clone());
            let s = to_string(&r).unwrap();
            let line = format!("\"{}\": {written},", t.cells[*cell].id);
            assert!(s.contains(&line), "{v:?}: want {line}");
            let back = from_str(&s).unwrap();
            assert_eq!(&back.get(*cell), read, "{v:?}");
            let again = to_string(&back).unwrap();
            if v == read {
                assert_eq!(again, s, "{v:?}");
            }
            assert_eq!(from_str(&again).unwrap(), back, "{v:?}: stable from the second save on");
        }
    }

    #[test]
    fn round_trip_is_exact_and_byte_identical() {
        for r in [sample(), Report::new(Edition::E2019, 2020, "")] {
            let s = to_string(&r).unwrap();
            let back = from_str(&s).unwrap();
            assert_eq!(back, r);
            assert_eq!(to_string(&back).unwrap(), s);
        }
    }

    #[test]
    fn last_years_summary_is_kept() {
        let mut last = Report::new(Edition::E2019, 2020, "某县人民政府");
        last.set_by_id("s3.carried_out.natural", Value::Int(9));
        let mut r = sample();
        r.previous = Some(PreviousSummary::of(&last, Some("2020.nianbao".into())));
        let s = to_string(&r).unwrap();
        assert!(s.contains("previous:"), "{s}");
        let back = from_str(&s).unwrap();
        assert_eq!(back, r);
        assert_eq!(to_string(&back).unwrap(), s);
        assert!(
            !to_string(&sample()).unwrap().contains("previous"),
            "absent when there is none"
        );
    }

    #[test]
    fn versions() {
        let s = to_string(&sample()).unwrap();
        let newer = s.replacen("format_version: 1", "format_version: 2", 1);
        assert_eq!(from_str(&newer), Err(FormatError::TooNew { found: 2, supported: 1 }));
        let msg = from_str(&newer).unwrap_err().to_string();
        assert!(msg.contains("请升级 nianbao"), "{msg}");
        // A newer file with syntax this version cannot read is still recognised as newer.
        let newer_syntax = "(format_version: 7, edition: 2099, something: new_thing!())";
        assert!(matches!(
            from_str(newer_syntax),
            Err(FormatError::TooNew { found: 7, .. })
        ));
        let zero = s.replacen("format_version: 1", "format_version: 0", 1);
        assert!(matches!(from_str(&zero), Err(FormatError::NotProject(_))));
    }

    #[test]
    fn refusals_table() {
        let good = to_string(&sample()).unwrap();
        let cases: &[(&str, &str)] = &[
            ("", "不是 nianbao 项目文件"),
            ("二、主动公开政府信息情况", "不是 nianbao 项目文件"),
            ("{\"format\": \"nianbao-report\"}", "不是 nianbao 项目文件"),
            ("(format_version: 1)", "缺少「edition」"),
            (
                "(format_version: 1, edition: \"2021\", year: 2025, agency: \"x\")",
                "缺少「cells」",
            ),
            (
                "(format_version: 1, edition: \"2021\", year: 2025, agency: \"x\"",
                "已损坏",
            ),
            (
                "(format_version: 1, edition: \"2021\", year: 2025, agency: \"x\", cells: {\"s9.nope\": 1})",
                "没有单元格「s9.nope」",
            ),
            (
                "(format_version: 1, edition: \"2021\", year: 2025, agency: \"x\", cells: {\"s3.new.natural\": 1, \"s3.new.natural\": 2})",
                "出现了两次",
            ),
            (
                "(format_version: 1, edition: \"2030\", year: 2025, agency: \"x\", cells: {})",
                "没有「2030」这一格式版本",
            ),
        ];
        for (text, want) in cases {
            let msg = from_str(text).unwrap_err().to_string();
            assert!(msg.contains(want), "{text:?}: {msg}");
        }
        // Text that is no valid value is kept as written, not refused (the `value` check reports it).
        let kept =
            "(format_version: 1, edition: \"2021\", year: 2025, agency: \"x\", cells: {\"s3.new.natural\": \"abc\"})";
        assert_eq!(
            from_str(kept).unwrap().value("s3.new.natural"),
            Some(Value::Invalid("abc".into()))
        );
        // Truncated anywhere: refused, never a panic.
        for cut in (0..good.trim_end().len())
            .filter(|&i| good.is_char_boundary(i))
            .step_by(7)
        {
            assert!(from_str(&good[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(
            from_bytes(b"\xff\xfe(format"),
            Err(FormatError::NotProject(_))
        ));
    }

    #[test]
    fn missing_cells_are_blank_and_order_does_not_matter() {
        let text = "// hand-written\n(format_version: 1, edition: \"2019\", year: 2020, agency: \"甲\", \
                    cells: {\"s3.new.total\": 5, \"s2.procurement.amount\": \"1.5\"})";
        let r = from_str(text).unwrap();
        assert_eq!(r.value("s3.new.total"), Some(Value::Int(5)));
        assert_eq!(
            r.value("s2.procurement.amount"),
            Some(Value::Money(Decimal::new(15, 1)))
        );
        assert_eq!(r.value("s3.new.natural"), Some(Value::Blank));
        assert!(looks_like_project(text));
        assert!(!looks_like_project("一、总体情况"));
    }

    #[test]
    fn save_and_load_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报告.nianbao");
        save(&path, &sample()).unwrap();
        assert_eq!(load(&path).unwrap(), sample());
        let bytes = fs::read(&path).unwrap();
        save(&path, &load(&path).unwrap()).unwrap();
        assert_eq!(fs::read(&path).unwrap(), bytes, "save → load → save is byte-identical");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");

        let missing = dir.path().join("无.nianbao");
        let e = load(&missing).unwrap_err();
        assert!(matches!(e, ProjectError::NotFound { .. }));
        assert!(
            e.to_string().contains("文件不存在") && e.to_string().contains("无.nianbao"),
            "{e}"
        );

        let e = load(dir.path()).unwrap_err();
        assert!(e.to_string().contains("文件夹"), "{e}");

        let text = dir.path().join("a.txt");
        fs::write(&text, "一、总体情况").unwrap();
        let e = load(&text).unwrap_err();
        assert!(
            e.to_string().contains("a.txt") && e.to_string().contains("不是 nianbao 项目文件"),
            "{e}"
        );
    }

    #[test]
    fn huge_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.nianbao");
        let f = File::create(&path).unwrap();
        f.set_len(MAX_FILE_SIZE + 1).unwrap(); // sparse: no real 20 MB written
        assert!(matches!(load(&path), Err(ProjectError::TooLarge { .. })));
    }

    #[test]
    fn failed_save_keeps_the_old_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.nianbao");
        fs::write(&path, "old").unwrap();
        let err = crate::fsio::write_atomic_with(&path, |f| {
            f.write_all(b"half")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        })
        .unwrap_err();
        assert!(
            matches!(&err, FileError::Io(e) if e.kind() == io::ErrorKind::StorageFull),
            "{err:?}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "temporary file removed");

        // Saving over a directory fails at the rename: directory untouched, temp removed.
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("keep"), "x").unwrap();
        let e = save(&sub, &sample()).unwrap_err();
        assert!(e.to_string().contains("无法保存"), "{e}");
        assert!(sub.join("keep").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);

        // A missing directory: a clear error, nothing created.
        let e = save(&dir.path().join("no/such/dir.nianbao"), &sample()).unwrap_err();
        assert!(matches!(e, ProjectError::Write { .. }), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn save_through_a_symlink_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.nianbao");
        let link = dir.path().join("link.nianbao");
        save(&real, &Report::new(Edition::E2021, 2021, "甲")).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save(&link, &sample()).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(load(&real).unwrap(), sample());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Blank),
                any::<i64>().prop_map(Value::Int),
                (any::<i64>(), 0u32..=10).prop_map(|(m, s)| Value::Money(Decimal::new(m, s))),
                (any::<i128>(), 0u32..=28).prop_map(|(m, s)| Decimal::try_from_i128_with_scale(m >> 32, s)
                    .map_or(Value::Blank, Value::Money)),
                // What a clerk may type, valid or not (then kept as invalid text).
                "[0-9.,+\\-－０-９ a-z件\"#\\\\\n]{0,12}".prop_map(Value::Invalid),
                any::<String>().prop_map(Value::Invalid),
            ]
        }

        fn report() -> impl Strategy<Value = Report> {
            (
                prop_oneof![Just(Edition::E2019), Just(Edition::E2021)],
                any::<i32>(),
                // Agency and title are one line (the file refuses line breaks and TAB in them: `check_one_line`).
                "[^\t\r\n\u{0b}\u{0c}\u{85}\u{2028}\u{2029}]*",
                "[^\t\r\n\u{0b}\u{0c}\u{85}\u{2028}\u{2029}]*",
                [any::<String>(), any::<String>(), any::<String>(), "[\\PC\n\r\"#\\\\]*"],
                prop::collection::vec(value(), 0..80),
                prop::collection::btree_set(any::<String>(), 0..3),
            )
                .prop_map(|(e, year, agency, title, [a, b, c, d], vals, ack)| {
                    let mut r = Report::new(e, year, agency);
                    r.title = title;
                    r.texts = Texts {
                        preamble: a,
                        overview: b,
                        problems: c,
                        other: d,
                    };
                    // What a cell can hold: any value fitted to its cell (invalid text read again for it).
                    let t = e.template();
                    for (i, v) in vals.into_iter().enumerate() {
                        if let Some(c) = t.cells.get(i * 3) {
                            r.set(i * 3, v.for_kind(c.kind));
                        }
                    }
                    r.acknowledged = ack;
                    r
                })
        }

        proptest! {
            #[test]
            fn any_report_round_trips_byte_identically(r in report()) {
                let s = to_string(&r).unwrap();
                let back = from_str(&s).unwrap();
                prop_assert_eq!(&to_string(&back).unwrap(), &s);
                // Everything comes back; a value only in its written form (an integer in a money cell is money).
                let same_cells = r.cells.iter().zip(&back.cells).all(|(a, b)| {
                    a.is_blank() == b.is_blank() && a.as_decimal() == b.as_decimal()
                });
                prop_assert!(same_cells);
                prop_assert_eq!(&back.cells, &r.cells, "every cell as it was, invalid text included");
                let mut r = r;
                r.cells.clone_from(&back.cells);
                prop_assert_eq!(back, r);
            }

            #[test]
            fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
                let _ = from_bytes(&bytes);
            }

            #[test]
            fn mutated_files_never_panic(
                edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
            ) {
                let mut bytes = to_string(&super::sample()).unwrap().into_bytes();
                for (at, byte, op) in edits {
                    if bytes.is_empty() { break; }
                    let i = at.index(bytes.len());
                    match op {
                        0 => bytes[i] = byte,
                        1 => { bytes.remove(i); }
                        _ => bytes.insert(i, byte),
                    }
                }
                let _ = from_bytes(&bytes);
            }
        }
    }

    #[test]
    fn disk_stamp_tells_what_happened_to_the_file() {
        type Case<'a> = (&'a str, Option<&'a [u8]>, DiskChange);
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("测试 目录");
        fs::create_dir(&sub).unwrap();
        let path = sub.join("报告 2025.nianbao");
        let stamp = save_stamped(&path, &sample()).unwrap();
        assert_eq!(DiskStamp::of(&path), Some(stamp), "the stamp is of the bytes written");
        let bytes = fs::read(&path).unwrap();
        let mut same_len = bytes.clone();
        // One digit changed: same length, other content.
        let pos = same_len.iter().position(u8::is_ascii_digit).unwrap();
        same_len[pos] = if same_len[pos] == b'9' { b'8' } else { same_len[pos] + 1 };
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"\n");
        let cases: &[Case<'_>] = &[
            ("untouched", None, DiskChange::Unchanged),
            ("same bytes written again", Some(&bytes), DiskChange::Unchanged),
            ("same length, other content", Some(&same_len), DiskChange::Modified),
            ("longer", Some(&longer), DiskChange::Modified),
            ("emptied", Some(b""), DiskChange::Modified),
        ];
        for &(name, write, want) in cases {
            if let Some(w) = write {
                fs::write(&path, w).unwrap();
            }
            assert_eq!(stamp.compare(&path), want, "{name}");
            assert_eq!(stamp.changed(&path), want != DiskChange::Unchanged, "{name}");
            fs::write(&path, &bytes).unwrap();
        }
        fs::remove_file(&path).unwrap();
        assert_eq!(stamp.compare(&path), DiskChange::Missing);
        assert!(stamp.changed(&path));
        // A folder where the file was is not the file.
        fs::create_dir(&path).unwrap();
        assert_eq!(stamp.compare(&path), DiskChange::Missing);
        assert_eq!(DiskStamp::of(&path), None);
    }

    #[test]
    fn disk_stamp_of_bytes_differs_for_different_content() {
        let a = DiskStamp::of_bytes(b"abc");
        assert_eq!(a, DiskStamp::of_bytes(b"abc"));
        assert_ne!(a, DiskStamp::of_bytes(b"abd"));
        assert_ne!(a, DiskStamp::of_bytes(b"abc "));
        assert_ne!(DiskStamp::of_bytes(b""), DiskStamp::of_bytes(b"\0"));
    }
}
