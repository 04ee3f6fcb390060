//! The JSON object of `interfaces.md`: what `export --format json` writes and what other systems feed in.
//!
//! ```json
//! { "format": "nianbao-report", "format_version": 1, "edition": "2021", "year": 2021, "agency": "…",
//!   "title": "…", "text": { "preamble": "…", "overview": "…", "problems": "…", "other": "…" },
//!   "cells": { "s2.rules.issued": 0, "s2.fees.amount": "12372.0506", "s4.review.total": null } }
//! ```
//!
//! Every cell of the edition is written, in template order: integers as numbers, money as a decimal string
//! with 4 places, blank as `null`. Two things are normalised on the way back: a title equal to the standard
//! one is stored as "use the standard title" (empty), and a money cell always holds a decimal. The warnings a
//! clerk marked 已核实 belong to the project file and are not part of this object.

use crate::report::{Report, Value, Written};
use crate::template::{Edition, Template, TextId};
use serde::Deserialize;
use serde_json::{Map, Value as Json, json};

/// The value of the `format` key.
pub const FORMAT: &str = "nianbao-report";
/// The newest `format_version` this program reads and the one it writes.
pub const FORMAT_VERSION: u64 = 1;

/// Why a JSON report could not be read. The Display text is the Chinese message for the clerk.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not valid JSON at all.
    #[error("不是有效的JSON（第{line}行第{column}列）")]
    Syntax {
        /// Line of the error (1-based).
        line: usize,
        /// Column of the error (1-based).
        column: usize,
    },
    /// Valid JSON, but not an object.
    #[error("JSON内容不是一个报告对象")]
    NotAnObject,
    /// The `format` key is missing or names another format.
    #[error("这不是nianbao导出的年度报告（format应为「nianbao-report」，实际为「{0}」）")]
    WrongFormat(String),
    /// Written by a newer nianbao.
    #[error("文件格式版本{found}比本程序支持的版本{supported}新，请升级nianbao后再打开")]
    NewerVersion {
        /// The version in the file.
        found: u64,
        /// The newest version this program reads.
        supported: u64,
    },
    /// A required key is missing.
    #[error("缺少「{0}」")]
    Missing(&'static str),
    /// A key holds the wrong type of value.
    #[error("「{key}」应为{expected}")]
    WrongType {
        /// The key.
        key: String,
        /// What it should hold, in Chinese.
        expected: &'static str,
    },
    /// An edition id that is neither 2019 nor 2021.
    #[error("未知的格式版本「{0}」（应为2019或2021）")]
    UnknownEdition(String),
    /// A key of `text` that is none of the four texts.
    #[error("「text」中有未知的部分「{0}」（应为preamble、overview、problems或other）")]
    UnknownText(String),
    /// A cell id the edition does not have.
    #[error("第{edition}版格式中没有单元格「{id}」")]
    UnknownCell {
        /// The edition id.
        edition: &'static str,
        /// The id found.
        id: String,
    },
    /// A cell value that is not a number, a decimal string or null.
    #[error("单元格「{label}」的值无法识别：{message}")]
    BadValue {
        /// The cell's Chinese name.
        label: &'static str,
        /// Why.
        message: String,
    },
}

/// The report as the JSON object of `interfaces.md`.
pub fn to_json(report: &Report) -> Json {
    let t = report.template();
    let mut text = Map::new();
    for id in TextId::ALL {
        text.insert(id.key().to_owned(), Json::String(report.texts.get(id).to_owned()));
    }
    let mut cells = Map::new();
    for (i, cell) in t.cells.iter().enumerate() {
        // The one codec of cell values (`report::Written`): invalid text is written as it is.
        let j = match report.get(i).written(cell.kind) {
            Written::Blank => Json::Null,
            Written::Int(n) => Json::from(n),
            Written::Text(s) => Json::String(s),
        };
        cells.insert(cell.id.to_owned(), j);
    }
    json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "edition": report.edition.id(),
        "year": report.year,
        "agency": report.agency,
        "title": report.display_title(),
        "text": text,
        "cells": cells,
    })
}

/// The JSON object as text: pretty-printed (one cell per line, Chinese written as is), with a final newline.
pub fn to_json_string(report: &Report) -> String {
    // Serialising a `serde_json::Value` to a string cannot fail (all keys are strings).
    let mut s = serde_json::to_string_pretty(&to_json(report)).unwrap_or_default();
    s.push('\n');
    s
}

/// Reads a report from the JSON text of [`to_json`].
pub fn from_json(s: &str) -> Result<Report, JsonError> {
    let v: Json = serde_json::from_str(s).map_err(|e| JsonError::Syntax {
        line: e.line(),
        column: e.column(),
    })?;
    from_value(&v)
}

/// Reads a report from the JSON object of [`to_json`] (e.g. the `report` part of `import --json`).
///
/// Tolerant of missing `title`, `text` (or some of its four parts), `agency` and cells (blank), and of a
/// missing `edition` (taken from the year). Refuses another `format`, a newer `format_version`, unknown
/// cell ids and values that are not numbers.
pub fn from_value(v: &Json) -> Result<Report, JsonError> {
    let obj = v.as_object().ok_or(JsonError::NotAnObject)?;
    match obj.get("format") {
        Some(Json::String(f)) if f == FORMAT => {}
        Some(Json::String(f)) => return Err(JsonError::WrongFormat(f.clone())),
        Some(other) => return Err(JsonError::WrongFormat(other.to_string())),
        None => return Err(JsonError::Missing("format")),
    }
    let version = obj
        .get("format_version")
        .ok_or(JsonError::Missing("format_version"))?
        .as_u64()
        .ok_or_else(|| wrong_type("format_version", "正整数"))?;
    if version > FORMAT_VERSION {
        return Err(JsonError::NewerVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let year = obj
        .get("year")
        .ok_or(JsonError::Missing("year"))?
        .as_i64()
        .and_then(|y| i32::try_from(y).ok())
        .ok_or_else(|| wrong_type("year", "年份数字"))?;
    let edition = match obj.get("edition") {
        None | Some(Json::Null) => Edition::for_year(year),
        Some(Json::String(s)) => Edition::from_id(s).ok_or_else(|| JsonError::UnknownEdition(s.clone()))?,
        Some(Json::Number(n)) => {
            Edition::from_id(&n.to_string()).ok_or_else(|| JsonError::UnknownEdition(n.to_string()))?
        }
        Some(_) => return Err(wrong_type("edition", "字符串\"2019\"或\"2021\"")),
    };
    let agency = optional_string(obj, "agency")?;
    let mut report = Report::new(edition, year, agency);
    let title = optional_string(obj, "title")?;
    // Compare trimmed on both sides: an agency name with stray spaces gives a standard title with them too.
    if title.trim() != Template::title(&report.agency, year).trim() {
        report.title = title;
    }
    match obj.get("text") {
        None | Some(Json::Null) => {}
        Some(Json::Object(text)) => {
            for (key, value) in text {
                let id = TextId::ALL
                    .into_iter()
                    .find(|id| id.key() == key)
                    .ok_or_else(|| JsonError::UnknownText(key.clone()))?;
                *report.texts.get_mut(id) = match value {
                    Json::Null => String::new(),
                    Json::String(s) => s.clone(),
                    _ => return Err(wrong_type(&format!("text.{key}"), "字符串")),
                };
            }
        }
        Some(_) => return Err(wrong_type("text", "对象")),
    }
    let t = edition.template();
    let cells = match obj.get("cells") {
        Some(Json::Object(cells)) => cells,
        Some(_) => return Err(wrong_type("cells", "对象")),
        None => return Err(JsonError::Missing("cells")),
    };
    for (id, value) in cells {
        let i = t.cell_index(id).ok_or_else(|| JsonError::UnknownCell {
            edition: edition.id(),
            id: id.clone(),
        })?;
        let cell = &t.cells[i];
        let w = Written::deserialize(value).map_err(|e| JsonError::BadValue {
            label: cell.label,
            message: e.to_string(),
        })?;
        // Money is always a decimal, also when another system wrote a plain number; what is no valid value for
        // the cell is kept as invalid text (the `value` check reports it).
        report.set(i, Value::read(cell.kind, w));
    }
    Ok(report)
}

fn wrong_type(key: &str, expected: &'static str) -> JsonError {
    JsonError::WrongType {
        key: key.to_owned(),
        expected,
    }
}

/// A string key that may be missing or null (then empty).
fn optional_string(obj: &Map<String, Json>, key: &'static str) -> Result<String, JsonError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(String::new()),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(_) => Err(wrong_type(key, "字符串")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal(extra: &str) -> String {
        format!(r#"{{"format":"nianbao-report","format_version":1,"edition":"2021","year":2021,"cells":{{}}{extra}}}"#)
    }

    #[test]
    fn refusals_have_chinese_messages() {
        let cases: &[(&str, &str)] = &[
            ("not json", "不是有效的JSON（第1行第2列）"),
            ("[1]", "JSON内容不是一个报告对象"),
            (
                r#"{"format":"other","format_version":1,"year":2021,"cells":{}}"#,
                "实际为「other」",
            ),
            (r#"{"format_version":1,"year":2021,"cells":{}}"#, "缺少「format」"),
            (
                r#"{"format":"nianbao-report","format_version":2,"year":2021,"cells":{}}"#,
                "文件格式版本2比本程序支持的版本1新",
            ),
            (
                r#"{"format":"nianbao-report","format_version":1,"cells":{}}"#,
                "缺少「year」",
            ),
            (
                r#"{"format":"nianbao-report","format_version":1,"year":2021,"edition":"2030","cells":{}}"#,
                "未知的格式版本「2030」",
            ),
            (
                r#"{"format":"nianbao-report","format_version":1,"year":2021}"#,
                "缺少「cells」",
            ),
        ];
        for (input, want) in cases {
            let err = from_json(input).unwrap_err().to_string();
            assert!(err.contains(want), "{input}: {err}");
        }
        let err = from_json(&minimal(r#","text":{"summary":"x"}"#))
            .unwrap_err()
            .to_string();
        assert!(err.contains("未知的部分「summary」"), "{err}");
        let unknown = r#"{"format":"nianbao-report","format_version":1,"edition":"2021","year":2021,
            "cells":{"s3.other_handling.natural":1}}"#;
        let err = from_json(unknown).unwrap_err().to_string();
        assert_eq!(err, "第2021版格式中没有单元格「s3.other_handling.natural」");
        // Text that is no number is kept as written; the `value` check names the cell.
        let kept = r#"{"format":"nianbao-report","format_version":1,"edition":"2021","year":2021,
            "cells":{"s3.new.natural":"很多"}}"#;
        let r = from_json(kept).unwrap();
        assert_eq!(r.value("s3.new.natural"), Some(Value::Invalid("很多".into())));
        let f = crate::checks::check(&r, None);
        let value = f.iter().find(|f| f.rule == "value").unwrap();
        assert!(
            value.message.contains("自然人") && value.message.contains("「很多」不是数字"),
            "{}",
            value.message
        );
    }

    #[test]
    fn standard_title_with_a_spaced_agency_reads_back_as_standard() {
        // Found by the round-trip proptest: agency " " gives the standard title " 2021年…".
        let r = Report::new(Edition::E2021, 2021, " ");
        let back = from_value(&to_json(&r)).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn missing_texts_title_and_edition_are_tolerated() {
        let r = from_json(
            r#"{"format":"nianbao-report","format_version":1,"year":2020,"agency":"某县人民政府",
            "cells":{"s2.procurement.amount":12}}"#,
        )
        .unwrap();
        assert_eq!(r.edition, Edition::E2019);
        assert_eq!(r.title, "");
        assert_eq!(r.display_title(), "某县人民政府2020年政府信息公开工作年度报告");
        assert_eq!(r.texts, crate::report::Texts::default());
        assert_eq!(r.value("s2.procurement.amount"), Some(Value::Money(12.into())));
        assert_eq!(r.value("s3.new.natural"), Some(Value::Blank));
    }

    #[test]
    fn cells_are_written_in_template_order_with_their_types() {
        let mut r = Report::new(Edition::E2021, 2021, "辉县市人民政府");
        r.set_by_id("s3.new.natural", Value::Int(73));
        r.set_by_id(
            "s2.fees.amount",
            Value::Money(rust_decimal::Decimal::new(123_720_506, 4)),
        );
        r.set_by_id("s2.rules.issued", Value::Int(0));
        let j = to_json(&r);
        let cells = j["cells"].as_object().unwrap();
        let ids: Vec<&str> = cells.keys().map(String::as_str).collect();
        let want: Vec<&str> = r.template().cells.iter().map(|c| c.id).collect();
        assert_eq!(ids, want);
        assert_eq!(cells["s3.new.natural"], json!(73));
        assert_eq!(cells["s2.fees.amount"], json!("12372.0506"));
        assert_eq!(cells["s2.rules.issued"], json!(0));
        assert_eq!(cells["s4.review.total"], Json::Null);
        assert_eq!(j["title"], json!("辉县市人民政府2021年政府信息公开工作年度报告"));
        let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "format",
                "format_version",
                "edition",
                "year",
                "agency",
                "title",
                "text",
                "cells"
            ]
        );
    }
}
