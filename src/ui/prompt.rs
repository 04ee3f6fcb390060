//! The unsaved-changes prompt (保存 / 不保存 / 取消), shown before New, Open, an import replacing the document,
//! and closing the window.

/// The clerk's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptChoice {
    /// Save first, then go on.
    Save,
    /// Go on without saving.
    Discard,
    /// Stay on the document.
    Cancel,
}

/// A modal question holding the action that waits for the answer.
pub struct UnsavedPrompt<A> {
    pending: Option<(A, String)>,
}

impl<A> Default for UnsavedPrompt<A> {
    fn default() -> Self {
        UnsavedPrompt { pending: None }
    }
}

impl<A> UnsavedPrompt<A> {
    /// Asks about the document called `name` before `action` (replaces any question already showing).
    pub fn ask(&mut self, action: A, name: impl Into<String>) {
        self.pending = Some((action, name.into()));
    }

    /// Whether the question is showing.
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Shows the question; returns the answer with the waiting action once answered (Escape is 取消).
    pub fn show(&mut self, ctx: &egui::Context) -> Option<(PromptChoice, A)> {
        let (_, name) = self.pending.as_ref()?;
        let mut choice = None;
        let resp = egui::Modal::new(egui::Id::unique("nianbao_unsaved_prompt")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading("有未保存的修改");
            ui.label(format!("「{name}」的修改还没有保存。要先保存吗？"));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("保存").clicked() {
                    choice = Some(PromptChoice::Save);
                }
                if ui.button("不保存").clicked() {
                    choice = Some(PromptChoice::Discard);
                }
                if ui.button("取消").clicked() {
                    choice = Some(PromptChoice::Cancel);
                }
            });
        });
        if choice.is_none() && resp.should_close() {
            choice = Some(PromptChoice::Cancel);
        }
        let choice = choice?;
        self.pending.take().map(|(a, _)| (choice, a))
    }
}
