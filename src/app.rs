//! The eframe window: [`NianbaoApp`] holds the open [`Document`], the persisted [`Settings`] and the runtime
//! state of the panels. Panels return [`Command`]s; [`NianbaoApp::apply`] carries them out at the end of the
//! frame, records undo steps, refreshes totals and re-runs the checks only when something changed.

pub use crate::document::Document;
pub use crate::ui::command::Command;
pub use settings::Settings;

mod recovery_ui;
mod settings;
mod settle;

use crate::checks::{self, Finding};
use crate::document::Applied;
use crate::report::Report;
use crate::template::{Edition, Severity};
use crate::ui;
use crate::ui::command::{Menu, UiCommand};
use crate::ui::files::FileOp;
use crate::ui::form::FormState;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

/// When the process started, if `main` recorded it; the first-frame timing (`NIANBAO_FIRST_FRAME`) counts
/// from here. [`run_window`] sets it if nobody did.
pub static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// A new blank report: current edition, last year.
pub fn blank_report() -> Report {
    let year = settings::default_year();
    Report::new(Edition::for_year(year), year, "")
}

/// Which findings the panel lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// While the form is being filled in: blank cells are progress (已填 N/总数 格), not findings.
    Filling,
    /// After 全面检查 or an export: every finding, blank cells included.
    Everything,
}

/// Whether the main window was checked against the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WindowCheck {
    /// Not yet: the screen size is not known before the first frames.
    Pending,
    /// Checked (and moved or shrunk if it stuck out).
    Done,
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
    /// Which findings are listed: blank cells only after 全面检查 or an export.
    pub listing: Listing,
    /// Switching the edition would drop these filled cells: asking first.
    switch_pending: Option<(Edition, Vec<String>)>,
    /// Commands queued during the frame.
    pending: Vec<Command>,
    /// The title last sent to the window.
    shown_title: String,
    /// Theme and zoom applied to the context (`None` before the first frame).
    applied_look: Option<(bool, f32)>,
    fonts_installed: bool,
    first_frame_reported: bool,
    /// The menu to open on this frame (Alt+letter).
    open_menu: Option<Menu>,
    /// Whether the window was checked against the screen yet (moved and shrunk to fit when it stuck out).
    window: WindowCheck,
    /// Commands the file side (UI-B) has to carry out; drained by it.
    pub file_requests: Vec<FileOp>,
    /// The recovery copy and crash notice (issue 7); `None` in tests and when there is no data folder.
    pub recovery: Option<crate::recovery::Guard>,
    /// The file side: dialogs, recent files, export, import, yearly (UI-B).
    pub files: ui::files::FilesUi,
    /// Where the settings are written as soon as the recent files change (so a crash does not lose the list),
    /// besides on exit. `None` (tests): never written.
    pub settings_file: Option<PathBuf>,
    /// Passes left to settle this frame's input before it is painted (see [`settle`]).
    settle: settle::Settle,
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
            listing: Listing::Filling,
            switch_pending: None,
            pending: Vec::new(),
            shown_title: String::new(),
            applied_look: None,
            fonts_installed: false,
            first_frame_reported: false,
            settle: settle::Settle::default(),
            window: WindowCheck::Pending,
            open_menu: None,
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

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.doc.can_undo()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.doc.can_redo()
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
        let mut findings = checks::check(&self.doc.report, self.doc.previous.as_ref());
        if self.listing == Listing::Filling {
            // While the form is being filled in, blanks are progress (已填 N/总数), not one warning per cell.
            let t = self.doc.report.template();
            findings.retain(|f| {
                !t.rules
                    .iter()
                    .any(|r| r.id == f.rule && matches!(r.kind, crate::template::RuleKind::Blank))
            });
        }
        self.findings = findings;
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

    /// Errors among the findings shown.
    fn error_count(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count()
    }

    /// Whether the clerk marked this warning as checked.
    pub fn is_acknowledged(&self, f: &Finding) -> bool {
        self.doc.report.acknowledged.contains(&ui::findings::finding_key(f))
    }

    /// The report changed: refresh at the end of the frame; a notice about the last action has been seen.
    fn changed(&mut self) {
        self.doc.dirty = true;
        self.stale = true;
        self.files.dismiss_notice();
    }

    /// Applies an edit of the document: one undo step; the form forgets what it held for the cells set.
    fn apply_edit(&mut self, edit: crate::document::Edit) {
        match &edit {
            crate::document::Edit::SetCells(values) => {
                let cells: Vec<_> = values.iter().map(|(i, _)| *i).collect();
                for &i in &cells {
                    self.form.forget(i);
                }
                self.files.banner.resolve(&cells);
            }
            crate::document::Edit::SetCell(i, _) => self.files.banner.resolve(&[*i]),
            _ => {}
        }
        match self.doc.apply(edit) {
            Applied::Unchanged => {}
            Applied::Changed => self.changed(),
            Applied::Reset => {
                self.form.clear();
                self.changed();
            }
        }
    }

    /// Carries out one command now.
    pub fn apply(&mut self, cmd: Command) {
        match cmd {
            Command::Edit(edit) => self.apply_edit(edit),
            Command::SwitchEdition(edition) => {
                let lost = self.doc.lost_by_switching(edition);
                if lost.is_empty() {
                    self.switch_edition(edition);
                } else {
                    let t = self.doc.report.template();
                    let names = lost
                        .iter()
                        .map(|&i| format!("{}：{}", t.cells[i].label, ui::form::shown(&self.doc.report, i)))
                        .collect();
                    self.switch_pending = Some((edition, names));
                }
            }
            Command::Undo | Command::Redo => {
                if self.doc.undo_redo(cmd == Command::Undo) {
                    self.form.clear();
                    self.changed();
                }
            }
            Command::FocusCell(idx) => self.form.focus(idx),
            Command::JumpTo(part) => self.form.jump(part),
            Command::CheckAll => {
                self.listing = Listing::Everything;
                self.stale = true;
            }
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
                self.form.clear();
                // A newly opened report is read from its top.
                self.form.jump(ui::form::Part::Top);
                self.listing = Listing::Filling;
                self.switch_pending = None;
                self.stale = true;
            }
            Command::MarkSaved(path) => {
                self.doc.path = Some(path);
                self.doc.dirty = false;
            }
            Command::File(FileOp::Export) => {
                // Exporting is when blank cells matter.
                self.listing = Listing::Everything;
                self.stale = true;
                self.file_requests.push(FileOp::Export);
            }
            Command::File(op) => self.file_requests.push(op),
        }
    }

    /// Switches the edition now (the clerk agreed, or nothing is lost).
    fn switch_edition(&mut self, edition: Edition) {
        if self.doc.apply(crate::document::Edit::SwitchEdition(edition)) == Applied::Reset {
            self.form.clear();
            self.changed();
        }
    }

    /// The question before switching the edition drops numbers: which ones, and 切换 / 取消.
    fn show_switch_prompt(&mut self, ctx: &egui::Context) {
        let Some((edition, names)) = &self.switch_pending else {
            return;
        };
        let mut answer = None;
        let resp = egui::Modal::new(egui::Id::unique("nianbao_switch_edition")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading(format!("切换到{edition}"));
            ui.label(format!(
                "新格式中没有下面 {} 个单元格，切换后它们的数字将不再保留：",
                names.len()
            ));
            let room = (ctx.content_rect().height() - 220.0).max(80.0);
            egui::ScrollArea::vertical().max_height(room).show(ui, |ui| {
                for n in names {
                    ui.label(n.as_str());
                }
            });
            ui.label("切换后可以用「撤销」恢复。");
            ui.horizontal(|ui| {
                if ui.button("切换").clicked() {
                    answer = Some(true);
                }
                if ui.button("取消").clicked() {
                    answer = Some(false);
                }
            });
        });
        if answer.is_none() && resp.should_close() {
            answer = Some(false);
        }
        if let Some(yes) = answer {
            let edition = *edition;
            self.switch_pending = None;
            if yes {
                self.switch_edition(edition);
            } else {
                self.doc.edition_offer = None;
            }
        }
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

    /// The one shortcut listener (the registry's), and Alt+letter for the menus. Undo and redo are left to the
    /// long texts' own undo while one of them has focus; nothing is taken while a question is asked.
    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        if self.files.prompt_open() || self.files.conflict_open() || self.switch_pending.is_some() {
            return;
        }
        let text_editing = ctx
            .memory(egui::Memory::focused)
            .is_some_and(|id| ui::form::is_free_text_id(ctx, id));
        if let Some(c) = UiCommand::listen(ctx, text_editing) {
            self.pending.push(c.command());
        }
        if let Some(m) = Menu::listen(ctx) {
            self.open_menu = Some(m);
        }
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

    /// The menu bar, built from the registry: every entry shows its shortcut; Alt+letter opens a menu.
    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let open = self.open_menu.take();
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::ALL {
                let r = ui.menu_button(menu.title(), |ui| self.menu(ui, menu)).response;
                if open == Some(menu) {
                    egui::Popup::open_id(ui.ctx(), egui::Popup::default_response_id(&r));
                    ui.ctx().request_repaint();
                }
            }
        });
    }

    /// The entries of one menu.
    fn menu(&mut self, ui: &mut egui::Ui, menu: Menu) {
        let entry = |ui: &mut egui::Ui, c: UiCommand, enabled: bool, pending: &mut Vec<Command>| {
            if c.menu_button(ui, enabled) {
                pending.push(c.command());
            }
        };
        let p = &mut self.pending;
        match menu {
            Menu::File => {
                entry(ui, UiCommand::New, true, p);
                entry(ui, UiCommand::Open, true, p);
                if let Some(path) = self.files.recent_menu(ui) {
                    p.push(Command::File(FileOp::Open(Some(path))));
                }
                ui.separator();
                entry(ui, UiCommand::Save, true, p);
                entry(ui, UiCommand::SaveAs, true, p);
                ui.separator();
                entry(ui, UiCommand::Export, true, p);
                entry(ui, UiCommand::PasteImport, true, p);
                ui.separator();
                entry(ui, UiCommand::NextYear, true, p);
                entry(ui, UiCommand::Merge, true, p);
                entry(ui, UiCommand::Breakdown, self.files.has_breakdown(), p);
                ui.separator();
                entry(ui, UiCommand::Quit, true, p);
            }
            Menu::Edit => {
                entry(ui, UiCommand::Undo, self.doc.can_undo(), p);
                entry(ui, UiCommand::Redo, self.doc.can_redo(), p);
                ui.separator();
                entry(ui, UiCommand::CheckAll, true, p);
                entry(ui, UiCommand::FillBlanksWithZero, true, p);
                entry(ui, UiCommand::UseComputedTotals, !self.doc.auto_totals, p);
            }
            Menu::View => {
                if ui.radio(!self.settings.dark, "浅色").clicked() {
                    p.push(Command::SetDark(false));
                }
                if ui.radio(self.settings.dark, "深色").clicked() {
                    p.push(Command::SetDark(true));
                }
                ui.separator();
                entry(ui, UiCommand::ZoomIn, true, p);
                entry(ui, UiCommand::ZoomOut, true, p);
                entry(ui, UiCommand::ZoomReset, true, p);
            }
            Menu::Go => {
                for (part, name) in ui::form::outline(&self.doc.report) {
                    if ui.button(name).clicked() {
                        p.push(Command::JumpTo(part));
                        ui.close();
                    }
                }
            }
        }
    }

    /// The file side's frame: carries out queued file commands, shows its windows, applies what it did.
    fn show_files(&mut self, ctx: &egui::Context) {
        for op in std::mem::take(&mut self.file_requests) {
            let doc = ui::files::DocState {
                report: &self.doc.report,
                path: self.doc.path.as_deref(),
                dirty: self.doc.dirty,
                errors: self.error_count(),
            };
            let actions = self.files.start(ctx, op, doc);
            self.apply_file_actions(actions);
        }
        let doc = ui::files::DocState {
            report: &self.doc.report,
            path: self.doc.path.as_deref(),
            dirty: self.doc.dirty,
            errors: self.error_count(),
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
                ui::files::FileAction::NewBlank => {
                    self.apply(Command::ReplaceDocument(Box::new(blank_report()), None));
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
        let dialog_open = self.files.any_window_open();
        self.pending.extend(ui::form::handle_keys(
            &ctx,
            &self.doc.report,
            &mut self.form,
            dialog_open,
        ));

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::right("findings")
            .resizable(true)
            .default_size(340.0)
            .min_size(260.0)
            .show(ui, |ui| {
                let cmds = ui::findings::show(
                    ui,
                    &self.doc.report,
                    &self.findings,
                    self.listing == Listing::Everything,
                );
                self.pending.extend(cmds);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(ui::files::FileAction::FocusCell(idx)) = self.files.banner(ui) {
                self.pending.push(Command::FocusCell(idx));
            }
            let cmds = ui::form::show(ui, &self.doc, &self.marks, &mut self.form);
            self.pending.extend(cmds);
        });

        self.apply_pending();
        self.show_files(&ctx);
        self.show_switch_prompt(&ctx);
        self.show_recovery(&ctx);

        if self.window == WindowCheck::Done {
            // Remembered on exit (settings.save in on_exit): the next start opens the window here again.
            let place = ctx.input(|i| {
                let v = i.viewport();
                v.outer_rect
                    .zip(v.inner_rect)
                    .map(|(o, r)| [o.min.x, o.min.y, r.width(), r.height()])
            });
            if place.is_some() {
                self.settings.window = place;
            }
        } else if fit_to_screen(&ctx) {
            self.window = WindowCheck::Done;
        }
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

/// Moves and shrinks the window to lie inside the screen, title bar included (a window manager may place a
/// window of the requested size partly off a small screen). Returns false while the screen size is unknown.
fn fit_to_screen(ctx: &egui::Context) -> bool {
    let (monitor, outer, inner) = ctx.input(|i| {
        let v = i.viewport();
        (v.monitor_size, v.outer_rect, v.inner_rect)
    });
    let (Some(monitor), Some(outer), Some(inner)) = (monitor, outer, inner) else {
        return false;
    };
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, monitor);
    if screen.contains_rect(outer) {
        return true;
    }
    // Room for a panel or task bar; the frame's own size is what the window manager adds around the inside.
    let margin = egui::vec2(16.0, 48.0);
    let frame = outer.size() - inner.size();
    let size = (monitor - margin - frame).min(inner.size());
    let pos = ((monitor - size - frame) / 2.0).max(egui::Vec2::ZERO).to_pos2();
    ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(size));
    ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(pos));
    true
}

impl eframe::App for NianbaoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // Measuring hook of `scripts/measure-typing.sh`: one line per pass, to count frames per keystroke.
        if std::env::var_os("NIANBAO_COUNT_FRAMES").is_some() {
            // Why this pass runs: the repaint requests of the pass before it (none for a frame a window
            // event started).
            let causes: Vec<String> = ui.ctx().repaint_causes().iter().map(ToString::to_string).collect();
            let since_start = PROCESS_START.get().map_or(0, |t| t.elapsed().as_millis());
            eprintln!(
                "frame {} pass {} at {since_start} ms after: {}",
                ui.ctx().cumulative_frame_nr(),
                ui.ctx().cumulative_pass_nr(),
                causes.join("; ")
            );
        }
        self.show(ui);
        let quit = self.file_requests.contains(&FileOp::Quit);
        if quit {
            self.file_requests.retain(|op| *op != FileOp::Quit);
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if self.settle.another_pass() {
            ui.ctx().request_discard("settle the input before painting");
        }
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        self.settle.begin_frame(raw_input);
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
        app.file_requests.push(FileOp::Open(Some(path)));
    }
    app.start_recovery();
    let title = app.title();
    // Where the clerk left the window last time; else a size that fits a 1366×768 laptop with its task bar.
    // Either way the first frame moves it inside the screen if it sticks out.
    let [left, top, width, height] = app.settings.window.unwrap_or([f32::NAN, f32::NAN, 1280.0, 680.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id("nianbao")
        .with_inner_size([width.clamp(900.0, 4000.0), height.clamp(560.0, 3000.0)])
        .with_min_inner_size([900.0, 560.0]);
    if left.is_finite() && top.is_finite() {
        viewport = viewport.with_position([left.max(0.0), top.max(0.0)]);
    }
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport,
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
            cc.egui_ctx.options_mut(|o| o.max_passes = settle::PASSES);
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
            // Say what the clerk can do first; eframe's own words (English) after, for whoever helps them.
            eprintln!(
                "nianbao：无法打开窗口：找不到可用的图形显示（没有图形界面，或远程登录时没有转发显示）。\
                 命令行功能（nianbao check、export 等）不需要窗口，仍可使用。\n系统信息：{e}"
            );
            ExitCode::from(crate::cli::EXIT_FAILURE)
        }
    }
}
