//! The window's side of recovery: the offer to restore unsaved work at start, the crash notice, problems with
//! the recovery copy, and writing that copy while there are unsaved changes (the copy itself: `recovery.rs`).

use super::{Command, NianbaoApp};
use std::time::Instant;

/// Recovery: the copy of unsaved work, the offer to restore it at start, the crash notice.
impl NianbaoApp {
    /// Starts recovery in the data folder: panic hook, the offer from a previous run, and the test hooks of
    /// `scripts/kill-restore.sh` (`NIANBAO_REPLAY`, `NIANBAO_AUTO_RESTORE`, `NIANBAO_DUMP_ON_START`; see
    /// `recovery.rs`).
    pub fn start_recovery(&mut self) {
        let store = match crate::recovery::RecoveryStore::from_env() {
            Ok(s) => s,
            Err(e) => return eprintln!("nianbao: {e}"),
        };
        self.recovery = Some(crate::recovery::Guard::start(store));
        if let Some(r) = crate::recovery::replay::from_env(&self.doc.report) {
            self.doc.report = r;
            self.changed();
        }
        if let Some(restore) = crate::recovery::Guard::auto_answer() {
            self.answer_recovery(restore);
        }
        self.apply_pending();
        crate::recovery::dump_if_asked(&self.doc.report);
    }

    /// The clerk's answer to the offer.
    pub(super) fn answer_recovery(&mut self, restore: bool) {
        let Some(guard) = self.recovery.as_mut() else { return };
        if let Some(r) = guard.answer(restore) {
            self.apply(Command::ReplaceDocument(Box::new(r.report), r.original_path));
            // Restored work is still unsaved: keep it protected and the title marked until the clerk saves.
            self.doc.dirty = true;
        }
    }

    /// Each frame: the offer, the crash notice, problems, and the recovery copy while there are unsaved changes.
    pub(super) fn show_recovery(&mut self, ctx: &egui::Context) {
        let Some(guard) = self.recovery.as_mut() else { return };
        let mut answer = None;
        if let Some(offer) = guard.offer() {
            let text = offer.describe(crate::recovery::now_secs());
            egui::Modal::new(egui::Id::unique("nianbao_recovery_offer")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading("发现未保存的内容");
                ui.label(text);
                ui.horizontal(|ui| {
                    if ui.button("恢复未保存的内容").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("放弃").clicked() {
                        answer = Some(false);
                    }
                });
            });
        } else if let Some(log) = guard.crash_log() {
            let text = crate::crash::notice_text(log);
            let mut ok = false;
            egui::Modal::new(egui::Id::unique("nianbao_crash_notice")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.label(text);
                ok = ui.button("知道了").clicked();
            });
            if ok {
                guard.dismiss_crash_log();
            }
        } else if let Some(problem) = guard.problem() {
            let text = problem.to_string();
            let mut ok = false;
            egui::Window::new("自动保留未保存内容时出错")
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label(text);
                    ok = ui.button("知道了").clicked();
                });
            if ok {
                guard.take_problem();
            }
        }
        let focused = ctx.input(|i| i.focused);
        let wake = guard.tick(
            &self.doc.report,
            self.doc.path.as_deref(),
            self.doc.dirty,
            focused,
            Instant::now(),
        );
        if let Some(d) = wake {
            ctx.request_repaint_after(d);
        }
        if let Some(restore) = answer {
            self.answer_recovery(restore);
        }
    }
}
