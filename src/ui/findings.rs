//! The findings panel: counts, invalid entries, every finding with its message; a click jumps to the cell;
//! warnings can be marked 已核实.

use crate::app::Command;
use crate::checks::Finding;
use crate::report::Report;
use crate::template::Severity;
use crate::ui::Palette;
use crate::ui::form::FormState;
use egui::RichText;

/// Draws the panel; returns what the clerk asked for.
pub fn show(ui: &mut egui::Ui, report: &Report, findings: &[Finding], form: &FormState) -> Vec<Command> {
    let mut out = Vec::new();
    let palette = Palette::of(ui);
    let t = report.template();
    let input_errors = form.input_errors();
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count() + input_errors.len();
    let warnings: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Warning).collect();
    let open_warnings = warnings
        .iter()
        .filter(|f| !report.acknowledged.contains(&finding_key(f)))
        .count();

    ui.add_space(6.0);
    ui.heading("检查结果");
    ui.horizontal(|ui| {
        let e = RichText::new(format!("错误 {errors} 项")).strong();
        ui.label(if errors > 0 { e.color(palette.error_text) } else { e });
        ui.label("·");
        let w = RichText::new(format!("警告 {open_warnings} 项")).strong();
        ui.label(if open_warnings > 0 {
            w.color(palette.warning_text)
        } else {
            w
        });
        if open_warnings < warnings.len() {
            ui.label(RichText::new(format!("（已核实 {}）", warnings.len() - open_warnings)).small());
        }
    });
    if errors == 0 && open_warnings == 0 {
        ui.colored_label(palette.ok_text, "没有发现问题。");
    }
    ui.separator();

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .id_salt("findings")
        .show(ui, |ui| {
            for (&idx, e) in input_errors {
                let text =
                    RichText::new(format!("输入有误：{}", e.message_for(t.cells[idx].label))).color(palette.error_text);
                if finding_row(ui, text).clicked() {
                    out.push(Command::FocusCell(idx));
                }
            }
            for f in findings {
                let acknowledged = f.severity == Severity::Warning && report.acknowledged.contains(&finding_key(f));
                let (tag, color) = match f.severity {
                    Severity::Error => ("错误", palette.error_text),
                    Severity::Warning => ("警告", palette.warning_text),
                };
                let mut text = RichText::new(format!("{tag}：{}", f.message));
                text = if acknowledged { text.weak() } else { text.color(color) };
                let clicked = finding_row(ui, text).clicked();
                if clicked && let Some(&c) = f.cells.first() {
                    out.push(Command::FocusCell(c));
                }
                if f.severity == Severity::Warning {
                    let mut on = acknowledged;
                    if ui.checkbox(&mut on, "已核实").changed() {
                        out.push(Command::Acknowledge(finding_key(f), on));
                    }
                }
                ui.add_space(4.0);
            }
        });
    out
}

/// One clickable finding line, wrapping, without a button frame.
fn finding_row(ui: &mut egui::Ui, text: RichText) -> egui::Response {
    ui.add(egui::Button::new(text).frame(false).wrap())
        .on_hover_text("点击跳到这个单元格")
}

/// The key under which a warning is marked 已核实.
// TODO(checks): use `Finding::key` once the checks module provides it.
pub fn finding_key(f: &Finding) -> String {
    let cells: Vec<String> = f.cells.iter().map(ToString::to_string).collect();
    format!("{}:{}", f.rule, cells.join(","))
}
