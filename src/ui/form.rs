//! The report form, generated from the template: metadata, the texts, and the tables laid out like the
//! official Word tables (captions, merged header cells, row labels with spans). Numeric cells keep the raw text
//! the clerk typed; valid entries become [`Command::Edit`], invalid ones stay red with the reason.

use crate::document::Document;
use crate::document::Edit;
use crate::report::{Report, Value};
use crate::template::{CellIdx, Edition, Layout, Table, Template, TextId};
use crate::ui::Palette;
use crate::ui::command::Command;
use egui::{Align, Align2, Color32, Event, FocusDirection, Key, Modifiers, Rect, Sense, Stroke, StrokeKind, Vec2};
use std::collections::HashMap;

mod layout;

use layout::{LINE_HEIGHT, PAD};

/// Runtime state of the form: what the clerk typed, which entries are invalid, where focus goes next.
#[derive(Debug, Default)]
pub struct FormState {
    /// Raw text of cells being edited (shown as typed until the cell is left; the report holds its value,
    /// invalid text included).
    buffers: HashMap<CellIdx, String>,
    /// Cell to scroll to and focus on the next frame.
    focus_request: Option<CellIdx>,
    /// The cell that had keyboard focus in the last frame.
    focused: Option<CellIdx>,
    /// The cell the clerk is on (its text was selected whole when it got focus, so typing replaces it).
    selected: Option<CellIdx>,
    /// The cell edited in place (F2 or a double click): the arrow keys move the caret instead of the cell.
    in_place: Option<CellIdx>,
    /// What the selected cell held when the clerk arrived on it, restored by Esc.
    origin: Option<Origin>,
    /// Part of the form to scroll to on the next frame (the outline, a newly opened file).
    jump: Option<Part>,
    /// The form's scroll position and visible height in the last frame (for `PageUp` / `PageDown`).
    scroll: (f32, f32),
}

/// A part of the form the outline (转到) jumps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The top: agency, year, title, preamble.
    Top,
    /// A section of the template, by index.
    Section(usize),
}

/// The outline of the form: its top, then every section by its heading.
pub fn outline(report: &Report) -> Vec<(Part, String)> {
    std::iter::once((Part::Top, "报告开头（机关名称、年度、标题）".to_string()))
        .chain(
            report
                .template()
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| (Part::Section(i), s.heading.to_string())),
        )
        .collect()
}

/// A cell's content when the clerk arrived on it.
#[derive(Debug, Clone)]
struct Origin {
    idx: CellIdx,
    value: Value,
    raw: Option<String>,
}

impl FormState {
    /// Forgets every edit buffer and invalid entry (after undo, a new document, …).
    pub fn clear(&mut self) {
        self.buffers.clear();
    }

    /// Forgets the edit buffer of one cell (its value was set from elsewhere).
    pub fn forget(&mut self, idx: CellIdx) {
        self.buffers.remove(&idx);
    }

    /// Scrolls to a part of the form on the next frame.
    pub fn jump(&mut self, part: Part) {
        self.jump = Some(part);
    }

    /// The part of the form the next frame scrolls to, if any.
    pub fn pending_jump(&self) -> Option<Part> {
        self.jump
    }

    /// Scrolls to `idx` and focuses it on the next frame.
    pub fn focus(&mut self, idx: CellIdx) {
        self.focus_request = Some(idx);
    }

    /// The raw text of a cell being edited, if any.
    pub fn raw(&self, idx: CellIdx) -> Option<&str> {
        self.buffers.get(&idx).map(String::as_str)
    }

    /// The cell that has keyboard focus.
    pub fn focused(&self) -> Option<CellIdx> {
        self.focused
    }

    /// The cell edited in place (F2 or a double click), if any.
    pub fn editing_in_place(&self) -> Option<CellIdx> {
        self.in_place
    }
}

/// Keys a cell's text field receives instead of egui's focus traversal: the form moves between cells itself.
const CELL_KEYS: egui::EventFilter = egui::EventFilter {
    tab: true,
    horizontal_arrows: true,
    vertical_arrows: true,
    escape: true,
};

/// Puts the caret of a cell's text field: the whole `text` selected, or the caret after its end.
fn place_caret(ctx: &egui::Context, idx: CellIdx, text: &str, select_all: bool) {
    let id = cell_id(idx);
    let mut st = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
    let end = egui::text::CCursor::new(text.chars().count());
    let range = if select_all {
        egui::text::CCursorRange::two(egui::text::CCursor::new(0), end)
    } else {
        egui::text::CCursorRange::one(end)
    };
    st.cursor.set_char_range(Some(range));
    st.store(ctx, id);
}

/// The widget id of a cell's text field.
pub fn cell_id(idx: CellIdx) -> egui::Id {
    egui::Id::unique(("nianbao-cell", idx))
}

/// The widget id of a free-text field.
pub fn text_id(text: TextId) -> egui::Id {
    egui::Id::unique(("nianbao-text", text))
}

fn agency_id() -> egui::Id {
    egui::Id::unique("nianbao-agency")
}

fn title_id() -> egui::Id {
    egui::Id::unique("nianbao-title")
}

/// Whether `id` is a free-text or metadata field, where the text field's own undo applies.
pub fn is_free_text_id(_ctx: &egui::Context, id: egui::Id) -> bool {
    id == agency_id() || id == title_id() || TextId::ALL.iter().any(|&t| text_id(t) == id)
}

/// Input cells in template order.
fn input_cells(t: &Template) -> impl DoubleEndedIterator<Item = CellIdx> + '_ {
    t.cells.iter().enumerate().filter(|(_, c)| !c.computed).map(|(i, _)| i)
}

/// The next (`forward`) or previous input cell in template order.
fn step(t: &Template, idx: CellIdx, forward: bool) -> Option<CellIdx> {
    if forward {
        input_cells(t).find(|&i| i > idx)
    } else {
        input_cells(t).rev().find(|&i| i < idx)
    }
}

/// The input cell above or below in the same column of the same table, skipping computed rows.
fn vertical(t: &Template, idx: CellIdx, down: bool) -> Option<CellIdx> {
    let cell = &t.cells[idx];
    let table = &t.tables[cell.table];
    if table.layout == Layout::Inline {
        return None;
    }
    let rows: Vec<usize> = if down {
        (cell.row + 1..table.rows.len()).collect()
    } else {
        (0..cell.row).rev().collect()
    };
    rows.into_iter()
        .filter_map(|r| table.rows[r].cells.get(cell.col).copied())
        .find(|&i| !t.cells[i].computed)
}

/// Splits pasted text into lines of fields: TAB separated (Excel/WPS), or spaces when there is no TAB.
fn split_block(text: &str) -> Vec<Vec<&str>> {
    let mut lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|l| {
            if l.contains('\t') {
                l.split('\t').collect()
            } else {
                l.split_whitespace().collect()
            }
        })
        .collect()
}

/// The input cells a pasted block starting at `idx` fills: line by line, to the right then below.
fn paste_targets(t: &Template, idx: CellIdx, lines: &[Vec<&str>]) -> Vec<(CellIdx, usize, usize)> {
    let cell = &t.cells[idx];
    let table = &t.tables[cell.table];
    let mut out = Vec::new();
    if table.layout == Layout::Inline {
        // One grid line: the block's fields fill consecutive input cells of the table.
        let seq: Vec<CellIdx> = table
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().copied())
            .filter(|&i| i >= idx && !t.cells[i].computed)
            .collect();
        let fields = lines
            .iter()
            .enumerate()
            .flat_map(|(li, l)| (0..l.len()).map(move |fi| (li, fi)));
        out.extend(seq.into_iter().zip(fields).map(|(c, (li, fi))| (c, li, fi)));
        return out;
    }
    let rows = (cell.row..table.rows.len()).filter(|&r| !table.rows[r].computed);
    for ((li, line), r) in lines.iter().enumerate().zip(rows) {
        let cols = (cell.col..table.columns.len()).filter(|&c| !table.columns[c].computed);
        for ((fi, _), c) in line.iter().enumerate().zip(cols) {
            if let Some(&target) = table.rows[r].cells.get(c) {
                out.push((target, li, fi));
            }
        }
    }
    out
}

/// Spreadsheet keys and block paste for the focused cell, as in Excel and WPS: Enter goes down, Tab right
/// (Shift reverses), the arrows move between cells unless the cell is edited in place (F2), Esc restores what
/// the cell held, Delete clears it. Runs before the widgets so that the text field does not see these keys.
/// While a dialog shows (`dialog_open`), Esc is left to it.
pub fn handle_keys(ctx: &egui::Context, report: &Report, state: &mut FormState, dialog_open: bool) -> Vec<Command> {
    let mut out = Vec::new();
    let Some(idx) = state.focused else { return out };
    if ctx.memory(egui::Memory::focused) != Some(cell_id(idx)) {
        state.focused = None;
        return out;
    }
    let t = report.template();
    let in_place = state.in_place == Some(idx);

    let mut target = None;
    let mut paste = None;
    let (mut escape, mut f2, mut delete) = (false, false, false);
    ctx.input_mut(|i| {
        i.events.retain(|e| match e {
            Event::Paste(s) if s.contains(['\t', '\n']) => {
                paste = Some(s.clone());
                false
            }
            _ => true,
        });
        // Shift first: `consume_key` without Shift would also match Shift+Tab.
        if i.consume_key(Modifiers::SHIFT, Key::Tab) {
            target = step(t, idx, false);
        } else if i.consume_key(Modifiers::NONE, Key::Tab) {
            target = step(t, idx, true);
        } else if i.consume_key(Modifiers::SHIFT, Key::Enter) {
            target = vertical(t, idx, false).or_else(|| step(t, idx, false));
        } else if i.consume_key(Modifiers::NONE, Key::Enter) {
            target = vertical(t, idx, true).or_else(|| step(t, idx, true));
        } else if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
            target = vertical(t, idx, true);
        } else if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
            target = vertical(t, idx, false);
        } else if !in_place && i.consume_key(Modifiers::NONE, Key::ArrowRight) {
            target = step(t, idx, true);
        } else if !in_place && i.consume_key(Modifiers::NONE, Key::ArrowLeft) {
            target = step(t, idx, false);
        } else if !dialog_open && i.consume_key(Modifiers::NONE, Key::Escape) {
            escape = true;
        } else if i.consume_key(Modifiers::NONE, Key::F2) {
            f2 = true;
        } else if !in_place && i.consume_key(Modifiers::NONE, Key::Delete) {
            delete = true;
        }
    });

    if escape {
        state.in_place = None;
        if let Some(o) = state.origin.clone().filter(|o| o.idx == idx) {
            let text = o
                .raw
                .clone()
                .unwrap_or_else(|| shown_value(report, idx, o.value.clone()));
            if report.get(idx) != o.value {
                out.push(Command::Edit(Edit::SetCell(idx, o.value)));
            }
            place_caret(ctx, idx, &text, true);
            state.buffers.insert(idx, text);
        }
    }
    if f2 {
        state.in_place = Some(idx);
        let text = state.buffers.get(&idx).cloned().unwrap_or_else(|| shown(report, idx));
        place_caret(ctx, idx, &text, false);
    }
    if delete {
        state.buffers.insert(idx, String::new());
        if !report.get(idx).is_blank() {
            out.push(Command::Edit(Edit::SetCell(idx, Value::Blank)));
        }
    }
    if let Some(text) = paste {
        let lines = split_block(&text);
        let mut values = Vec::new();
        for (cell, li, fi) in paste_targets(t, idx, &lines) {
            // Kept as pasted, valid or not: the checks name what is wrong.
            values.push((cell, Value::from_input(t.cells[cell].kind, lines[li][fi])));
        }
        if !values.is_empty() {
            out.push(Command::Edit(Edit::SetCells(values)));
        }
    }
    if let Some(target) = target {
        // Focus moves now; egui's own Tab/arrow traversal (already noted this frame) is cancelled.
        ctx.memory_mut(|m| {
            m.move_focus(FocusDirection::None);
            m.request_focus(cell_id(target));
        });
        state.focus_request = Some(target);
        state.focused = Some(target);
    }
    out
}

/// Draws the form. `marks[cell]`: 1 in a warning, 2 in an error.
pub fn show(ui: &mut egui::Ui, doc: &Document, marks: &[u8], state: &mut FormState) -> Vec<Command> {
    let mut out = Vec::new();
    let report = &doc.report;
    let t = report.template();
    let mut any_focused = false;
    let mut area = egui::ScrollArea::both().auto_shrink([false, false]).id_salt("form");
    // PageUp / PageDown scroll the form by a screenful (a long text being edited keeps them).
    let (offset, page) = state.scroll;
    let in_text = ui
        .ctx()
        .memory(egui::Memory::focused)
        .is_some_and(|id| TextId::ALL.iter().any(|&t| text_id(t) == id));
    if !in_text {
        let (up, down) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::PageUp),
                i.consume_key(Modifiers::NONE, Key::PageDown),
            )
        });
        if up || down {
            let step = (page - LINE_HEIGHT).max(LINE_HEIGHT);
            area = area.vertical_scroll_offset(if down { offset + step } else { (offset - step).max(0.0) });
        }
    }
    let output = area.show(ui, |ui| {
        // Measured once, before content widens the scroll area.
        let width = ui.available_width().clamp(600.0, 1180.0);
        ui.set_max_width(width);
        if state.jump == Some(Part::Top) {
            ui.scroll_to_cursor(Some(Align::TOP));
            state.jump = None;
        }
        // With an assistive technology listening (a screen reader, the tests), every cell is a full widget in the
        // tree. Without one, cells scrolled out of view are only kept focusable: building 170 text fields that
        // nobody sees, three passes per key, was most of a keystroke's CPU under software OpenGL.
        let all_cells = ui.ctx().accesskit_node_builder(ui.unique_id(), |_| ()).is_some();
        let focused_id = ui.memory(egui::Memory::focused);
        meta(ui, doc, doc.edition_offer, &mut out);
        ui.add_space(10.0);
        text_section(ui, report, TextId::Preamble, TextId::Preamble.label(), &mut out);
        for (si, section) in t.sections.iter().enumerate() {
            ui.add_space(14.0);
            if state.jump == Some(Part::Section(si)) {
                ui.scroll_to_cursor(Some(Align::TOP));
                state.jump = None;
            }
            if let Some(text) = section.text {
                text_section(ui, report, text, section.heading, &mut out);
                continue;
            }
            ui.heading(section.heading);
            for &ti in section.tables {
                ui.add_space(6.0);
                let table = &t.tables[ti];
                let ctx = TableCtx {
                    t,
                    report,
                    marks,
                    palette: Palette::of(ui),
                    width,
                    all_cells,
                    focused_id,
                };
                any_focused |= ctx.show(ui, table, state, &mut out);
            }
        }
        ui.add_space(40.0);
    });
    state.scroll = (output.state.clamped_offset().y, output.inner_rect.height());
    if !any_focused {
        state.focused = None;
        state.selected = None;
        state.in_place = None;
    }
    if state.focus_request.is_some() {
        // The requested cell is drawn next frame (e.g. after a click in the findings panel).
        ui.ctx().request_repaint();
    }
    out
}

/// Agency, year, edition and title.
fn meta(ui: &mut egui::Ui, doc: &Document, edition_offer: Option<Edition>, out: &mut Vec<Command>) {
    let report = &doc.report;
    egui::Grid::new("meta")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("机关名称");
            let mut agency = report.agency.clone();
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut agency)
                        .id(agency_id())
                        .hint_text("例如：某县人民政府")
                        .desired_width(360.0),
                )
                .accessible_name("机关名称");
            if r.changed() {
                out.push(Command::Edit(Edit::SetAgency(agency)));
            }
            ui.end_row();

            ui.label("报告年度");
            ui.horizontal(|ui| {
                let mut year = report.year;
                let r = ui
                    .add(
                        egui::DragValue::new(&mut year)
                            .range(2008..=2100)
                            .speed(0.1)
                            .suffix(" 年"),
                    )
                    .accessible_name("报告年度");
                if r.changed() {
                    out.push(Command::Edit(Edit::SetYear(year)));
                }
                ui.add_space(16.0);
                ui.label("格式");
                let mut edition = report.edition;
                egui::ComboBox::from_id_salt("edition")
                    .selected_text(edition.to_string())
                    .width(220.0)
                    .show_ui(ui, |ui| {
                        for e in Edition::ALL {
                            ui.selectable_value(&mut edition, e, format!("{e}（{}）", e.template().notice));
                        }
                    })
                    .response
                    .accessible_name("格式");
                if edition != report.edition {
                    out.push(Command::SwitchEdition(edition));
                }
            });
            ui.end_row();

            ui.label("标题");
            let mut title = report.title.clone();
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut title)
                        .id(title_id())
                        .hint_text(Template::title(&report.agency, report.year))
                        .desired_width(520.0),
                )
                .accessible_name("标题");
            if r.changed() {
                out.push(Command::Edit(Edit::SetTitle(title)));
            }
            ui.end_row();
        });
    if let Some(e) = edition_offer {
        let palette = Palette::of(ui);
        egui::Frame::new()
            .fill(palette.warning_fill)
            .inner_margin(8.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        palette.warning_text,
                        format!("{}年度的报告应使用《{e}》（{}）。", report.year, e.template().notice),
                    );
                    if ui.button(format!("切换到{e}")).clicked() {
                        out.push(Command::SwitchEdition(e));
                    }
                    if ui.button("保持现有格式").clicked() {
                        out.push(Command::Edit(Edit::KeepEdition));
                    }
                });
            });
    }
}

/// A free-text section as a multi-line editor.
fn text_section(ui: &mut egui::Ui, report: &Report, text: TextId, heading: &str, out: &mut Vec<Command>) {
    ui.heading(heading);
    let mut s = report.texts.get(text).to_string();
    let rows = if text == TextId::Overview { 8 } else { 4 };
    let r = ui
        .add(
            egui::TextEdit::multiline(&mut s)
                .id(text_id(text))
                .desired_rows(rows)
                .desired_width(f32::INFINITY),
        )
        .accessible_name(heading);
    if r.changed() {
        out.push(Command::Edit(Edit::SetText(text, s)));
    }
}

/// What drawing a table needs besides the table.
struct TableCtx<'a> {
    t: &'static Template,
    report: &'a Report,
    marks: &'a [u8],
    palette: Palette,
    /// Width the tables must fit in.
    width: f32,
    /// Build every cell as a widget, seen or not (an assistive technology reads the whole form).
    all_cells: bool,
    /// The widget with keyboard focus when the pass began.
    focused_id: Option<egui::Id>,
}

/// The text shown as the formula of a computed cell: `= 自然人 + 商业企业 + …`.
fn formula_text(t: &Template, idx: CellIdx) -> String {
    let Some(rel) = t.cells[idx].formula.map(|f| &t.relations[f]) else {
        return String::new();
    };
    let target = &t.cells[idx];
    let terms: Vec<&str> = rel
        .rhs
        .iter()
        .map(|&c| {
            let cell = &t.cells[c];
            if cell.table == target.table && cell.row == target.row {
                t.column_of(c).short
            } else if cell.table == target.table && cell.col == target.col {
                t.row_of(c).1.short
            } else {
                cell.label
            }
        })
        .collect();
    format!("自动计算：= {}", terms.join(" + "))
}

impl TableCtx<'_> {
    /// Draws one table; returns whether one of its cells has keyboard focus.
    fn show(&self, ui: &mut egui::Ui, table: &Table, state: &mut FormState, out: &mut Vec<Command>) -> bool {
        let font = egui::TextStyle::Body.resolve(ui.style());
        let small = egui::FontId::proportional(font.size - 1.0);
        let text_color = ui.visuals().text_color();
        let painter = ui.painter().clone();
        let layout = |text: &str, w: f32, f: &egui::FontId| {
            painter.layout(text.to_string(), f.clone(), text_color, (w - 2.0 * PAD).max(10.0))
        };
        let natural = |col: usize| {
            table
                .header
                .iter()
                .chain(table.labels)
                .filter(|g| g.col == col && g.colspan == 1)
                .map(|g| {
                    painter
                        .layout_no_wrap(g.text.to_string(), font.clone(), text_color)
                        .size()
                        .x
                })
                .fold(0.0f32, f32::max)
        };
        let measure = |text: &str, wrap: f32, is_header: bool| {
            let f = if is_header { &small } else { &font };
            painter.layout(text.to_string(), f.clone(), text_color, wrap).size().y
        };
        let grid = layout::grid(table, self.width, natural, measure);
        let width = grid.width();
        let (w, h) = grid.size();
        let (rect, _) = ui.allocate_exact_size(Vec2::new(w, h), Sense::hover());
        let cell_rect = |line: usize, col: usize, colspan: usize, rowspan: usize| {
            let [x0, y0, x1, y1] = grid.cell(line, col, colspan, rowspan);
            Rect::from_min_max(rect.min + Vec2::new(x0, y0), rect.min + Vec2::new(x1, y1))
        };
        let caption_lines = grid.caption_lines;
        let stroke = Stroke::new(1.0, self.palette.grid);

        // What is out of view is not laid out or painted: the grid gives every size.
        let visible = |r: Rect| ui.is_rect_visible(r);
        if let Some(caption) = table.caption {
            let r = cell_rect(0, 0, width, 1);
            if visible(r) {
                painter.rect(r, 0.0, self.palette.header_fill, stroke, StrokeKind::Inside);
                let g = layout(caption, r.width(), &font);
                painter.galley(
                    Align2::CENTER_CENTER.align_size_within_rect(g.size(), r).min,
                    g,
                    text_color,
                );
            }
        }
        for g in table.header {
            let r = cell_rect(caption_lines + g.row, g.col, g.colspan, g.rowspan);
            if !visible(r) {
                continue;
            }
            painter.rect(r, 0.0, self.palette.header_fill, stroke, StrokeKind::Inside);
            let galley = layout(g.text, r.width(), &small);
            painter.galley(
                Align2::CENTER_CENTER.align_size_within_rect(galley.size(), r).min,
                galley,
                text_color,
            );
        }
        for g in table.labels {
            let r = cell_rect(grid.body_line(g.row), g.col, g.colspan, g.rowspan);
            if !visible(r) {
                continue;
            }
            painter.rect(r, 0.0, self.palette.header_fill, stroke, StrokeKind::Inside);
            let galley = layout(g.text, r.width(), &font);
            let inner = r.shrink2(Vec2::new(PAD, 0.0));
            painter.galley(
                Align2::LEFT_CENTER.align_size_within_rect(galley.size(), inner).min,
                galley,
                text_color,
            );
        }

        let mut focused = false;
        for (ri, row) in table.rows.iter().enumerate() {
            for (ci, &idx) in row.cells.iter().enumerate() {
                let (line, col) = table.value_position(ri, ci);
                let r = cell_rect(grid.body_line(line), col, 1, 1);
                if self.needs_widget(ui, idx, r, state) {
                    focused |= self.value_cell(ui, idx, r, state, out);
                } else if !self.t.cells[idx].computed {
                    // Out of view: kept focusable under its id, so that focus can move to it and a click on a
                    // finding or the keyboard brings it into view as a full field. Same rect as the field's.
                    ui.interact(r.shrink(1.0), cell_id(idx), Sense::focusable_noninteractive());
                }
            }
        }
        focused
    }

    /// Whether cell `idx` at `r` is built as a full widget this pass: when it can be seen, or is (or was just)
    /// focused, or is to be focused, or holds text being edited.
    fn needs_widget(&self, ui: &egui::Ui, idx: CellIdx, r: Rect, state: &FormState) -> bool {
        self.all_cells
            || ui.is_rect_visible(r)
            || state.focus_request == Some(idx)
            || state.focused == Some(idx)
            || self.focused_id == Some(cell_id(idx))
            || state.buffers.contains_key(&idx)
    }

    /// A computed cell: the total, right-aligned, its formula in the hover text; scrolled to when asked.
    fn total_cell(&self, ui: &mut egui::Ui, idx: CellIdx, r: Rect, wrong: bool, state: &mut FormState) {
        let cell = &self.t.cells[idx];
        let text = self.report.get(idx).display(cell.kind);
        let resp = ui.interact(r, cell_id(idx), Sense::hover());
        let color = if wrong {
            self.palette.error_text
        } else {
            ui.visuals().text_color()
        };
        let font = egui::TextStyle::Body.resolve(ui.style());
        ui.painter().text(
            r.right_center() - Vec2::new(PAD + 3.0, 0.0),
            Align2::RIGHT_CENTER,
            text,
            font,
            color,
        );
        resp.on_hover_text(formula_text(self.t, idx));
        if state.focus_request == Some(idx) {
            ui.scroll_to_rect(r, Some(Align::Center));
            state.focus_request = None;
        }
    }

    /// One value cell: a text field, or a read-only total. Returns whether it has focus.
    fn value_cell(
        &self,
        ui: &mut egui::Ui,
        idx: CellIdx,
        r: Rect,
        state: &mut FormState,
        out: &mut Vec<Command>,
    ) -> bool {
        let cell = &self.t.cells[idx];
        let value = self.report.get(idx);
        // A blank cell already shows that it is blank: no warning colour for it (no wall of amber).
        let mark = match self.marks.get(idx).copied().unwrap_or(0) {
            1 if value.is_blank() => 0,
            m => m,
        };
        let problem = value.problem(cell.kind);
        let fill = if problem.is_some() || mark == 2 {
            Some(self.palette.error_fill)
        } else if mark == 1 {
            Some(self.palette.warning_fill)
        } else if cell.computed {
            Some(self.palette.computed_fill)
        } else {
            None
        };
        let painter = ui.painter();
        painter.rect(
            r,
            0.0,
            fill.unwrap_or(Color32::TRANSPARENT),
            Stroke::new(1.0, self.palette.grid),
            StrokeKind::Inside,
        );
        let requested = state.focus_request == Some(idx);

        if cell.computed {
            self.total_cell(ui, idx, r, mark == 2, state);
            return false;
        }

        let mut s = state
            .buffers
            .get(&idx)
            .cloned()
            .unwrap_or_else(|| value.display(cell.kind));
        let mut edit = egui::TextEdit::singleline(&mut s)
            .id(cell_id(idx))
            .align(Align2::RIGHT_CENTER)
            .desired_width(r.width() - 2.0 * PAD)
            .frame(egui::Frame::NONE)
            .event_filter(CELL_KEYS)
            .margin(egui::Margin::symmetric(PAD as i8, 4));
        if problem.is_some() || mark == 2 {
            edit = edit.text_color(self.palette.error_text);
        }
        // Last year's figure beside this year's, for the cells a cross-year rule relates (e.g. 现行有效件数).
        let reference = crate::yearly::reference_value(self.report, idx).map(|v| v.display(cell.kind));
        if let Some(last) = &reference {
            // A label (not just paint) so that screen readers and tests find it; put before the field, which
            // stays on top for the pointer.
            let area = Rect::from_min_max(r.left_top() + Vec2::new(PAD, 0.0), r.center_bottom());
            ui.put(
                area,
                egui::Label::new(egui::RichText::new(format!("上年{last}")).small().weak())
                    .selectable(false)
                    .halign(Align::Min),
            );
        }
        let mut resp = ui.put(r.shrink(1.0), edit).accessible_name(cell.label);
        if resp.changed() {
            // Stored as typed, valid or not: nothing is rounded or dropped; the checks name what is wrong.
            let v = Value::from_input(cell.kind, &s);
            if v != value {
                out.push(Command::Edit(Edit::SetCell(idx, v)));
            }
            state.buffers.insert(idx, s.clone());
        }
        if resp.lost_focus() {
            // Show the stored value in its official form again (e.g. money with 4 places).
            state.buffers.remove(&idx);
        }
        if let Some(p) = &problem {
            resp = resp.on_hover_text(format!("{}：{p}", cell.label));
        } else if let Some(last) = &reference {
            resp = resp.on_hover_text(format!("{}（上年报告：{last}）", cell.label));
        } else {
            resp = resp.on_hover_text(cell.label);
        }
        if requested {
            resp.request_focus();
            resp.scroll_to_me(Some(Align::Center));
            state.focus_request = None;
        }
        let has = resp.has_focus();
        if has {
            state.focused = Some(idx);
            if state.selected != Some(idx) {
                arrive(ui.ctx(), &resp, idx, value, &s, requested, state);
            } else if resp.double_clicked() {
                state.in_place = Some(idx);
                place_caret(ui.ctx(), idx, &s, false);
            }
            ui.painter()
                .rect_stroke(r, 0.0, Stroke::new(2.0, self.palette.active), StrokeKind::Inside);
        } else if state.selected == Some(idx) {
            state.selected = None;
            state.in_place = None;
        }
        has
    }
}

/// The clerk arrived on cell `idx` (click, keys, a finding): its content is selected so that typing replaces
/// it, and what it held is kept for Esc.
fn arrive(
    ctx: &egui::Context,
    resp: &egui::Response,
    idx: CellIdx,
    value: Value,
    text: &str,
    requested: bool,
    state: &mut FormState,
) {
    state.selected = Some(idx);
    state.in_place = None;
    state.origin = Some(Origin {
        idx,
        value,
        raw: state.buffers.get(&idx).cloned(),
    });
    place_caret(ctx, idx, text, true);
    if !requested {
        // Arrived by egui's own Tab order (from the texts above the tables): bring it into view.
        resp.scroll_to_me(None);
    }
}

/// A stored value as shown in the form (blank stays blank).
pub fn shown(report: &Report, idx: CellIdx) -> String {
    shown_value(report, idx, report.get(idx))
}

/// `value` as cell `idx` shows it (blank stays blank).
fn shown_value(report: &Report, idx: CellIdx, value: Value) -> String {
    match value {
        Value::Blank => String::new(),
        v => v.display(report.template().cells[idx].kind),
    }
}
