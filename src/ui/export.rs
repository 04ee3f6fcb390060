//! The export window: format, encoding and line ends, a preview of exactly what will be written, copy to the
//! clipboard, and a one-time question before exporting a report that still has errors.
//!
//! The bytes come from the same library functions as `nianbao export`, so the file is byte-identical.

use crate::checks;
use crate::export::text::{Encoding, LineEnd};
use crate::report::Report;
use crate::template::Severity;
use crate::ui::files::{DialogMode, FileRequest, Purpose};
use std::path::Path;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// Plain text in the official layout.
    #[default]
    Text,
    /// One printable HTML page.
    Html,
    /// The JSON object of `interfaces.md`.
    Json,
    /// A Word document in the official layout.
    Docx,
}

impl ExportFormat {
    /// File extension, without dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Text => "txt",
            ExportFormat::Html => "html",
            ExportFormat::Json => "json",
            ExportFormat::Docx => "docx",
        }
    }

    /// Chinese name for the UI.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Text => "文本",
            ExportFormat::Html => "网页",
            ExportFormat::Json => "JSON",
            ExportFormat::Docx => "Word 文档",
        }
    }
}

/// Format, encoding and line ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ExportOptions {
    /// The format.
    pub format: ExportFormat,
    /// Encoding of the text format (HTML and JSON are always UTF-8).
    pub encoding: Encoding,
    /// Line ends of the text format.
    pub line_end: LineEnd,
}

/// The exact bytes written for `report` with `opts`: what `nianbao export` writes with the same options (line
/// ends apply to every text format, the encoding to text only: HTML and JSON are always UTF-8; a Word document
/// has neither).
pub fn export_bytes(report: &Report, opts: ExportOptions) -> Vec<u8> {
    use crate::export::{docx, html, json, text};
    let (content, encoding) = match opts.format {
        ExportFormat::Docx => return docx::to_docx(report),
        ExportFormat::Text => (text::to_text(report), opts.encoding),
        ExportFormat::Html => (html::to_html(report), Encoding::Utf8),
        ExportFormat::Json => (json::to_json_string(report), Encoding::Utf8),
    };
    text::encode(&content, encoding, opts.line_end)
}

/// The bytes of [`export_bytes`] read back as text, for the preview (a Word document is not text: the preview
/// says what it is instead).
fn preview_of(bytes: &[u8], opts: ExportOptions) -> String {
    if opts.format == ExportFormat::Docx {
        return "Word 文档（.docx，公文版式：A4，仿宋_GB2312 三号，表格与模板一致）无法在此预览；导出后请用 Word 或 WPS 打开。\n如需核对内容，可选「文本」格式预览同一份报告。".to_owned();
    }
    let enc = match (opts.format, opts.encoding) {
        (ExportFormat::Text, Encoding::Gb18030) => encoding_rs::GB18030,
        _ => encoding_rs::UTF_8,
    };
    // CR is invisible in a text field; the line-end choice is stated beside the preview instead.
    enc.decode_without_bom_handling(bytes).0.replace("\r\n", "\n")
}

/// What was computed for one (report, options): recomputed only when either changes.
struct Cache {
    report: Report,
    opts: ExportOptions,
    preview: String,
    size: usize,
    errors: usize,
}

impl Cache {
    fn compute(report: &Report, opts: ExportOptions) -> Cache {
        let bytes = export_bytes(report, opts);
        let errors = checks::check(report, None)
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Cache {
            report: report.clone(),
            opts,
            preview: preview_of(&bytes, opts),
            size: bytes.len(),
            errors,
        }
    }
}

/// The export window.
#[derive(Default)]
pub struct ExportWindow {
    /// Whether the window shows.
    pub open: bool,
    /// The chosen options (also used by [`ExportWindow::write`]).
    pub options: ExportOptions,
    cache: Option<Cache>,
    /// Showing the "导出（含N项错误）?" question.
    confirming: bool,
    copied: bool,
}

impl ExportWindow {
    /// The preview, error count and size for `report`, from the cache when nothing changed.
    fn cached(&mut self, report: &Report) -> &Cache {
        let opts = self.options;
        let cache = match self.cache.take() {
            Some(c) if c.opts == opts && c.report == *report => c,
            _ => {
                self.copied = false;
                Cache::compute(report, opts)
            }
        };
        self.cache.insert(cache)
    }

    /// Number of errors in `report` (cached).
    pub fn error_count(&mut self, report: &Report) -> usize {
        self.cached(report).errors
    }

    /// The preview text for `report` (cached).
    pub fn preview(&mut self, report: &Report) -> &str {
        &self.cached(report).preview
    }

    /// Shows the window. Returns a file dialog to open when the clerk chose 导出….
    pub fn show(&mut self, ctx: &egui::Context, report: &Report, path: Option<&Path>) -> Option<FileRequest> {
        if !self.open {
            return None;
        }
        let mut go = false;
        let mut open = self.open;
        crate::ui::dialog(ctx, "导出", "nianbao_export_window", &mut open)
            .default_size([640.0, 520.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.label("格式：");
                    for f in [
                        ExportFormat::Text,
                        ExportFormat::Html,
                        ExportFormat::Json,
                        ExportFormat::Docx,
                    ] {
                        ui.radio_value(&mut self.options.format, f, f.label());
                    }
                });
                // HTML and JSON are always UTF-8 (as on the command line).
                let text = self.options.format == ExportFormat::Text;
                ui.add_enabled_ui(text, |ui| {
                    ui.horizontal(|ui| {
                        ui.label("编码：");
                        ui.radio_value(&mut self.options.encoding, Encoding::Utf8, "UTF-8");
                        ui.radio_value(&mut self.options.encoding, Encoding::Gb18030, "GB18030（GBK）");
                    });
                });
                // A Word document has no line ends to choose.
                ui.add_enabled_ui(self.options.format != ExportFormat::Docx, |ui| {
                    ui.horizontal(|ui| {
                        ui.label("换行：");
                        ui.radio_value(&mut self.options.line_end, LineEnd::Lf, "LF");
                        ui.radio_value(&mut self.options.line_end, LineEnd::CrLf, "Windows（CRLF）");
                    });
                });
                let opts = self.options;
                let c = self.cached(report);
                let (errors, size) = (c.errors, c.size);
                ui.horizontal(|ui| {
                    let enc = if opts.format == ExportFormat::Text && opts.encoding == Encoding::Gb18030 {
                        "GB18030"
                    } else {
                        "UTF-8"
                    };
                    let le = if opts.line_end == LineEnd::CrLf { "CRLF" } else { "LF" };
                    if opts.format == ExportFormat::Docx {
                        ui.label(format!("将写入 {size} 字节（Word 文档）"));
                    } else {
                        ui.label(format!("将写入 {size} 字节（{enc}，{le} 换行）"));
                    }
                    if errors > 0 {
                        ui.colored_label(ui.visuals().error_fg_color, format!("报告中还有{errors}项错误"));
                    }
                });
                ui.horizontal(|ui| {
                    let copyable = opts.format != ExportFormat::Docx;
                    if ui.add_enabled(copyable, egui::Button::new("复制到剪贴板")).clicked() {
                        let text = self.preview(report).to_string();
                        ui.ctx().copy_text(text);
                        self.copied = true;
                    }
                    if ui.button("导出…").clicked() {
                        if errors > 0 {
                            self.confirming = true;
                        } else {
                            go = true;
                        }
                    }
                    if self.copied {
                        ui.label("已复制");
                    }
                });
                ui.separator();
                let preview = self.preview(report);
                egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
                    // A read-only view of the text: selectable and copyable, not editable.
                    let mut view: &str = preview;
                    ui.add(
                        egui::TextEdit::multiline(&mut view)
                            .code_editor()
                            .desired_width(f32::INFINITY)
                            .id_salt("export_preview"),
                    )
                    .accessible_name("预览");
                });
            });
        self.open = open;

        if self.confirming {
            let errors = self.error_count(report);
            let modal = egui::Modal::new(egui::Id::unique("nianbao_export_confirm")).show(ctx, |ui| {
                ui.label(format!("导出（含{errors}项错误）?"));
                ui.label("报告中还有错误。仍然导出吗？");
                let mut answer = None;
                ui.horizontal(|ui| {
                    if ui.button("仍然导出").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("取消").clicked() {
                        answer = Some(false);
                    }
                });
                answer
            });
            let answer = modal.inner.or_else(|| modal.should_close().then_some(false));
            if let Some(yes) = answer {
                self.confirming = false;
                go = yes;
            }
        }

        go.then(|| self.file_request(report, path))
    }

    /// The save dialog for the export, suggesting the report title beside the project file.
    fn file_request(&self, report: &Report, path: Option<&Path>) -> FileRequest {
        let ext = self.options.format.extension();
        let (filter, exts): (&str, &[&str]) = match self.options.format {
            ExportFormat::Text => ("文本文件", &["txt"]),
            ExportFormat::Html => ("网页", &["html", "htm"]),
            ExportFormat::Json => ("JSON", &["json"]),
            ExportFormat::Docx => ("Word 文档", &["docx"]),
        };
        FileRequest::new(Purpose::Export, "导出到", DialogMode::Save)
            .filter(filter, exts)
            .suggest(Some(format!("{}.{ext}", report.display_title())), path)
            .default_extension(ext)
    }

    /// Writes the export of `report` with the chosen options to `path` (atomically).
    pub fn write(&self, path: &Path, report: &Report) -> Result<(), String> {
        let bytes = export_bytes(report, self.options);
        crate::project::write_atomic(path, &bytes)
            .map_err(|e| format!("无法导出到「{}」：{}", path.display(), crate::project::io_reason(&e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;

    #[test]
    fn text_bytes_are_the_library_text_encoded() {
        let r = Report::new(Edition::E2021, 2025, "某县人民政府");
        let text = crate::export::text::to_text(&r);
        for (encoding, line_end) in [
            (Encoding::Utf8, LineEnd::Lf),
            (Encoding::Gb18030, LineEnd::Lf),
            (Encoding::Utf8, LineEnd::CrLf),
            (Encoding::Gb18030, LineEnd::CrLf),
        ] {
            let opts = ExportOptions {
                format: ExportFormat::Text,
                encoding,
                line_end,
            };
            let bytes = export_bytes(&r, opts);
            assert_eq!(bytes, crate::export::text::encode(&text, encoding, line_end));
            assert_eq!(preview_of(&bytes, opts), text);
        }
    }

    #[test]
    fn preview_cache_follows_report_and_options() {
        let mut r = Report::new(Edition::E2021, 2025, "甲县");
        let mut w = ExportWindow::default();
        assert!(w.preview(&r).contains("甲县"));
        r.agency = "乙县".into();
        assert!(w.preview(&r).contains("乙县"));
        w.options.format = ExportFormat::Json;
        assert!(w.preview(&r).contains("\"agency\""));
        w.options.format = ExportFormat::Docx;
        assert!(w.preview(&r).contains("Word 文档"));
    }

    #[test]
    fn docx_bytes_are_the_library_document() {
        let r = Report::new(Edition::E2021, 2025, "某县人民政府");
        for line_end in [LineEnd::Lf, LineEnd::CrLf] {
            let opts = ExportOptions {
                format: ExportFormat::Docx,
                encoding: Encoding::Utf8,
                line_end,
            };
            assert_eq!(export_bytes(&r, opts), crate::export::docx::to_docx(&r));
        }
    }
}
