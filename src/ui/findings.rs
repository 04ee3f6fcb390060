//! The findings panel: counts, invalid entries, every finding with its message; a click jumps to the cell;
//! warnings can be marked 已核实. While applications are still unaccounted for, the panel says how many per
//! column instead of listing red balance errors; rules with many findings (blank cells) fold into one line.

use crate::checks::{self, Finding};
use crate::document::Edit;
use crate::report::Report;
use crate::template::Severity;
use crate::ui::Palette;
use crate::ui::command::Command;
use egui::RichText;
use std::collections::BTreeMap;

/// A rule with more findings than this folds them under one collapsible line.
const FOLD_OVER: usize = 4;

/// Draws the panel; returns what the clerk asked for.
/// `check_all`: blank cells are listed; otherwise a progress line says how many cells are filled.
pub fn show(ui: &mut egui::Ui, report: &Report, findings: &[Finding], check_all: bool) -> Vec<Command> {
    let mut out = Vec::new();
    let palette = Palette::of(ui);
    let t = report.template();
    let summary = checks::summarize(findings);
    let errors = summary.errors;

    ui.add_space(6.0);
    ui.heading("检查结果");
    ui.horizontal_wrapped(|ui| {
        let e = RichText::new(format!("{} {errors} 项", Severity::Error.label())).strong();
        ui.label(if errors > 0 { e.color(palette.error_text) } else { e });
        ui.label("·");
        let w = RichText::new(format!("{} {} 项", Severity::Warning.label(), summary.warnings)).strong();
        ui.label(if summary.warnings > 0 {
            w.color(palette.warning_text)
        } else {
            w
        });
        if summary.acknowledged > 0 {
            ui.label(RichText::new(format!("（已核实 {}）", summary.acknowledged)).small());
        }
    });
    let (filled, total) = progress(report);
    if !check_all {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("已填 {filled}/{total} 格"));
            if filled < total
                && ui
                    .small_button(crate::ui::command::UiCommand::CheckAll.text())
                    .on_hover_text(crate::ui::command::UiCommand::CheckAll.tooltip())
                    .clicked()
            {
                out.push(Command::CheckAll);
            }
        });
    }
    if errors == 0 && summary.warnings == 0 {
        ui.colored_label(palette.ok_text, "没有发现问题。");
    }

    // Applications not yet accounted for: shown as progress, in place of the balance errors they cause.
    let unaccounted = checks::unaccounted(report).unwrap_or_default();
    let balance_rule = unaccounted.first().map(|u| t.rules[t.relations[u.relation].rule].id);
    if !unaccounted.is_empty() {
        ui.add_space(4.0);
        for u in &unaccounted {
            let color = if u.missing > 0 {
                palette.warning_text
            } else {
                palette.error_text
            };
            if finding_row(ui, RichText::new(u.message()).color(color)).clicked() {
                out.push(Command::FocusCell(u.cell));
            }
        }
    }
    ui.separator();

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .id_salt("findings")
        .show(ui, |ui| {
            // Group by rule, errors first, keeping the check order within a rule.
            let mut by_rule: BTreeMap<(Severity, usize), Vec<&Finding>> = BTreeMap::new();
            for f in findings.iter().filter(|f| Some(f.rule) != balance_rule) {
                let order = t.rules.iter().position(|r| r.id == f.rule).unwrap_or(usize::MAX);
                by_rule.entry((f.severity, order)).or_default().push(f);
            }
            for ((_, order), group) in by_rule {
                if group.len() > FOLD_OVER {
                    let title = t.rules.get(order).map_or(group[0].rule, |r| r.title);
                    let open = group.iter().filter(|f| !f.acknowledged).count();
                    egui::CollapsingHeader::new(format!("{title}（{open}/{} 项）", group.len()))
                        .id_salt(("rule", group[0].rule))
                        .show(ui, |ui| {
                            for f in group {
                                finding(ui, report, f, &palette, &mut out);
                            }
                        });
                } else {
                    for f in group {
                        finding(ui, report, f, &palette, &mut out);
                    }
                }
            }
        });
    out
}

/// One finding: its message (a click jumps to its first cell) and, for a warning, the 已核实 box.
fn finding(ui: &mut egui::Ui, report: &Report, f: &Finding, palette: &Palette, out: &mut Vec<Command>) {
    let tag = f.severity.label();
    let color = match f.severity {
        Severity::Error => palette.error_text,
        Severity::Warning => palette.warning_text,
    };
    let text = RichText::new(format!("{tag}：{}", f.message));
    let text = if f.acknowledged { text.weak() } else { text.color(color) };
    let clicked = finding_row(ui, text).clicked();
    if clicked && let Some(c) = first_wrong_cell(report, f) {
        out.push(Command::FocusCell(c));
    }
    if f.can_acknowledge() {
        let mut on = f.acknowledged;
        if ui.checkbox(&mut on, "已核实").changed() {
            out.push(Command::Edit(Edit::Acknowledge(f.key(), on)));
        }
    }
    ui.add_space(2.0);
}

/// One clickable finding line, wrapping, without a button frame.
fn finding_row(ui: &mut egui::Ui, text: RichText) -> egui::Response {
    ui.add(egui::Button::new(text).frame(false).wrap())
        .on_hover_text("点击跳到这个单元格")
}

/// The key under which a warning is marked 已核实 (see [`Finding::key`]).
pub fn finding_key(f: &Finding) -> String {
    f.key()
}

/// Input cells filled, of all input cells.
pub fn progress(report: &Report) -> (usize, usize) {
    let t = report.template();
    let inputs = t.cells.iter().enumerate().filter(|(_, c)| !c.computed);
    let (mut filled, mut total) = (0, 0);
    for (i, _) in inputs {
        total += 1;
        filled += usize::from(!report.get(i).is_blank());
    }
    (filled, total)
}

/// The cell a click on `f` goes to: the first it names that holds something wrong (invalid text, a negative
/// count), else the first that can be typed into, else its first cell.
pub fn first_wrong_cell(report: &Report, f: &Finding) -> Option<usize> {
    let t = report.template();
    f.cells
        .iter()
        .copied()
        .find(|&c| report.get(c).problem(t.cells[c].kind).is_some())
        .or_else(|| f.cells.iter().copied().find(|&c| !t.cells[c].computed))
        .or_else(|| f.cells.first().copied())
}
