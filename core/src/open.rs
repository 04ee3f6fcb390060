//! Opening any input file as a report: a project file (`.nianbao`), a JSON report (the `export --format json`
//! object), a published report's text (UTF-8 or GB18030; a saved web page or HTML markup included, which
//! [`crate::import::import_text`] reads through its HTML parser), a Word document (`.docx`) or a PDF, read on
//! the fly through [`crate::import`].
//!
//! The kind is decided by the content, not by the file name: clerks rename files, and websites serve `.txt`
//! files of every kind.

use crate::project::{self, FormatError, ProjectError};
use crate::report::Report;
use std::path::{Path, PathBuf};

/// What kind of file a report was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A `.nianbao` project file.
    Project,
    /// A JSON report (`"format": "nianbao-report"`).
    Json,
    /// A published report's text (a web page included), imported.
    Text,
    /// A Word document (`.docx`), imported.
    Word,
    /// A PDF, whose pages' text is imported like a report text.
    Pdf,
}

impl FileKind {
    /// Whether the report was imported from a published document (text, Word or PDF), so that the import's
    /// doubts matter; project and JSON files are read as they are.
    pub fn is_imported(self) -> bool {
        matches!(self, FileKind::Text | FileKind::Word | FileKind::Pdf)
    }
}

/// Something the text import could not place with certainty.
pub use crate::import::Doubt;

/// A report read from a file.
#[derive(Clone, Debug)]
pub struct Opened {
    /// The report.
    pub report: Report,
    /// What the import could not place with certainty (always empty for project and JSON files).
    pub doubts: Vec<Doubt>,
    /// What the file was.
    pub kind: FileKind,
}

/// Why a file's content could not be read as a report (no path: see [`OpenError`]).
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// A project file that could not be used.
    #[error("{0}")]
    Project(#[from] FormatError),
    /// A JSON file that is not a usable report.
    #[error("不是可读取的 JSON 报告：{0}")]
    Json(String),
    /// A text that is not a report.
    #[error("不是可识别的年度报告文本：{0}")]
    Text(String),
    /// A Word document that could not be read as a report.
    #[error("{0}")]
    Word(#[from] crate::import::docx::DocxError),
    /// A PDF that could not be read as a report.
    #[error("{0}")]
    Pdf(#[from] crate::import::pdf::PdfError),
    /// A web page too large or too odd to read safely.
    #[error("{0}")]
    Html(#[from] crate::import::html::HtmlError),
    /// A kind of file nianbao does not read (old Word, RTF, …), with what to do instead.
    #[error("是{0}，nianbao 无法直接读取：请在原程序中另存为纯文本（.txt）后再打开")]
    Unsupported(&'static str),
}

/// Why a file could not be opened as a report. The message names the file.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file could not be read (missing, unreadable, too large).
    #[error(transparent)]
    Read(#[from] ProjectError),
    /// The content is not a usable report.
    #[error("「{}」{source}", path.display())]
    Content {
        /// The path.
        path: PathBuf,
        /// What is wrong with the content.
        source: ContentError,
    },
}

/// Opens any supported file as a report.
pub fn open_report(path: &Path) -> Result<Opened, OpenError> {
    let bytes = project::read_file(path)?;
    open_bytes(&bytes).map_err(|source| OpenError::Content {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a report from a file's bytes, deciding its kind by content: a Word document (a zip package with
/// `word/document.xml`), a PDF (`%PDF-`), or else [`detect_kind`].
pub fn open_bytes(bytes: &[u8]) -> Result<Opened, ContentError> {
    if crate::import::pdf::is_pdf(bytes) {
        let imported = crate::import::pdf::import_pdf(bytes)?;
        return Ok(Opened {
            report: imported.report,
            doubts: imported.doubts,
            kind: FileKind::Pdf,
        });
    }
    let kind = if crate::import::docx::is_docx(bytes) {
        FileKind::Word
    } else if let Some(what) = unsupported_kind(bytes) {
        return Err(ContentError::Unsupported(what));
    } else {
        detect_kind(bytes)
    };
    if kind == FileKind::Text && std::str::from_utf8(bytes).is_err() && looks_like_project_in_other_encoding(bytes) {
        return Err(ContentError::Project(FormatError::NotProject(
            "（不是 UTF-8 文本：项目文件被另存为了其他编码，请用原来的文件）".to_string(),
        )));
    }
    let (report, doubts) = match kind {
        FileKind::Project => (project::from_bytes(bytes)?, Vec::new()),
        FileKind::Json => (read_json(bytes)?, Vec::new()),
        FileKind::Text => {
            let text = crate::import::decode(bytes);
            let imported = crate::import::import_text(&text).map_err(|e| match e {
                crate::import::ImportError::Html(e) => ContentError::Html(e),
                e @ crate::import::ImportError::NotAReport(_) => ContentError::Text(e.to_string()),
            })?;
            (imported.report, imported.doubts)
        }
        FileKind::Word => {
            let imported = crate::import::docx::import_docx(bytes)?;
            (imported.report, imported.doubts)
        }
        FileKind::Pdf => {
            let imported = crate::import::pdf::import_pdf(bytes)?;
            (imported.report, imported.doubts)
        }
    };
    Ok(Opened { report, doubts, kind })
}

/// The kind of a file by its content: a JSON object, a RON project structure, or else report text.
pub fn detect_kind(bytes: &[u8]) -> FileKind {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        // Project and JSON files are UTF-8; anything else is a text in a legacy encoding (GB18030).
        return FileKind::Text;
    };
    let start = text.trim_start();
    if start.starts_with('{') {
        FileKind::Json
    } else if start.starts_with('(') || start.starts_with("//") || start.starts_with("/*") || start.starts_with("#!") {
        // A report text never starts with a bracket or a comment; a project file (RON) does.
        FileKind::Project
    } else {
        FileKind::Text
    }
}

/// Whether bytes that are not UTF-8 read, in GB18030 or UTF-16, as a project file (a text editor saved it in
/// another encoding): then say so instead of "not a report text".
fn looks_like_project_in_other_encoding(bytes: &[u8]) -> bool {
    let text = crate::import::decode(bytes);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('(') && start.contains("format_version")
}

/// Recognises common document formats by their first bytes, to say what to do instead of "not a report".
fn unsupported_kind(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "压缩包或 Word/Excel 文档（.docx/.xlsx）"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "旧版 Word/Excel 文档（.doc/.xls）"),
        (b"{\\rtf", "RTF 文档"),
        (b"\x89PNG", "图片"),
        (b"\xFF\xD8\xFF", "图片"),
    ];
    KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, what)| what)
}

/// Reads the JSON report object of `interfaces.md` (`"format": "nianbao-report"`).
fn read_json(bytes: &[u8]) -> Result<Report, ContentError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ContentError::Json("不是 UTF-8 文本".to_string()))?;
    crate::export::json::from_json(text).map_err(|e| ContentError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;
    use crate::template::Edition;

    #[test]
    fn kind_is_decided_by_content() {
        let cases: &[(&[u8], FileKind)] = &[
            (b"(\n    format_version: 1,", FileKind::Project),
            (b"\xEF\xBB\xBF  (format_version: 1)", FileKind::Project),
            (b"// comment\n(", FileKind::Project),
            (b"{\"format\": \"nianbao-report\"}", FileKind::Json),
            (b"\n\n  {", FileKind::Json),
            ("某县人民政府2021年政府信息公开工作年度报告".as_bytes(), FileKind::Text),
            (b"\xc4\xb3\xcf\xd8", FileKind::Text), // GB18030 「某县」
            (b"", FileKind::Text),
        ];
        for (bytes, want) in cases {
            assert_eq!(detect_kind(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn project_and_json_files_open() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Report::new(Edition::E2021, 2025, "某县人民政府");
        r.set_by_id("s3.new.natural", Value::Int(7));
        let p = dir.path().join("a.txt"); // the name does not matter
        project::save(&p, &r).unwrap();
        let o = open_report(&p).unwrap();
        assert_eq!((o.kind, &o.report), (FileKind::Project, &r));

        let j = dir.path().join("a.json");
        std::fs::write(&j, crate::export::json::to_json_string(&r)).unwrap();
        let o = open_report(&j).unwrap();
        assert_eq!(o.kind, FileKind::Json);
        assert_eq!(o.report.cells, r.cells);
        assert!(o.doubts.is_empty());
    }

    #[test]
    fn refusals_name_the_file_and_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let cases: &[(&str, &[u8], &str)] = &[
            ("a.json", b"{\"cells\": {}}", "format"),
            ("b.json", b"{\"format\": \"nianbao-report\", ", "不是有效的JSON"),
            ("c.nianbao", b"(format_version: 99)", "请升级 nianbao"),
            ("d.docx", b"PK\x03\x04rest", "另存为纯文本"),
            ("e.pdf", b"%PDF-1.7", "无法读取 PDF：文件已损坏"),
        ];
        for (name, bytes, want) in cases {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            let msg = open_report(&p).unwrap_err().to_string();
            assert!(msg.contains(name) && msg.contains(want), "{name}: {msg}");
        }
        let msg = open_report(&dir.path().join("missing.nianbao"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("文件不存在"), "{msg}");
    }
}
