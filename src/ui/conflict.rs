//! The question asked before saving over a project file that another program changed (or removed) since it
//! was opened or last saved here: 覆盖 / 另存为… / 取消. The check itself is [`crate::project::DiskStamp`].

use crate::project::DiskChange;
use std::path::{Path, PathBuf};

/// The clerk's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Save over the file anyway.
    Overwrite,
    /// Save under another name (the changed file stays as it is).
    SaveAs,
    /// Do not save.
    Cancel,
}

/// What is waiting for the answer: the file and the action to run after a save (e.g. closing the window).
struct Pending<A> {
    path: PathBuf,
    change: DiskChange,
    then: A,
}

/// A modal question holding the save that waits for the answer.
pub struct ConflictPrompt<A> {
    pending: Option<Pending<A>>,
}

impl<A> Default for ConflictPrompt<A> {
    fn default() -> Self {
        ConflictPrompt { pending: None }
    }
}

impl<A> ConflictPrompt<A> {
    /// Asks about saving to `path`, which is `change`d on disk; `then` comes back with the answer.
    pub fn ask(&mut self, path: &Path, change: DiskChange, then: A) {
        self.pending = Some(Pending {
            path: path.to_path_buf(),
            change,
            then,
        });
    }

    /// Whether the question is showing.
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// The message shown for a file at `path` that is `change`d on disk.
    pub fn message(path: &Path, change: DiskChange) -> String {
        let shown = path.display();
        match change {
            DiskChange::Missing => format!(
                "文件已被其他程序删除或移走：{shown}\n\n覆盖：按现在的内容重新保存到这个位置。\n另存为：保存为另一个文件。"
            ),
            DiskChange::Modified | DiskChange::Unchanged => format!(
                "文件已被其他程序修改：{shown}\n\n覆盖：用现在的内容替换它，其他程序所做的修改会丢失。\n另存为：保存为另一个文件，原文件保持不变。"
            ),
        }
    }

    /// Shows the question; returns the answer with the path and the waiting action once answered (Escape is
    /// 取消).
    pub fn show(&mut self, ctx: &egui::Context) -> Option<(ConflictChoice, PathBuf, A)> {
        let pending = self.pending.as_ref()?;
        let text = ConflictPrompt::<A>::message(&pending.path, pending.change);
        let mut choice = None;
        let resp = egui::Modal::new(egui::Id::unique("nianbao_conflict_prompt")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.heading("文件在别处被改动了");
            ui.label(text);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("覆盖").clicked() {
                    choice = Some(ConflictChoice::Overwrite);
                }
                if ui.button("另存为…").clicked() {
                    choice = Some(ConflictChoice::SaveAs);
                }
                if ui.button("取消").clicked() {
                    choice = Some(ConflictChoice::Cancel);
                }
            });
        });
        if choice.is_none() && resp.should_close() {
            choice = Some(ConflictChoice::Cancel);
        }
        let choice = choice?;
        self.pending.take().map(|p| (choice, p.path, p.then))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_file_and_what_happened() {
        let p = Path::new("/tmp/测试 目录/报告 2025.nianbao");
        let m = ConflictPrompt::<()>::message(p, DiskChange::Modified);
        assert!(
            m.starts_with("文件已被其他程序修改：/tmp/测试 目录/报告 2025.nianbao"),
            "{m}"
        );
        let m = ConflictPrompt::<()>::message(p, DiskChange::Missing);
        assert!(m.starts_with("文件已被其他程序删除或移走："), "{m}");
    }
}
