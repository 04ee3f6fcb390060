//! What happens with a chosen path (open, save, export, 汇总, 明细), and the result messages (出错了 / 完成).

use super::request::{Picked, Purpose};
use super::{DocState, FileAction, FilesUi};

impl FilesUi {
    pub(super) fn picked(&mut self, ctx: &egui::Context, picked: Picked, doc: DocState<'_>) -> Vec<FileAction> {
        let Some(first) = picked.paths.first().cloned() else {
            return Vec::new();
        };
        match picked.purpose {
            Purpose::Open => self.open_path(&first),
            Purpose::SaveAs => {
                let mut out: Vec<FileAction> = self.save_to(&first, doc.report).into_iter().collect();
                if let Some(g) = self.after_save.take()
                    && !out.is_empty()
                {
                    out.extend(self.run_guarded(ctx, g));
                }
                out
            }
            Purpose::Export => {
                match self.export.write(&first, doc.report) {
                    Ok(()) => self.info = Some(format!("已导出到 {}", first.display())),
                    Err(e) => self.error = Some(e),
                }
                Vec::new()
            }
            Purpose::MergeUnits => {
                self.merge.add_files(picked.paths);
                Vec::new()
            }
            Purpose::BreakdownCsv => {
                if let Err(e) = self.breakdown.write_csv(&first) {
                    self.error = Some(e);
                } else {
                    self.info = Some(format!("已导出到 {}", first.display()));
                }
                Vec::new()
            }
        }
    }

    /// The error, else the notice: one at a time, and only once no question is waiting (a result never shows
    /// under, or together with, a prompt).
    pub(super) fn show_messages(&mut self, ctx: &egui::Context) {
        if self.prompt.is_open() || self.conflict.is_open() || self.picker.is_open() {
            return;
        }
        let (slot, title, id) = if self.error.is_some() {
            (&mut self.error, "出错了", "nianbao_files_error")
        } else {
            (&mut self.info, "完成", "nianbao_files_info")
        };
        let Some(msg) = slot.as_ref() else { return };
        let mut open = true;
        let mut ok = false;
        crate::ui::dialog(ctx, title, id, &mut open)
            .resizable(false)
            .vscroll(false)
            .show(ctx, |ui| {
                ui.set_max_width(560.0);
                // The text scrolls; 确定 stays visible below it.
                let room = (ctx.content_rect().height() - 180.0).max(80.0);
                egui::ScrollArea::vertical().max_height(room).show(ui, |ui| {
                    ui.label(msg.as_str());
                });
                ui.add_space(6.0);
                ok = ui.button("确定").clicked();
            });
        if ok || !open {
            *slot = None;
        }
    }
}
