//! 粘贴报告文本: read a published report's text from a big paste field (or straight from the clipboard, its HTML
//! flavour first: a page copied in a browser keeps its tables) into a new document, and the banner that lists
//! the doubts of an import, each jumping to its cell.

use crate::open::{Doubt, Opened, open_bytes};
use crate::template::CellIdx;

/// Why the clipboard gave no report text.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    /// No clipboard can be reached (no display, a Wayland session without clipboard access, …).
    #[error("无法访问系统剪贴板（{0}）：请在下面的文本框中按 Ctrl+V 粘贴")]
    Unreachable(String),
    /// The clipboard holds neither a web page's content nor text.
    #[error("剪贴板中没有网页内容或文本：请先在浏览器或其他程序中复制报告全文")]
    Empty,
}

impl From<arboard::Error> for ClipboardError {
    fn from(e: arboard::Error) -> ClipboardError {
        match e {
            arboard::Error::ContentNotAvailable => ClipboardError::Empty,
            e => ClipboardError::Unreachable(e.to_string()),
        }
    }
}

/// What the clipboard holds for an import: its HTML flavour when there is one (a page copied in a browser:
/// the tables keep their cells and merges), else its text.
pub fn clipboard_text() -> Result<String, ClipboardError> {
    let mut clipboard = arboard::Clipboard::new()?;
    let html = clipboard.get().html().ok().filter(|h| !h.trim().is_empty());
    let text = match html {
        Some(h) => h,
        None => clipboard.get().text()?,
    };
    if text.trim().is_empty() {
        return Err(ClipboardError::Empty);
    }
    Ok(text)
}

/// The paste window: a multi-line field (paste with Ctrl+V), 读取剪贴板 and 读取.
#[derive(Default)]
pub struct PasteWindow {
    /// Whether the window shows.
    pub open: bool,
    /// What the clerk pasted.
    pub text: String,
    error: Option<String>,
}

impl PasteWindow {
    /// Shows the window; returns the imported report once 读取 succeeded (the window then closes).
    ///
    /// The text goes through the same reader as 打开 (`open::open_bytes`, i.e. `import::import_text` for a
    /// report text), so a pasted JSON report works too.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Opened> {
        if !self.open {
            return None;
        }
        let mut result = None;
        let mut open = self.open;
        crate::ui::dialog(ctx, "粘贴报告文本", "nianbao_paste_window", &mut open)
            .default_size([640.0, 480.0])
            .show(ctx, |ui| {
                ui.label(
                    "在浏览器中复制报告全文后点「读取剪贴板」（网页表格按原样读入），或粘贴到下面（Ctrl+V）后点「读取」。\
                     读取后会替换当前报告。",
                );
                ui.horizontal(|ui| {
                    let mut read = ui.button("读取").clicked();
                    if ui
                        .button("读取剪贴板")
                        .on_hover_text("先取剪贴板中的网页内容，没有时取文本")
                        .clicked()
                    {
                        match clipboard_text() {
                            Ok(text) => {
                                self.text = text;
                                read = true;
                            }
                            Err(e) => self.error = Some(e.to_string()),
                        }
                    }
                    if read {
                        match open_bytes(self.text.as_bytes()) {
                            Ok(imported) => {
                                self.error = None;
                                result = Some(imported);
                            }
                            Err(e) => self.error = Some(e.to_string()),
                        }
                    }
                    if ui.button("清空").clicked() {
                        self.text.clear();
                        self.error = None;
                    }
                });
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                }
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut self.text)
                            .desired_rows(20)
                            .desired_width(f32::INFINITY)
                            .hint_text("在此粘贴报告全文"),
                    )
                    .accessible_name("报告文本");
                });
            });
        self.open = open && result.is_none();
        if result.is_some() {
            self.text.clear();
        }
        result
    }
}

/// The doubts of the last import, shown above the form until dismissed.
#[derive(Default)]
pub struct DoubtsBanner {
    doubts: Vec<Doubt>,
}

impl DoubtsBanner {
    /// Shows these doubts (an empty list hides the banner).
    pub fn set(&mut self, doubts: Vec<Doubt>) {
        self.doubts = doubts;
    }

    /// Hides the banner.
    pub fn clear(&mut self) {
        self.doubts.clear();
    }

    /// The doubts showing.
    pub fn doubts(&self) -> &[Doubt] {
        &self.doubts
    }

    /// The clerk edited these cells: they are checked, and a doubt none of whose cells is left goes away.
    pub fn resolve(&mut self, cells: &[CellIdx]) {
        for d in &mut self.doubts {
            if !d.cells.is_empty() {
                d.cells.retain(|c| !cells.contains(c));
                if d.cells.is_empty() {
                    d.message.clear();
                }
            }
        }
        self.doubts.retain(|d| !d.message.is_empty());
    }

    /// Shows the banner in `ui` (nothing when there are no doubts). Returns the cell of a clicked doubt.
    pub fn show(&mut self, ui: &mut egui::Ui) -> Option<CellIdx> {
        if self.doubts.is_empty() {
            return None;
        }
        let mut jump = None;
        let mut dismiss = false;
        let fill = crate::ui::Palette::of(ui).warning_fill;
        egui::Frame::group(ui.style()).fill(fill).show(ui, |ui| {
            let text_color = crate::ui::Palette::of(ui).warning_text;
            ui.horizontal(|ui| {
                ui.colored_label(
                    text_color,
                    format!(
                        "读取时存疑 {} 个，请逐一核对（点击可跳到对应单元格；改过的单元格不再列出）：",
                        self.doubts.len()
                    ),
                );
                if ui.button("关闭提示").clicked() {
                    dismiss = true;
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("doubts_banner")
                .max_height(120.0)
                .show(ui, |ui| {
                    // Doubts of the same kind together: one line for the kind, its doubts folded under it.
                    let mut groups: Vec<(&str, Vec<&Doubt>)> = Vec::new();
                    for d in &self.doubts {
                        match groups.iter_mut().find(|(m, _)| *m == d.message) {
                            Some((_, g)) => g.push(d),
                            None => groups.push((d.message.as_str(), vec![d])),
                        }
                    }
                    for (message, group) in groups {
                        if group.len() == 1 {
                            jump = jump.or(doubt_line(ui, group[0]));
                        } else {
                            egui::CollapsingHeader::new(format!("{message}（{} 处）", group.len()))
                                .id_salt(("doubts", message))
                                .show(ui, |ui| {
                                    for d in group {
                                        jump = jump.or(doubt_line(ui, d));
                                    }
                                });
                        }
                    }
                });
        });
        if dismiss {
            self.doubts.clear();
        }
        jump
    }
}

/// One doubt: line number, message and the line as written (so the clerk can find it in the source); a click
/// goes to its first cell.
fn doubt_line(ui: &mut egui::Ui, d: &Doubt) -> Option<CellIdx> {
    let text = d.to_string();
    if let Some(&cell) = d.cells.first() {
        ui.link(text).clicked().then_some(cell)
    } else {
        ui.label(text);
        None
    }
}
