//! The export window: format, encoding and line ends, a preview of exactly what will be written, copy to the
//! clipboard, and a one-time question before exporting a report that still has errors.
//!
//! The bytes come from the same library functions as `nianbao export`, so the file is byte-identical. The text
//! preview lays the official grid out as a grid (TAB-separated fields do not line up in a proportional CJK
//! font); the HTML page is not previewed as source but opened in the system's browser.

use crate::export::text::{Encoding, LineEnd};
use crate::report::Report;
use crate::ui::files::{DialogMode, FileRequest, Purpose};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The format, options and bytes of an export: the library's, the same as `nianbao export`'s.
pub use crate::export::{Format as ExportFormat, Options as ExportOptions, render as export_bytes};

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

/// A piece of the text preview as it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    /// Lines of prose (headings, paragraphs, blank lines), shown as they are.
    Lines(String),
    /// A run of table lines: the TAB-separated fields of each line, shown as one grid so the columns line up.
    Table(Vec<Vec<String>>),
}

/// Splits the text preview into prose and tables: in the official text layout a line with a TAB is a line of
/// the grid (its fields, blank ones included, are the grid's columns), any other line is prose.
fn blocks_of(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for line in text.split('\n') {
        let fields = line
            .contains('\t')
            .then(|| line.split('\t').map(str::to_owned).collect::<Vec<_>>());
        match (fields, blocks.last_mut()) {
            (Some(fields), Some(Block::Table(rows))) => rows.push(fields),
            (Some(fields), _) => blocks.push(Block::Table(vec![fields])),
            (None, Some(Block::Lines(lines))) => {
                lines.push('\n');
                lines.push_str(line);
            }
            (None, _) => blocks.push(Block::Lines(line.to_owned())),
        }
    }
    blocks
}

/// What was computed for one (report, options): recomputed only when either changes.
struct Cache {
    report: Report,
    opts: ExportOptions,
    preview: String,
    /// The text preview in prose and tables (text format only; empty otherwise).
    blocks: Vec<Block>,
    size: usize,
}

impl Cache {
    fn compute(report: &Report, opts: ExportOptions) -> Cache {
        let bytes = export_bytes(report, opts);
        let preview = preview_of(&bytes, opts);
        let blocks = if opts.format == ExportFormat::Text {
            blocks_of(&preview)
        } else {
            Vec::new()
        };
        Cache {
            report: report.clone(),
            opts,
            preview,
            blocks,
            size: bytes.len(),
        }
    }
}

/// Why the HTML page could not be shown in the browser.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// The page could not be written to the temporary folder.
    #[error("无法把网页写入临时文件夹：{0}")]
    Write(String),
    /// The program that opens files with their default application could not be started.
    #[error(
        "无法启动 {program}（用默认程序打开文件的系统命令）：{reason}。网页已保存在「{page}」，可以手动用浏览器打开。"
    )]
    Launch {
        /// The command that was tried.
        program: &'static str,
        /// The operating system's reason, in Chinese.
        reason: String,
        /// Where the page was written.
        page: String,
    },
    /// It started but reported failure (no browser set up, for example).
    #[error(
        "{program} 没能打开网页（退出码 {code}），也许没有设置默认浏览器。网页已保存在「{page}」，可以手动用浏览器打开。"
    )]
    Failed {
        /// The command that was tried.
        program: &'static str,
        /// Its exit code (-1 when it was ended by a signal).
        code: i32,
        /// Where the page was written.
        page: String,
    },
}

/// The system's command that opens a file with its default application, and its leading arguments.
fn opener() -> (&'static str, &'static [&'static str]) {
    if cfg!(target_os = "windows") {
        // explorer opens a file with its associated program; it exits with 1 even on success, see `launch`.
        ("explorer", &[])
    } else if cfg!(target_os = "macos") {
        ("open", &[])
    } else {
        ("xdg-open", &[])
    }
}

/// Writes `html` to a new private folder in the temporary folder (a fresh name each time: nobody else can
/// have put a file or link there) and returns the page's path. The file stays for the browser to read.
fn write_temp_page(html: &[u8], name: &str) -> Result<PathBuf, BrowserError> {
    let base = std::env::temp_dir();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for attempt in 0..100_u32 {
        let dir = base.join(format!("nianbao-{}-{stamp}-{attempt}", std::process::id()));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => {
                let page = dir.join(name);
                crate::project::write_atomic(&page, html)
                    .map_err(|e| BrowserError::Write(crate::project::io_reason(&e)))?;
                return Ok(page);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(BrowserError::Write(crate::project::io_reason(&e))),
        }
    }
    Err(BrowserError::Write("临时文件夹中没有可用的名字".to_owned()))
}

/// Starts the system's opener on `page`; its outcome arrives on the returned channel (it may take a while, and
/// the window must not wait), and `ctx` is asked to repaint then.
fn launch(ctx: &egui::Context, page: &Path) -> Result<mpsc::Receiver<Result<(), BrowserError>>, BrowserError> {
    let (program, args) = opener();
    let shown = page.display().to_string();
    let mut child = std::process::Command::new(program)
        .args(args)
        .arg(page)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| BrowserError::Launch {
            program,
            reason: crate::project::io_reason(&e),
            page: shown.clone(),
        })?;
    let (tx, rx) = mpsc::channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let outcome = match child.wait() {
            // explorer's exit code says nothing about success.
            Ok(status) if status.success() || cfg!(target_os = "windows") => Ok(()),
            Ok(status) => Err(BrowserError::Failed {
                program,
                code: status.code().unwrap_or(-1),
                page: shown,
            }),
            Err(e) => Err(BrowserError::Launch {
                program,
                reason: crate::project::io_reason(&e),
                page: shown,
            }),
        };
        // The window may have closed meanwhile; then nobody needs the answer.
        let _ = tx.send(outcome);
        ctx.request_repaint();
    });
    Ok(rx)
}

/// How long the opener may run before the page counts as opened (see [`ExportWindow::html_preview`]).
const BROWSER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

/// The state of 「在浏览器中打开」.
#[derive(Default)]
enum BrowserState {
    /// Nothing asked, or the last outcome was seen and the options changed since.
    #[default]
    Idle,
    /// The opener is running on this page, since then.
    Waiting(PathBuf, mpsc::Receiver<Result<(), BrowserError>>, std::time::Instant),
    /// The page was handed to the browser.
    Opened(PathBuf),
    /// It failed: the message.
    Failed(String),
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
    browser: BrowserState,
}

impl ExportWindow {
    /// The preview, error count and size for `report`, from the cache when nothing changed.
    fn cached(&mut self, report: &Report) -> &Cache {
        let opts = self.options;
        let cache = match self.cache.take() {
            Some(c) if c.opts == opts && c.report == *report => c,
            _ => {
                self.copied = false;
                self.browser = BrowserState::Idle;
                Cache::compute(report, opts)
            }
        };
        self.cache.insert(cache)
    }

    /// The preview text for `report` (cached).
    pub fn preview(&mut self, report: &Report) -> &str {
        &self.cached(report).preview
    }

    /// Shows the window; `errors` is the number of errors among the window's findings (the app's, with last
    /// year's report when it has one). Returns a file dialog to open when the clerk chose 导出….
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        report: &Report,
        path: Option<&Path>,
        errors: usize,
    ) -> Option<FileRequest> {
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
                let size = c.size;
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
                match opts.format {
                    ExportFormat::Text => self.text_preview(ui, report),
                    ExportFormat::Html => self.html_preview(ui, report),
                    ExportFormat::Json | ExportFormat::Docx => self.plain_preview(ui, report),
                }
            });
        self.open = open;

        if self.confirming
            && let Some(yes) = confirm_errors(ctx, errors)
        {
            self.confirming = false;
            go = yes;
        }

        go.then(|| self.file_request(report, path))
    }

    /// The text format: prose as it is, the grid as a grid (the columns line up; TAB stops do not in a
    /// proportional CJK font). The labels can be selected; 复制到剪贴板 copies the exact text.
    fn text_preview(&mut self, ui: &mut egui::Ui, report: &Report) {
        let blocks = &self.cached(report).blocks;
        egui::ScrollArea::both()
            .id_salt("export_preview")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (n, block) in blocks.iter().enumerate() {
                    match block {
                        Block::Lines(lines) => {
                            ui.label(lines.as_str());
                        }
                        Block::Table(rows) => {
                            egui::Grid::new(("export_preview_table", n))
                                .striped(true)
                                .min_col_width(24.0)
                                .spacing([16.0, 2.0])
                                .show(ui, |ui| {
                                    for row in rows {
                                        for field in row {
                                            ui.label(field.as_str());
                                        }
                                        ui.end_row();
                                    }
                                });
                        }
                    }
                }
            });
    }

    /// The HTML page: not its source, but a button that shows it in the system's browser.
    fn html_preview(&mut self, ui: &mut egui::Ui, report: &Report) {
        if let BrowserState::Waiting(page, rx, since) = &self.browser {
            let outcome = match rx.try_recv() {
                Ok(Ok(())) => Some(BrowserState::Opened(page.clone())),
                Ok(Err(e)) => Some(BrowserState::Failed(e.to_string())),
                Err(mpsc::TryRecvError::Disconnected) => Some(BrowserState::Failed(format!(
                    "不知道浏览器是否打开了网页。网页已保存在「{}」，可以手动用浏览器打开。",
                    page.display()
                ))),
                // Where xdg-open runs the browser itself, it returns only when the browser is closed: still
                // running after a while means the browser is up.
                Err(mpsc::TryRecvError::Empty) if since.elapsed() >= BROWSER_PATIENCE => {
                    Some(BrowserState::Opened(page.clone()))
                }
                Err(mpsc::TryRecvError::Empty) => {
                    ui.ctx().request_repaint_after(BROWSER_PATIENCE);
                    None
                }
            };
            if let Some(state) = outcome {
                self.browser = state;
            }
        }
        ui.label("网页格式是一页可以打印的 HTML 文件，内容与文本格式相同，表格带边框。");
        ui.label("这里不显示网页的源代码；要看它的样子，请在浏览器中打开。");
        let waiting = matches!(self.browser, BrowserState::Waiting(..));
        let button = ui
            .add_enabled(!waiting, egui::Button::new("在浏览器中打开"))
            .on_hover_text("把将要导出的网页写入临时文件，用系统默认的浏览器打开");
        if button.clicked() {
            let html = export_bytes(report, self.options);
            self.browser = match write_temp_page(&html, "年度报告.html")
                .and_then(|page| launch(ui.ctx(), &page).map(|rx| (page, rx)))
            {
                Ok((page, rx)) => BrowserState::Waiting(page, rx, std::time::Instant::now()),
                Err(e) => BrowserState::Failed(e.to_string()),
            };
        }
        match &self.browser {
            BrowserState::Idle => {}
            BrowserState::Waiting(..) => {
                ui.label("正在打开浏览器…");
            }
            BrowserState::Opened(page) => {
                ui.label(format!("已交给浏览器打开：{}", page.display()));
            }
            BrowserState::Failed(msg) => {
                ui.colored_label(ui.visuals().error_fg_color, msg.as_str());
            }
        }
    }

    /// JSON (its text) and Word (what it is): a read-only text view, selectable and copyable.
    fn plain_preview(&mut self, ui: &mut egui::Ui, report: &Report) {
        let preview = self.preview(report);
        egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
            let mut view: &str = preview;
            ui.add(
                egui::TextEdit::multiline(&mut view)
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .id_salt("export_preview"),
            )
            .accessible_name("预览");
        });
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

/// The question before exporting a report with errors: `Some(true)` 仍然导出, `Some(false)` 取消 (or the
/// modal closed), `None` while it is open.
fn confirm_errors(ctx: &egui::Context, errors: usize) -> Option<bool> {
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
    modal.inner.or_else(|| modal.should_close().then_some(false))
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

    /// Puts the blocks back together: prose as it is, table lines joined with TABs.
    fn rejoin(blocks: &[Block]) -> String {
        let lines: Vec<String> = blocks
            .iter()
            .flat_map(|b| match b {
                Block::Lines(l) => vec![l.clone()],
                Block::Table(rows) => rows.iter().map(|r| r.join("\t")).collect(),
            })
            .collect();
        lines.join("\n")
    }

    #[test]
    fn text_preview_splits_into_prose_and_grids_and_loses_nothing() {
        let mut r = Report::new(Edition::E2021, 2025, "某县人民政府");
        r.fill_blanks_with_zero();
        let text = crate::export::text::to_text(&r);
        let blocks = blocks_of(&text);
        assert_eq!(rejoin(&blocks), text);
        let tables: Vec<&Vec<Vec<String>>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(rows) => Some(rows),
                Block::Lines(_) => None,
            })
            .collect();
        // Sections 二, 三 and 四 are grids; every line of them is in a grid, no prose line has a TAB.
        assert!(tables.len() >= 3, "{} grids", tables.len());
        assert_eq!(
            tables.iter().map(|t| t.len()).sum::<usize>(),
            text.lines().filter(|l| l.contains('\t')).count()
        );
        for b in &blocks {
            if let Block::Lines(l) = b {
                assert!(!l.contains('\t'), "{l}");
            }
        }
        // Prose and grids alternate: two grids in a row would have been one.
        for pair in blocks.windows(2) {
            assert!(!matches!(pair, [Block::Table(_), Block::Table(_)]));
            assert!(!matches!(pair, [Block::Lines(_), Block::Lines(_)]));
        }
    }

    #[test]
    fn blocks_of_a_small_text() {
        let blocks = blocks_of("标题\n\na\tb\n\tc\n尾");
        assert_eq!(
            blocks,
            vec![
                Block::Lines("标题\n".to_owned()),
                Block::Table(vec![vec!["a".into(), "b".into()], vec![String::new(), "c".into()]]),
                Block::Lines("尾".to_owned()),
            ]
        );
    }

    #[test]
    fn the_page_for_the_browser_is_the_export_in_a_private_folder_of_its_own() {
        let r = Report::new(Edition::E2021, 2025, "某县人民政府");
        let opts = ExportOptions {
            format: ExportFormat::Html,
            ..ExportOptions::default()
        };
        let html = export_bytes(&r, opts);
        let a = write_temp_page(&html, "年度报告.html").unwrap();
        let b = write_temp_page(&html, "年度报告.html").unwrap();
        assert_ne!(a.parent(), b.parent(), "a fresh folder each time");
        assert_eq!(std::fs::read(&a).unwrap(), html);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir = std::fs::metadata(a.parent().unwrap()).unwrap();
            assert_eq!(dir.permissions().mode() & 0o077, 0, "only the owner may look in");
        }
        for p in [a, b] {
            std::fs::remove_dir_all(p.parent().unwrap()).unwrap();
        }
    }
}
