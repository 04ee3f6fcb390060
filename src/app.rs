//! The eframe window: [`NianbaoApp`] holds the open [`Document`], the persisted [`Settings`] and the runtime
//! state of the panels. Panels return [`Command`]s; [`NianbaoApp::apply`] carries them out at the end of the
//! frame, records undo steps, refreshes totals and re-runs the checks only when something changed.

use crate::checks::{self, Finding};
use crate::report::{Report, Value};
use crate::template::{CellIdx, Edition, Severity, TextId};
use crate::ui;
use crate::ui::form::FormState;
use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

/// When the process started, if `main` recorded it; the first-frame timing (`NIANBAO_FIRST_FRAME`) counts
/// from here. [`run_window`] sets it if nobody did.
pub static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// How many undo steps are kept.
const UNDO_LIMIT: usize = 200;

/// Something the clerk asked for. Panels return these; [`NianbaoApp::apply`] carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Set one cell (a parsed entry).
    SetCell(CellIdx, Value),
    /// Set several cells at once (a pasted block): one undo step.
    SetCells(Vec<(CellIdx, Value)>),
    /// Replace one of the four texts.
    SetText(TextId, String),
    /// Set the agency name.
    SetAgency(String),
    /// Set the report year (offers to switch edition if it no longer fits).
    SetYear(i32),
    /// Set the document title (empty: the standard title).
    SetTitle(String),
    /// Switch the report to another edition, keeping every cell whose id exists in both.
    SwitchEdition(Edition),
    /// Dismiss the offer to switch edition.
    KeepEdition,
    /// Mark a warning (by `Finding::key`) as checked (已核实) or not.
    Acknowledge(String, bool),
    /// Fill every blank input cell with 0.
    FillBlanksWithZero,
    /// Replace published totals by computed ones, and keep computing them.
    UseComputedTotals,
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
    /// 新建 (handled by the file side).
    New,
    /// 打开 (handled by the file side).
    Open(Option<PathBuf>),
    /// 保存 (handled by the file side).
    Save,
    /// 另存为 (handled by the file side).
    SaveAs(Option<PathBuf>),
    /// 导出 (handled by the file side).
    Export,
    /// 退出.
    Quit,
}

/// Settings kept between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Dark theme instead of the light default.
    pub dark: bool,
    /// Zoom factor (1.0 = 100 %).
    pub zoom: f32,
    /// Recently opened files, newest first.
    pub recent: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            dark: false,
            zoom: 1.0,
            recent: Vec::new(),
        }
    }
}

impl Settings {
    /// Where the settings live (`$XDG_CONFIG_HOME/nianbao/settings.ron`, or `%APPDATA%` on Windows).
    fn path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))?;
        Some(base.join("nianbao").join("settings.ron"))
    }

    /// Loads the settings; defaults when missing or unreadable (settings are a convenience, never an error).
    pub fn load() -> Settings {
        Settings::path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|s| ron::from_str(&s).ok())
            .unwrap_or_default()
    }

    /// Saves the settings; failures are only logged.
    pub fn save(&self) {
        if let Some(path) = Settings::path() {
            self.save_to(&path);
        }
    }

    /// Saves the settings to `path`; failures are only logged.
    pub fn save_to(&self, path: &Path) {
        let text = match ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()) {
            Ok(t) => t,
            Err(e) => return eprintln!("nianbao: 无法保存设置：{e}"),
        };
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(path, text))
        {
            eprintln!("nianbao: 无法保存设置：{e}");
        }
    }
}

/// The open report and what the window knows about it.
#[derive(Clone, Debug)]
pub struct Document {
    /// The report.
    pub report: Report,
    /// Where it was opened from or saved to.
    pub path: Option<PathBuf>,
    /// Changed since it was opened or saved.
    pub dirty: bool,
    /// The form fills the totals itself. False for a report whose published totals differ from the
    /// computed ones (an import), until the clerk chooses "use computed totals".
    pub auto_totals: bool,
    /// Last year's report, for the cross-year checks.
    pub previous: Option<Report>,
}

impl Document {
    /// A document for `report`; totals are computed automatically if the report's totals already agree.
    pub fn new(report: Report, path: Option<PathBuf>) -> Document {
        let auto_totals = report.totals_are_computed();
        // A report started with 新建下一年度报告 remembers its predecessor: the cross-year checks run on it.
        let previous = report.previous.as_ref().map(crate::yearly::PreviousSummary::to_report);
        Document {
            report,
            path,
            dirty: false,
            auto_totals,
            previous,
        }
    }

    /// The name shown in the title bar.
    pub fn display_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| "未命名".to_string(), |n| n.to_string_lossy().into_owned())
    }
}

/// What an undo step restores.
#[derive(Clone, Debug)]
struct Snapshot {
    report: Report,
    auto_totals: bool,
}

/// Which edits merge into one undo step (typing into the same text field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coalesce {
    Text(TextId),
    Agency,
    Title,
}

/// The year a new report is about: last year.
fn default_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil year (Howard Hinnant's algorithm), enough for "last year".
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year - 1).unwrap_or(2025)
}

/// A new blank report: current edition, last year.
pub fn blank_report() -> Report {
    let year = default_year();
    Report::new(Edition::for_year(year), year, "")
}

/// The window's state.
pub struct NianbaoApp {
    /// The open report.
    pub doc: Document,
    /// Settings kept between runs.
    pub settings: Settings,
    /// Edit buffers, invalid entries and focus requests of the form.
    pub form: FormState,
    /// Findings of the last check, cached until the report changes.
    findings: Vec<Finding>,
    /// Per cell: 0 nothing, 1 in a warning, 2 in an error (for highlighting).
    marks: Vec<u8>,
    /// The report changed: refresh totals, checks and marks at the end of the frame.
    stale: bool,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    coalesce: Option<Coalesce>,
    /// Edition the year calls for, when it differs from the report's (offer to switch).
    pub edition_offer: Option<Edition>,
    /// Commands queued during the frame.
    pending: Vec<Command>,
    /// The title last sent to the window.
    shown_title: String,
    /// Theme and zoom applied to the context (`None` before the first frame).
    applied_look: Option<(bool, f32)>,
    fonts_installed: bool,
    first_frame_reported: bool,
    /// Commands the file side (UI-B) has to carry out; drained by it.
    pub file_requests: Vec<Command>,
    /// The recovery copy and crash notice (issue 7); `None` in tests and when there is no data folder.
    pub recovery: Option<crate::recovery::Guard>,
    /// The file side: dialogs, recent files, export, import, yearly (UI-B).
    pub files: ui::files::FilesUi,
    /// Where the settings are written as soon as the recent files change (so a crash does not lose the list),
    /// besides on exit. `None` (tests): never written.
    pub settings_file: Option<PathBuf>,
}

impl NianbaoApp {
    /// An app on `report` (not saved anywhere yet), with default settings.
    pub fn new(report: Report) -> NianbaoApp {
        NianbaoApp::with_document(Document::new(report, None), Settings::default())
    }

    /// An app on a document with given settings.
    pub fn with_document(doc: Document, settings: Settings) -> NianbaoApp {
        let settings_recent = settings.recent.clone();
        let mut app = NianbaoApp {
            doc,
            settings,
            form: FormState::default(),
            findings: Vec::new(),
            marks: Vec::new(),
            stale: true,
            undo: Vec::new(),
            redo: Vec::new(),
            coalesce: None,
            edition_offer: None,
            pending: Vec::new(),
            shown_title: String::new(),
            applied_look: None,
            fonts_installed: false,
            first_frame_reported: false,
            file_requests: Vec::new(),
            recovery: None,
            files: ui::files::FilesUi::new(
                ui::files::FilePicker::new(),
                ui::files::RecentFiles::from_paths(settings_recent),
            ),
            settings_file: None,
        };
        app.refresh();
        app
    }

    /// The report being edited.
    pub fn report(&self) -> &Report {
        &self.doc.report
    }

    /// The findings of the current report (cached).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Whether there is something to undo / redo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Queues a command for the end of the frame.
    pub fn push(&mut self, cmd: Command) {
        self.pending.push(cmd);
    }

    /// The window title: file name, `*` when unsaved, app name.
    pub fn title(&self) -> String {
        let mark = if self.doc.dirty { "*" } else { "" };
        format!("{}{mark} – nianbao", self.doc.display_name())
    }

    /// Totals (when automatic), checks and highlight marks for the current report.
    fn refresh(&mut self) {
        if self.doc.auto_totals {
            self.doc.report.fill_totals();
        }
        self.findings = checks::check(&self.doc.report, self.doc.previous.as_ref());
        let mut marks = vec![0u8; self.doc.report.cells.len()];
        for f in &self.findings {
            let level = match f.severity {
                Severity::Error => 2,
                Severity::Warning if self.is_acknowledged(f) => 0,
                Severity::Warning => 1,
            };
            for &c in &f.cells {
                if let Some(m) = marks.get_mut(c) {
                    *m = (*m).max(level);
                }
            }
        }
        self.marks = marks;
        self.stale = false;
    }

    /// Whether the clerk marked this warning as checked.
    pub fn is_acknowledged(&self, f: &Finding) -> bool {
        self.doc.report.acknowledged.contains(&ui::findings::finding_key(f))
    }

    /// Records an undo step before a change to the report (merging consecutive typing in one text).
    fn record(&mut self, coalesce: Option<Coalesce>) {
        if coalesce.is_none() || coalesce != self.coalesce {
            self.undo.push(Snapshot {
                report: self.doc.report.clone(),
                auto_totals: self.doc.auto_totals,
            });
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.coalesce = coalesce;
        self.redo.clear();
    }

    /// The report changed: mark dirty and refresh at the end of the frame.
    fn changed(&mut self) {
        self.doc.dirty = true;
        self.stale = true;
    }

    /// Carries out one command now.
    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::SetCell(idx, v) => {
                if self.doc.report.get(idx) != v {
                    self.record(None);
                    self.doc.report.set(idx, v);
                    self.changed();
                }
            }
            Command::SetCells(values) => {
                if values.iter().any(|&(i, v)| self.doc.report.get(i) != v) {
                    self.record(None);
                    for (i, v) in values {
                        self.doc.report.set(i, v);
                        self.form.forget(i);
                    }
                    self.changed();
                }
            }
            Command::SetText(id, text) => {
                if self.doc.report.texts.get(id) != text {
                    self.record(Some(Coalesce::Text(id)));
                    *self.doc.report.texts.get_mut(id) = text;
                    self.changed();
                }
            }
            Command::SetAgency(agency) => {
                if self.doc.report.agency != agency {
                    self.record(Some(Coalesce::Agency));
                    self.doc.report.agency = agency;
                    self.changed();
                }
            }
            Command::SetTitle(title) => {
                if self.doc.report.title != title {
                    self.record(Some(Coalesce::Title));
                    self.doc.report.title = title;
                    self.changed();
                }
            }
            Command::SetYear(year) => {
                if self.doc.report.year != year {
                    self.record(None);
                    self.doc.report.year = year;
                    let wanted = Edition::for_year(year);
                    self.edition_offer = (wanted != self.doc.report.edition).then_some(wanted);
                    self.changed();
                }
            }
            Command::SwitchEdition(edition) => {
                self.edition_offer = None;
                if self.doc.report.edition != edition {
                    self.record(None);
                    self.doc.report = convert_edition(&self.doc.report, edition);
                    self.form.clear();
                    self.changed();
                }
            }
            Command::KeepEdition => self.edition_offer = None,
            Command::Acknowledge(key, on) => {
                if self.doc.report.acknowledged.contains(&key) != on {
                    self.record(None);
                    if on {
                        self.doc.report.acknowledged.insert(key);
                    } else {
                        self.doc.report.acknowledged.remove(&key);
                    }
                    self.changed();
                }
            }
            Command::FillBlanksWithZero => {
                let mut r = self.doc.report.clone();
                r.fill_blanks_with_zero();
                if r != self.doc.report {
                    self.record(None);
                    self.doc.report = r;
                    self.doc.auto_totals = true;
                    self.form.clear();
                    self.changed();
                }
            }
            Command::UseComputedTotals => {
                if !self.doc.auto_totals || !self.doc.report.totals_are_computed() {
                    self.record(None);
                    self.doc.auto_totals = true;
                    self.changed();
                }
            }
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::FocusCell(idx) => self.form.focus(idx),
            Command::SetDark(dark) => self.settings.dark = dark,
            Command::Zoom(step) => {
                self.settings.zoom = match step {
                    0 => 1.0,
                    s if s > 0 => (self.settings.zoom + 0.1).min(2.5),
                    _ => (self.settings.zoom - 0.1).max(0.6),
                };
            }
            Command::ReplaceDocument(report, path) => {
                self.doc = Document::new(*report, path);
                self.undo.clear();
                self.redo.clear();
                self.coalesce = None;
                self.edition_offer = None;
                self.form.clear();
                self.stale = true;
            }
            Command::MarkSaved(path) => {
                self.doc.path = Some(path);
                self.doc.dirty = false;
            }
            cmd @ (Command::New
            | Command::Open(_)
            | Command::Save
            | Command::SaveAs(_)
            | Command::Export
            | Command::Quit) => self.file_requests.push(cmd),
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let Some(snap) = from.pop() else { return };
        to.push(Snapshot {
            report: std::mem::replace(&mut self.doc.report, snap.report),
            auto_totals: std::mem::replace(&mut self.doc.auto_totals, snap.auto_totals),
        });
        self.coalesce = None;
        self.edition_offer = None;
        self.form.clear();
        self.changed();
    }

    /// Applies every queued command, then refreshes totals and checks if the report changed.
    pub fn apply_pending(&mut self) {
        for cmd in std::mem::take(&mut self.pending) {
            self.apply(cmd);
        }
        if self.stale {
            self.refresh();
        }
    }

    /// Undo/redo shortcuts. Taken before any widget sees them, except in the long texts, where the text
    /// field's own undo (per keystroke group) is the natural one.
    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let text_focused = ctx
            .memory(egui::Memory::focused)
            .is_some_and(|id| ui::form::is_free_text_id(ctx, id));
        if text_focused {
            return;
        }
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        let redo2 = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        ctx.input_mut(|i| {
            // Ctrl+Shift+Z first: consume_shortcut on Ctrl+Z would also match it.
            if i.consume_shortcut(&redo2) || i.consume_shortcut(&redo) {
                self.pending.push(Command::Redo);
            } else if i.consume_shortcut(&undo) {
                self.pending.push(Command::Undo);
            }
        });
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            ui::fonts::install_fonts(ctx);
            self.fonts_installed = true;
        }
        // Ctrl +/-/0 are egui's own zoom keys; follow them into the settings.
        let zoom = ctx.zoom_factor();
        if let Some((_, z)) = self.applied_look
            && (z - zoom).abs() > f32::EPSILON
        {
            self.settings.zoom = zoom;
        }
        let look = (self.settings.dark, self.settings.zoom);
        if self.applied_look != Some(look) {
            ctx.set_theme(if look.0 { egui::Theme::Dark } else { egui::Theme::Light });
            if (zoom - look.1).abs() > f32::EPSILON {
                ctx.set_zoom_factor(look.1);
            }
            self.applied_look = Some(look);
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("文件", |ui| {
                // The file side (UI-B) adds its entries here.
                let doc = ui::files::DocState {
                    report: &self.doc.report,
                    path: self.doc.path.as_deref(),
                    dirty: self.doc.dirty,
                };
                let actions = self.files.menu_items(ui, doc);
                self.apply_file_actions(actions);
                if ui.button("退出").clicked() {
                    self.pending.push(Command::Quit);
                }
            });
            ui.menu_button("编辑", |ui| {
                let undo = ui.add_enabled(self.can_undo(), egui::Button::new("撤销").shortcut_text("Ctrl+Z"));
                if undo.clicked() {
                    self.pending.push(Command::Undo);
                }
                let redo = ui.add_enabled(self.can_redo(), egui::Button::new("重做").shortcut_text("Ctrl+Y"));
                if redo.clicked() {
                    self.pending.push(Command::Redo);
                }
                ui.separator();
                if ui.button("空白单元格填0").clicked() {
                    self.pending.push(Command::FillBlanksWithZero);
                }
                let computed = ui.add_enabled(!self.doc.auto_totals, egui::Button::new("使用自动计算的合计"));
                if computed.clicked() {
                    self.pending.push(Command::UseComputedTotals);
                }
            });
            ui.menu_button("视图", |ui| {
                if ui.radio(!self.settings.dark, "浅色").clicked() {
                    self.pending.push(Command::SetDark(false));
                }
                if ui.radio(self.settings.dark, "深色").clicked() {
                    self.pending.push(Command::SetDark(true));
                }
                ui.separator();
                if ui.add(egui::Button::new("放大").shortcut_text("Ctrl +")).clicked() {
                    self.pending.push(Command::Zoom(1));
                }
                if ui.add(egui::Button::new("缩小").shortcut_text("Ctrl -")).clicked() {
                    self.pending.push(Command::Zoom(-1));
                }
                if ui.add(egui::Button::new("还原").shortcut_text("Ctrl 0")).clicked() {
                    self.pending.push(Command::Zoom(0));
                }
            });
        });
    }

    /// The file side's frame: carries out queued file commands, shows its windows, applies what it did.
    fn show_files(&mut self, ctx: &egui::Context) {
        for cmd in std::mem::take(&mut self.file_requests) {
            let op = match cmd {
                Command::New => ui::files::FileOp::New,
                Command::Open(p) => ui::files::FileOp::Open(p),
                Command::Save => ui::files::FileOp::Save,
                Command::SaveAs(p) => ui::files::FileOp::SaveAs(p),
                Command::Export => ui::files::FileOp::Export,
                Command::Quit => ui::files::FileOp::Quit,
                _ => continue,
            };
            let doc = ui::files::DocState {
                report: &self.doc.report,
                path: self.doc.path.as_deref(),
                dirty: self.doc.dirty,
            };
            let actions = self.files.start(ctx, op, doc);
            self.apply_file_actions(actions);
        }
        let doc = ui::files::DocState {
            report: &self.doc.report,
            path: self.doc.path.as_deref(),
            dirty: self.doc.dirty,
        };
        let actions = self.files.show(ctx, doc);
        self.apply_file_actions(actions);
        if self.settings.recent != self.files.recent.paths {
            self.settings.recent.clone_from(&self.files.recent.paths);
            if let Some(p) = &self.settings_file {
                self.settings.save_to(p);
            }
        }
        self.apply_pending();
    }

    /// Applies what the file side did to the document.
    fn apply_file_actions(&mut self, actions: Vec<ui::files::FileAction>) {
        for a in actions {
            match a {
                ui::files::FileAction::Replace { report, path, dirty } => {
                    self.apply(Command::ReplaceDocument(report, path));
                    self.doc.dirty = dirty;
                }
                ui::files::FileAction::Saved(path) => self.apply(Command::MarkSaved(path)),
                ui::files::FileAction::FocusCell(idx) => self.pending.push(Command::FocusCell(idx)),
            }
        }
    }

    /// Draws the whole window into `ui` and applies what the clerk did. Used by eframe and by the kittest
    /// harnesses alike.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_look(&ctx);
        self.handle_shortcuts(&ctx);
        self.pending
            .extend(ui::form::handle_keys(&ctx, &self.doc.report, &mut self.form));

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::right("findings")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(ui, |ui| {
                let cmds = ui::findings::show(ui, &self.doc.report, &self.findings, &self.form);
                self.pending.extend(cmds);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(ui::files::FileAction::FocusCell(idx)) = self.files.banner(ui) {
                self.pending.push(Command::FocusCell(idx));
            }
            let cmds = ui::form::show(ui, &self.doc, self.edition_offer, &self.marks, &mut self.form);
            self.pending.extend(cmds);
        });

        self.apply_pending();
        self.show_files(&ctx);
        self.show_recovery(&ctx);

        let title = self.title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if !self.first_frame_reported {
            self.first_frame_reported = true;
            if std::env::var_os("NIANBAO_FIRST_FRAME").is_some() {
                let start = PROCESS_START.get_or_init(Instant::now);
                eprintln!("first frame after {} ms", start.elapsed().as_millis());
            }
        }
    }
}

/// The report in another edition: metadata, texts and acknowledgements kept, cells copied by id.
fn convert_edition(report: &Report, edition: Edition) -> Report {
    let mut r = Report::new(edition, report.year, report.agency.clone());
    r.title.clone_from(&report.title);
    r.texts = report.texts.clone();
    r.acknowledged.clone_from(&report.acknowledged);
    for (cell, v) in report.template().cells.iter().zip(&report.cells) {
        r.set_by_id(cell.id, *v);
    }
    r
}

impl eframe::App for NianbaoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // Measuring hook of `scripts/measure-typing.sh`: one line per pass, to count frames per keystroke.
        if std::env::var_os("NIANBAO_COUNT_FRAMES").is_some() {
            eprintln!(
                "frame {} pass {}",
                ui.ctx().cumulative_frame_nr(),
                ui.ctx().cumulative_pass_nr()
            );
        }
        self.show(ui);
        let quit = self.file_requests.contains(&Command::Quit);
        if quit {
            self.file_requests.retain(|c| *c != Command::Quit);
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The panels' colour: the window's panels are drawn without a fill (see [`run_window`]), so the clear
    /// colour is their background.
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        let theme = if visuals.dark_mode {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        };
        theme.panel_fill.to_normalized_gamma_f32()
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.settings.save();
        // A normal close is either saved or the clerk chose 不保存 when asked: the recovery copy is not needed.
        if let Some(g) = self.recovery.as_mut() {
            g.discard();
        }
    }
}

/// Opens the window, on `file` if given. Returns when the window is closed.
pub fn run_window(file: Option<PathBuf>) -> ExitCode {
    PROCESS_START.get_or_init(Instant::now);
    // A file given on the command line is opened by the file side on the first frame, so that errors and
    // import doubts show in the window.
    let doc = Document::new(blank_report(), None);
    let settings = Settings::load();
    let mut app = NianbaoApp::with_document(doc, settings);
    app.settings_file = Settings::path();
    if let Some(path) = file {
        app.file_requests.push(Command::Open(Some(path)));
    }
    app.start_recovery();
    let title = app.title();
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_app_id("nianbao")
            .with_inner_size([1280.0, 860.0])
            .with_min_inner_size([900.0, 560.0]),
        // Software OpenGL shades every pixel of the window on every frame: dithering is a per-pixel cost
        // (a quarter of a frame under llvmpipe) for a change of at most one level in anti-aliased edges.
        dithering: false,
        ..Default::default()
    };
    let result = eframe::run_native(
        "nianbao",
        options,
        Box::new(move |cc| {
            ui::fonts::install_fonts(&cc.egui_ctx);
            // The panels cover the whole window; filling them would shade every pixel twice per frame under
            // software OpenGL. The clear colour is their colour instead (`clear_color`): the same picture.
            cc.egui_ctx
                .all_styles_mut(|style| style.visuals.panel_fill = egui::Color32::TRANSPARENT);
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nianbao: 无法打开窗口：{e}");
            ExitCode::FAILURE
        }
    }
}

/// Recovery (issue 7): the copy of unsaved work, the offer to restore it at start, the crash notice.
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
    fn answer_recovery(&mut self, restore: bool) {
        let Some(guard) = self.recovery.as_mut() else { return };
        if let Some(r) = guard.answer(restore) {
            self.apply(Command::ReplaceDocument(Box::new(r.report), r.original_path));
            // Restored work is still unsaved: keep it protected and the title marked until the clerk saves.
            self.doc.dirty = true;
        }
    }

    /// Each frame: the offer, the crash notice, problems, and the recovery copy while there are unsaved changes.
    fn show_recovery(&mut self, ctx: &egui::Context) {
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
