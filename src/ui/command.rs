//! What the clerk can ask of the window. [`Command`] is what panels return (applied at the end of the frame);
//! [`UiCommand`] is the registry of the commands a menu entry or a shortcut starts: each with its Chinese text,
//! tooltip and shortcut, one listener for all shortcuts, and menu buttons that show the shortcut.

use crate::document::Edit;
use crate::report::Report;
use crate::template::{CellIdx, Edition};
use crate::ui::files::FileOp;
use egui::os::OperatingSystem;
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::PathBuf;

/// Something a panel asks for; the app carries it out at the end of the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// An edit of the document (one undo step), applied as it is.
    Edit(Edit),
    /// Switch the report to another edition (asks first when numbers would not fit).
    SwitchEdition(Edition),
    /// Undo the last change to the report.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Scroll to a cell and give it keyboard focus.
    FocusCell(CellIdx),
    /// Switch between the light and dark theme.
    SetDark(bool),
    /// Zoom in (+1) or out (-1), or back to 100 % (0).
    Zoom(i8),
    /// Replace the whole document (a file was opened, a new report started). Not an undo step.
    ReplaceDocument(Box<Report>, Option<PathBuf>),
    /// The document was saved at this path.
    MarkSaved(PathBuf),
    /// A file command (新建, 打开, 保存, 导出, 汇总, 退出…), carried out by the file side.
    File(FileOp),
    /// 全面检查: findings about blank cells too.
    CheckAll,
    /// Scroll the form to a part (see [`crate::ui::form::Part`]).
    JumpTo(crate::ui::form::Part),
}

/// The registry: every command of the menus, with its text, tooltip and shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    /// 新建.
    New,
    /// 打开….
    Open,
    /// 保存.
    Save,
    /// 另存为….
    SaveAs,
    /// 导出….
    Export,
    /// 粘贴报告文本….
    PasteImport,
    /// 新建下一年度报告….
    NextYear,
    /// 汇总下级报告….
    Merge,
    /// 汇总明细.
    Breakdown,
    /// 退出.
    Quit,
    /// 撤销.
    Undo,
    /// 重做.
    Redo,
    /// 全面检查.
    CheckAll,
    /// 空白单元格填0.
    FillBlanksWithZero,
    /// 使用自动计算的合计.
    UseComputedTotals,
    /// 放大.
    ZoomIn,
    /// 缩小.
    ZoomOut,
    /// 还原大小.
    ZoomReset,
}

impl UiCommand {
    /// Every command, in menu order.
    pub const ALL: [UiCommand; 18] = [
        UiCommand::New,
        UiCommand::Open,
        UiCommand::Save,
        UiCommand::SaveAs,
        UiCommand::Export,
        UiCommand::PasteImport,
        UiCommand::NextYear,
        UiCommand::Merge,
        UiCommand::Breakdown,
        UiCommand::Quit,
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::CheckAll,
        UiCommand::FillBlanksWithZero,
        UiCommand::UseComputedTotals,
        UiCommand::ZoomIn,
        UiCommand::ZoomOut,
        UiCommand::ZoomReset,
    ];

    /// The menu text.
    pub fn text(self) -> &'static str {
        match self {
            UiCommand::New => "新建",
            UiCommand::Open => "打开…",
            UiCommand::Save => "保存",
            UiCommand::SaveAs => "另存为…",
            UiCommand::Export => "导出…",
            UiCommand::PasteImport => "粘贴报告文本…",
            UiCommand::NextYear => "新建下一年度报告…",
            UiCommand::Merge => "汇总下级报告…",
            UiCommand::Breakdown => "汇总明细",
            UiCommand::Quit => "退出",
            UiCommand::Undo => "撤销",
            UiCommand::Redo => "重做",
            UiCommand::CheckAll => "全面检查",
            UiCommand::FillBlanksWithZero => "空白单元格填0",
            UiCommand::UseComputedTotals => "使用自动计算的合计",
            UiCommand::ZoomIn => "放大",
            UiCommand::ZoomOut => "缩小",
            UiCommand::ZoomReset => "还原大小",
        }
    }

    /// What the command does, shown when the pointer rests on its menu entry.
    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::New => "开始填写一份空白报告",
            UiCommand::Open => "打开项目文件、报告文本或 JSON",
            UiCommand::Save => "保存到当前的项目文件",
            UiCommand::SaveAs => "保存到新的项目文件",
            UiCommand::Export => "导出为文本、网页、JSON 等格式",
            UiCommand::PasteImport => "把已发布的报告全文粘贴进来读取",
            UiCommand::NextYear => "以本报告为基础新建下一年度的报告",
            UiCommand::Merge => "把各下级单位的报告汇总成一份",
            UiCommand::Breakdown => "查看上次汇总时各单位的数字",
            UiCommand::Quit => "关闭窗口（有未保存的修改时先询问）",
            UiCommand::Undo => "撤销上一次修改",
            UiCommand::Redo => "重做撤销的修改",
            UiCommand::CheckAll => "检查全部内容，包括还没有填写的单元格",
            UiCommand::FillBlanksWithZero => "把所有空白的单元格填为0",
            UiCommand::UseComputedTotals => "用自动计算的合计替换报告中原有的合计",
            UiCommand::ZoomIn => "放大界面",
            UiCommand::ZoomOut => "缩小界面",
            UiCommand::ZoomReset => "界面恢复为100%",
        }
    }

    /// The shortcut on `os` (Ctrl on Windows and Linux, ⌘ on macOS; redo is Ctrl+Y, ⇧⌘Z on macOS).
    pub fn shortcut(self, os: OperatingSystem) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let key = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            UiCommand::New => key(cmd, Key::N),
            UiCommand::Open => key(cmd, Key::O),
            UiCommand::Save => key(cmd, Key::S),
            UiCommand::SaveAs => key(cmd | Modifiers::SHIFT, Key::S),
            UiCommand::Export => key(cmd, Key::E),
            UiCommand::Quit => key(cmd, Key::Q),
            UiCommand::Undo => key(cmd, Key::Z),
            UiCommand::Redo if os == OperatingSystem::Mac => key(cmd | Modifiers::SHIFT, Key::Z),
            UiCommand::Redo => key(cmd, Key::Y),
            UiCommand::CheckAll => key(Modifiers::NONE, Key::F9),
            UiCommand::ZoomIn => key(cmd, Key::Equals),
            UiCommand::ZoomOut => key(cmd, Key::Minus),
            UiCommand::ZoomReset => key(cmd, Key::Num0),
            UiCommand::PasteImport
            | UiCommand::NextYear
            | UiCommand::Merge
            | UiCommand::Breakdown
            | UiCommand::FillBlanksWithZero
            | UiCommand::UseComputedTotals => None,
        }
    }

    /// What the command asks of the app.
    pub fn command(self) -> Command {
        match self {
            UiCommand::New => Command::File(FileOp::New),
            UiCommand::Open => Command::File(FileOp::Open(None)),
            UiCommand::Save => Command::File(FileOp::Save),
            UiCommand::SaveAs => Command::File(FileOp::SaveAs(None)),
            UiCommand::Export => Command::File(FileOp::Export),
            UiCommand::PasteImport => Command::File(FileOp::PasteImport),
            UiCommand::NextYear => Command::File(FileOp::NextYear),
            UiCommand::Merge => Command::File(FileOp::Merge),
            UiCommand::Breakdown => Command::File(FileOp::Breakdown),
            UiCommand::Quit => Command::File(FileOp::Quit),
            UiCommand::Undo => Command::Undo,
            UiCommand::Redo => Command::Redo,
            UiCommand::CheckAll => Command::CheckAll,
            UiCommand::FillBlanksWithZero => Command::Edit(Edit::FillBlanksWithZero),
            UiCommand::UseComputedTotals => Command::Edit(Edit::UseComputedTotals),
            UiCommand::ZoomIn => Command::Zoom(1),
            UiCommand::ZoomOut => Command::Zoom(-1),
            UiCommand::ZoomReset => Command::Zoom(0),
        }
    }

    /// The one shortcut listener: takes the first command whose shortcut was pressed this frame. Shortcuts
    /// with more modifiers go first (Ctrl+Shift+S before Ctrl+S, which would also match it). `text_editing`:
    /// undo and redo are left to the focused long text field, whose own undo is the natural one there.
    pub fn listen(ctx: &egui::Context, text_editing: bool) -> Option<UiCommand> {
        let os = ctx.os();
        let mut list: Vec<(UiCommand, KeyboardShortcut)> = UiCommand::ALL
            .iter()
            .filter(|c| !(text_editing && matches!(c, UiCommand::Undo | UiCommand::Redo)))
            .filter_map(|&c| c.shortcut(os).map(|s| (c, s)))
            .collect();
        // Ctrl+Shift+Z redoes everywhere, as in most programs.
        if !text_editing {
            list.push((
                UiCommand::Redo,
                KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
            ));
        }
        list.sort_by_key(|(_, s)| std::cmp::Reverse(modifier_count(s.modifiers)));
        ctx.input_mut(|i| list.into_iter().find(|(_, s)| i.consume_shortcut(s)).map(|(c, _)| c))
    }

    /// The command's menu entry, with its shortcut; returns whether it was clicked.
    pub fn menu_button(self, ui: &mut egui::Ui, enabled: bool) -> bool {
        let mut button = egui::Button::new(self.text());
        if let Some(s) = self.shortcut(ui.ctx().os()) {
            button = button.shortcut_text(shortcut_text(s));
        }
        let clicked = ui.add_enabled(enabled, button).on_hover_text(self.tooltip()).clicked();
        if clicked {
            ui.close();
        }
        clicked
    }
}

/// How many modifier keys a shortcut needs.
fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.ctrl) + u8::from(m.shift) + u8::from(m.mac_cmd) + u8::from(m.command)
}

/// A shortcut as the menus show it: `Ctrl+Shift+S` (`⇧⌘S` on macOS).
pub fn shortcut_text(s: KeyboardShortcut) -> String {
    let mac = matches!(OperatingSystem::from_target_os(), OperatingSystem::Mac);
    s.format(&egui::ModifierNames::NAMES, mac)
}

/// The menus of the menu bar, each opened by Alt and its letter as in Windows programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// 文件(F).
    File,
    /// 编辑(E).
    Edit,
    /// 视图(V).
    View,
    /// 转到(G): the outline of the form.
    Go,
}

impl Menu {
    /// Every menu, left to right.
    pub const ALL: [Menu; 4] = [Menu::File, Menu::Edit, Menu::View, Menu::Go];

    /// The menu's title with its access key.
    pub fn title(self) -> &'static str {
        match self {
            Menu::File => "文件(F)",
            Menu::Edit => "编辑(E)",
            Menu::View => "视图(V)",
            Menu::Go => "转到(G)",
        }
    }

    /// The key that, with Alt, opens the menu.
    pub fn access_key(self) -> Key {
        match self {
            Menu::File => Key::F,
            Menu::Edit => Key::E,
            Menu::View => Key::V,
            Menu::Go => Key::G,
        }
    }

    /// The menu whose Alt+letter was pressed this frame, if any (the key is taken).
    pub fn listen(ctx: &egui::Context) -> Option<Menu> {
        ctx.input_mut(|i| {
            Menu::ALL
                .into_iter()
                .find(|m| i.consume_key(Modifiers::ALT, m.access_key()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut_on_any_system() {
        for os in [OperatingSystem::Windows, OperatingSystem::Nix, OperatingSystem::Mac] {
            let mut seen: Vec<(KeyboardShortcut, UiCommand)> = Vec::new();
            for c in UiCommand::ALL {
                let Some(s) = c.shortcut(os) else { continue };
                if let Some((_, other)) = seen.iter().find(|(k, _)| *k == s) {
                    panic!("{c:?} and {other:?} share {s:?} on {os:?}");
                }
                seen.push((s, c));
            }
            // The menus' Alt+letter keys are not command shortcuts either.
            for m in Menu::ALL {
                let alt = KeyboardShortcut::new(Modifiers::ALT, m.access_key());
                assert!(seen.iter().all(|(k, _)| *k != alt), "{m:?}");
            }
        }
    }

    #[test]
    fn every_command_has_chinese_text_and_a_tooltip_and_is_listed_once() {
        for (i, c) in UiCommand::ALL.iter().enumerate() {
            assert!(!c.text().is_ascii() && !c.tooltip().is_ascii(), "{c:?}");
            assert!(!UiCommand::ALL[..i].contains(c), "{c:?} listed twice");
        }
    }
}
