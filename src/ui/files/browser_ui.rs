//! Draws the in-app file browser ([`Browser`]) as a modal window that fits the screen: path bar and 上一级,
//! the places column, the folder's entries, the name box, the kind chooser, errors and the overwrite question.

use super::browser::{Browser, Outcome};
use super::request::DialogMode;
use std::path::PathBuf;

/// What the clerk did in the browser this frame.
pub enum BrowserEvent {
    /// Nothing final.
    None,
    /// Files chosen.
    Chosen(Vec<PathBuf>),
    /// 取消 or ×.
    Cancel,
}

/// Shows `browser` titled `title`, with `note` (why it is showing) above it.
pub fn show_browser(ctx: &egui::Context, title: &str, note: Option<&str>, browser: &mut Browser) -> BrowserEvent {
    let screen = ctx.content_rect();
    let width = (screen.width() - 48.0).clamp(280.0, 820.0);
    // Room for the list: the screen less the rows above and below it (a 1366×768 screen keeps ~400 px).
    let list_height = (screen.height() - 360.0).clamp(100.0, 460.0);
    let mut event = BrowserEvent::None;
    let mut outcome = Outcome::Stay;
    // Enter with no text field focused (a row selected with the mouse) chooses too; read before the fields run,
    // so the Enter that leaves a field is not taken twice.
    let free_enter = ctx.memory(|m| m.focused().is_none()) && ctx.input(|i| i.key_pressed(egui::Key::Enter));
    let mut acted = false;
    egui::Modal::new(egui::Id::unique("nianbao_file_browser")).show(ctx, |ui| {
        ui.set_width(width);
        // Sides, not a right-to-left layout: that would take the modal's whole free height and grow it each frame.
        egui::Sides::new().show(
            ui,
            |ui| ui.heading(title),
            |ui| {
                if ui.button("×").on_hover_text("关闭").clicked() {
                    event = BrowserEvent::Cancel;
                }
            },
        );
        if let Some(note) = note {
            ui.label(note);
        }
        ui.horizontal(|ui| {
            if ui.button("↑ 上一级").clicked() {
                browser.up();
            }
            let label = ui.label("位置");
            let bar = ui
                .add(egui::TextEdit::singleline(&mut browser.location).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if bar.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                outcome = browser.submit_location();
                acted = true;
            }
        });
        ui.separator();
        ui.horizontal_top(|ui| {
            places_column(ui, browser, (width * 0.24).min(180.0), list_height);
            // Space, not a separator: a vertical separator here spans the modal's free height and grows it.
            ui.add_space(8.0);
            if let Some(o) = entries_list(ui, browser, list_height) {
                outcome = o;
                acted = true;
            }
        });
        ui.separator();
        if let Some(o) = name_and_kind(ui, browser, width) {
            outcome = o;
            acted = true;
        }
        if let Some(err) = &browser.error {
            ui.colored_label(ui.visuals().error_fg_color, err.as_str());
        }
        if let Some(o) = overwrite_question(ui, browser) {
            outcome = o;
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let ok = if browser.mode() == DialogMode::Save {
                "保存"
            } else {
                "打开"
            };
            if ui.button(ok).clicked() {
                outcome = browser.confirm();
                acted = true;
            }
            if ui.button("取消").clicked() {
                event = BrowserEvent::Cancel;
            }
            if ui.button("刷新").clicked() {
                browser.refresh();
            }
        });
    });
    if free_enter && !acted && matches!(event, BrowserEvent::None) && browser.overwrite_question().is_none() {
        outcome = browser.confirm();
    }
    match (event, outcome) {
        (BrowserEvent::Cancel, _) => BrowserEvent::Cancel,
        (_, Outcome::Chosen(paths)) => BrowserEvent::Chosen(paths),
        (e, Outcome::Stay) => e,
    }
}

/// 常用位置: a click goes there.
fn places_column(ui: &mut egui::Ui, browser: &mut Browser, width: f32, height: f32) {
    ui.vertical(|ui| {
        ui.set_width(width);
        ui.strong("常用位置");
        egui::ScrollArea::vertical()
            .id_salt("nianbao_browser_places")
            .max_height(height)
            .show(ui, |ui| {
                let mut go = None;
                for place in browser.places() {
                    let here = place.path == browser.folder();
                    let r = ui
                        .selectable_label(here, place.label.as_str())
                        .on_hover_text(place.path.display().to_string());
                    if r.clicked() {
                        go = Some(place.path.clone());
                    }
                }
                if let Some(p) = go {
                    browser.go(&p);
                }
            });
    });
}

/// The folder's entries: a click selects, a double click opens a folder or chooses a file.
fn entries_list(ui: &mut egui::Ui, browser: &mut Browser, height: f32) -> Option<Outcome> {
    ui.vertical(|ui| {
        egui::ScrollArea::vertical()
            .id_salt("nianbao_browser_entries")
            .max_height(height)
            .min_scrolled_height(height)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut clicked = None;
                let mut activated = None;
                let entries: Vec<_> = browser.visible().cloned().collect();
                if entries.is_empty() {
                    ui.weak("（此文件夹中没有可选的文件）");
                }
                for e in entries {
                    let selected = browser.is_selected(&e);
                    // A folder says so at the right of its row, like the 类型 column of a file manager.
                    let button = if e.is_dir {
                        egui::Button::selectable(
                            selected,
                            (
                                e.name.as_str(),
                                egui::Atom::grow(),
                                egui::RichText::new("文件夹").weak(),
                            ),
                        )
                    } else {
                        egui::Button::selectable(selected, e.name.as_str())
                    };
                    let r = ui.add(button.truncate().min_size(egui::vec2(ui.available_width(), 0.0)));
                    if r.double_clicked() {
                        activated = Some(e);
                    } else if r.clicked() {
                        clicked = Some(e);
                    }
                }
                if let Some(e) = activated {
                    return Some(browser.activate(&e));
                }
                if let Some(e) = clicked {
                    browser.click(&e);
                }
                None
            })
            .inner
    })
    .inner
}

/// The 文件名 box (Enter confirms) and the 文件类型 chooser.
fn name_and_kind(ui: &mut egui::Ui, browser: &mut Browser, width: f32) -> Option<Outcome> {
    let many = browser.mode() == DialogMode::OpenMany;
    egui::Grid::new("nianbao_browser_name")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label(if many {
                "文件名（每行一个）"
            } else {
                "文件名"
            });
            let edit = if many {
                egui::TextEdit::multiline(&mut browser.name).desired_rows(2)
            } else {
                egui::TextEdit::singleline(&mut browser.name)
            };
            let name = ui.add(edit.desired_width(f32::INFINITY)).labelled_by(label.id);
            if browser.take_name_focus() {
                name.request_focus();
            }
            if name.changed() {
                browser.name_typed();
            }
            let confirmed = (!many && name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)))
                .then(|| browser.confirm());
            ui.end_row();
            let kind_label = ui.label("文件类型");
            let names: Vec<String> = browser.kinds.iter().map(|k| k.name.clone()).collect();
            egui::ComboBox::from_id_salt("nianbao_browser_kind")
                .width(width * 0.5)
                .show_index(ui, &mut browser.kind, names.len(), |i| names[i].clone())
                .labelled_by(kind_label.id);
            ui.end_row();
            confirmed
        })
        .inner
}

/// 「…」已经存在。要替换它吗？ with 替换 / 不替换, while a save waits for the answer.
fn overwrite_question(ui: &mut egui::Ui, browser: &mut Browser) -> Option<Outcome> {
    let target = browser.overwrite_question()?;
    let shown = target
        .file_name()
        .map_or_else(|| target.display().to_string(), |n| n.to_string_lossy().into_owned());
    ui.colored_label(ui.visuals().warn_fg_color, format!("「{shown}」已经存在。要替换它吗？"));
    let (yes, no) = ui
        .horizontal(|ui| (ui.button("替换").clicked(), ui.button("不替换").clicked()))
        .inner;
    if yes {
        Some(browser.answer_overwrite(true))
    } else if no {
        Some(browser.answer_overwrite(false))
    } else {
        None
    }
}
