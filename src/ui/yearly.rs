//! 文件 → 新建下一年度报告 and 文件 → 汇总下级报告: the two dialogs and the per-unit breakdown view (which unit
//! contributed what to each cell, which units fail their own checks, export as CSV).

use crate::report::Report;
use crate::ui::files::{DialogMode, FileRequest, Purpose};
use crate::yearly::{Breakdown, NextYear, merge, next_year};
use egui_extras::Column;
use std::path::{Path, PathBuf};

/// Lays out one table cell's content from the right edge: numbers line up by their last digit.
fn right(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> egui::Response) -> egui::Response {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), add)
        .inner
}

/// The 新建下一年度报告 dialog.
#[derive(Default)]
pub struct NextYearDialog {
    /// Whether the dialog shows.
    pub open: bool,
    /// Why the last 新建 did not make a report.
    error: Option<String>,
}

impl NextYearDialog {
    /// Shows the dialog for the open report; returns next year's report when the clerk confirmed.
    pub fn show(&mut self, ctx: &egui::Context, report: &Report, path: Option<&Path>) -> Option<NextYear> {
        if !self.open {
            return None;
        }
        let mut result = None;
        let mut open = self.open;
        crate::ui::dialog(ctx, "新建下一年度报告", "nianbao_next_year", &mut open)
            .resizable(false)
            .show(ctx, |ui| {
                let agency = if report.agency.trim().is_empty() {
                    "（未填机关名称）"
                } else {
                    report.agency.as_str()
                };
                ui.label(format!(
                    "以「{agency}」{}年度报告为基础，新建{}年度报告。",
                    report.year,
                    report.year.saturating_add(1)
                ));
                ui.label("结转数字会自动带入，正文作为草稿带入，其他数字需要重新填写。");
                ui.label("当前报告不会被改动；新报告需要另外保存。");
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                }
                ui.horizontal(|ui| {
                    if ui.button("新建").clicked() {
                        let p = path.map(|p| p.display().to_string());
                        match next_year(report, p.as_deref()) {
                            Ok(n) => result = Some(n),
                            Err(e) => self.error = Some(e.to_string()),
                        }
                    }
                    if ui.button("取消").clicked() {
                        self.open = false;
                    }
                });
            });
        self.open = open && self.open && result.is_none();
        if !self.open {
            self.error = None;
        }
        result
    }
}

/// What the 汇总 dialog asks of the file side.
#[derive(Clone, Debug, PartialEq)]
pub enum MergeEvent {
    /// Open a file dialog to add unit reports.
    PickUnits,
    /// The merge is done: the new document and its breakdown.
    Merged {
        /// The merged report.
        report: Box<Report>,
        /// Who contributed what.
        breakdown: Box<Breakdown>,
    },
}

/// The 汇总下级报告 dialog: the unit files, the agency name, 汇总.
#[derive(Default)]
pub struct MergeDialog {
    /// Whether the dialog shows.
    pub open: bool,
    /// The units' files, in order.
    pub files: Vec<PathBuf>,
    /// The agency name of the merged report.
    pub agency: String,
    error: Option<String>,
}

impl MergeDialog {
    /// Adds unit files (duplicates are skipped).
    pub fn add_files(&mut self, paths: Vec<PathBuf>) {
        for p in paths {
            if !self.files.contains(&p) {
                self.files.push(p);
            }
        }
        self.error = None;
    }

    /// Shows the dialog.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<MergeEvent> {
        if !self.open {
            return None;
        }
        let mut event = None;
        let mut open = self.open;
        crate::ui::dialog(ctx, "汇总下级报告", "nianbao_merge", &mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label("选择各下级单位的报告（项目文件、JSON 或报告文本），它们必须是同一年度、同一格式。");
                let mut remove = None;
                for (i, f) in self.files.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.label(format!("{}. {}", i + 1, f.display()));
                        if ui.small_button("移除").clicked() {
                            remove = Some(i);
                        }
                    });
                }
                if let Some(i) = remove {
                    self.files.remove(i);
                    // The message was about the list as it was (often about the file just removed).
                    self.error = None;
                }
                if ui.button("添加报告…").clicked() {
                    event = Some(MergeEvent::PickUnits);
                }
                ui.horizontal(|ui| {
                    let l = ui.label("汇总后的机关名称");
                    ui.text_edit_singleline(&mut self.agency).labelled_by(l.id);
                });
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                }
                ui.horizontal(|ui| {
                    if ui.button("汇总").clicked() {
                        match self.merge() {
                            Ok(ev) => event = Some(ev),
                            Err(e) => self.error = Some(e),
                        }
                    }
                    if ui.button("取消").clicked() {
                        self.open = false;
                    }
                });
            });
        self.open = open && self.open && !matches!(event, Some(MergeEvent::Merged { .. }));
        event
    }

    /// Reads every unit file and merges them.
    fn merge(&self) -> Result<MergeEvent, String> {
        if self.agency.trim().is_empty() {
            return Err("请填写汇总后的机关名称。".to_string());
        }
        if self.files.is_empty() {
            return Err("请先添加下级单位的报告。".to_string());
        }
        let mut inputs = Vec::with_capacity(self.files.len());
        for f in &self.files {
            let opened = crate::open::open_report(f).map_err(|e| format!("无法读取 {}：{e}", f.display()))?;
            let report = opened.report;
            let unit = if report.agency.trim().is_empty() {
                f.file_stem()
                    .map_or_else(|| f.display().to_string(), |s| s.to_string_lossy().into_owned())
            } else {
                report.agency.clone()
            };
            inputs.push((unit, report));
        }
        let merged = merge(&inputs, self.agency.trim()).map_err(|e| e.to_string())?;
        Ok(MergeEvent::Merged {
            report: Box::new(merged.report),
            breakdown: Box::new(merged.breakdown),
        })
    }
}

/// The per-unit breakdown of the last 汇总.
#[derive(Default)]
pub struct BreakdownView {
    /// Whether the window shows.
    pub open: bool,
    breakdown: Option<Breakdown>,
    only_filled: bool,
}

impl BreakdownView {
    /// Shows this breakdown.
    pub fn set(&mut self, breakdown: Breakdown) {
        self.breakdown = Some(breakdown);
        self.open = true;
        self.only_filled = true;
    }

    /// The breakdown showing, if any.
    pub fn breakdown(&self) -> Option<&Breakdown> {
        self.breakdown.as_ref()
    }

    /// Shows the window. Returns a file dialog to open for 导出 CSV.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<FileRequest> {
        let b = self.breakdown.as_ref()?;
        if !self.open {
            return None;
        }
        let mut request = None;
        let mut open = self.open;
        // Its table scrolls itself; the window only fits the screen.
        crate::ui::dialog(ctx, "汇总明细", "nianbao_breakdown", &mut open)
            .vscroll(false)
            .default_size([960.0, 520.0])
            .show(ctx, |ui| {
                let failing = b.failing_units();
                if b.checked {
                    if failing.is_empty() {
                        ui.label(format!("{}个单位的报告自身检查都没有错误。", b.units.len()));
                    } else {
                        let names: Vec<String> = failing
                            .iter()
                            .map(|&u| format!("{}（{}项错误）", b.units[u], b.errors(u)))
                            .collect();
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            format!("以下单位的报告自身检查有错误：{}", names.join("、")),
                        );
                    }
                }
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.only_filled, "只显示有数字的单元格");
                    if ui.button("导出 CSV…").clicked() {
                        request = Some(
                            FileRequest::new(Purpose::BreakdownCsv, "导出汇总明细", DialogMode::Save)
                                .filter("CSV 表格", &["csv"])
                                .suggest(Some("汇总明细.csv".to_string()), None)
                                .default_extension("csv"),
                        );
                    }
                });
                ui.separator();
                Self::table(ui, b, self.only_filled);
            });
        self.open = open;
        request
    }

    /// The per-unit table: a row per cell (汇总数, then each unit's figure), a header that stays while the rows
    /// scroll, resizable columns, numbers right-aligned. Many units scroll sideways, header and all.
    fn table(ui: &mut egui::Ui, b: &Breakdown, only_filled: bool) {
        let t = b.edition.template();
        let total = |i: usize| b.totals.get(i).cloned().unwrap_or_default();
        let rows: Vec<usize> = (0..t.cells.len())
            .filter(|&i| !(only_filled && total(i).is_blank()))
            .collect();
        let row_height = ui.spacing().interact_size.y;
        let error_color = ui.visuals().error_fg_color;
        egui::ScrollArea::horizontal()
            .id_salt("breakdown_sideways")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui_extras::TableBuilder::new(ui)
                    .id_salt("breakdown_table")
                    .striped(true)
                    .resizable(true)
                    .auto_shrink([false, false])
                    .max_scroll_height(f32::INFINITY)
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .column(Column::initial(340.0).at_least(120.0).clip(true))
                    .column(Column::initial(96.0).at_least(56.0).clip(true))
                    .columns(Column::initial(110.0).at_least(56.0).clip(true), b.units.len())
                    .header(row_height, |mut header| {
                        header.col(|ui| {
                            ui.strong("单元格");
                        });
                        header.col(|ui| {
                            right(ui, |ui| ui.strong("汇总数"));
                        });
                        for (u, name) in b.units.iter().enumerate() {
                            header.col(|ui| {
                                let r = if b.errors(u) > 0 {
                                    right(ui, |ui| ui.colored_label(error_color, format!("{name}（有错误）")))
                                } else {
                                    right(ui, |ui| ui.strong(name.as_str()))
                                };
                                r.on_hover_text(name.as_str());
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(row_height, rows.len(), |mut row| {
                            let i = rows[row.index()];
                            let cell = &t.cells[i];
                            row.col(|ui| {
                                ui.add(egui::Label::new(cell.label).truncate());
                            });
                            row.col(|ui| {
                                right(ui, |ui| ui.label(total(i).display(cell.kind)));
                            });
                            for v in b.cell_values(i) {
                                row.col(|ui| {
                                    if v.is_blank() {
                                        right(ui, |ui| ui.weak("未填"));
                                    } else {
                                        right(ui, |ui| ui.label(v.display(cell.kind)));
                                    }
                                });
                            }
                        });
                    });
            });
    }

    /// Writes the breakdown as CSV (UTF-8 with BOM, for Excel/WPS).
    pub fn write_csv(&self, path: &Path) -> Result<(), String> {
        let b = self.breakdown.as_ref().ok_or_else(|| "还没有汇总结果。".to_string())?;
        crate::project::write_atomic(path, b.to_csv().as_bytes())
            .map_err(|e| format!("无法写入「{}」：{}", path.display(), crate::project::io_reason(&e)))
    }
}
