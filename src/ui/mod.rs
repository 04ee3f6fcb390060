//! The panels of the window, one file each. Panels read the model and return [`command::Command`]s; the
//! app applies them at the end of the frame. No business logic lives here: it is in the library.

pub mod command;
pub mod conflict;
pub mod export;
pub mod files;
pub mod findings;
pub mod fonts;
pub mod form;
pub mod import;
pub mod prompt;
pub mod yearly;

use egui::Color32;

/// A dialog window that fits the screen: centred, never larger than the window (its content scrolls), × to
/// close. Esc closes the frontmost dialog: see [`files::FilesUi::show`].
pub fn dialog<'a>(ctx: &egui::Context, title: &'a str, id: &str, open: &'a mut bool) -> egui::Window<'a> {
    let screen = ctx.content_rect();
    egui::Window::new(title)
        .id(egui::Id::unique(id))
        .open(open)
        .collapsible(false)
        .constrain(true)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(screen.center())
        .max_width((screen.width() - 32.0).max(200.0))
        .max_height((screen.height() - 64.0).max(120.0))
        .vscroll(true)
}

/// Whether Esc was pressed this frame (and takes it, so that only one window closes).
pub fn take_escape(ctx: &egui::Context) -> bool {
    ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
}

/// Colours for marking cells and findings, readable in both themes (dark text on pale fills in the light
/// theme, light text on deep fills in the dark one; never light text on pink).
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    /// Fill of a cell in a failing error rule, or holding an invalid entry.
    pub error_fill: Color32,
    /// Text on [`Palette::error_fill`], and error counts.
    pub error_text: Color32,
    /// Fill of a cell in a warning.
    pub warning_fill: Color32,
    /// Text on [`Palette::warning_fill`], and warning counts.
    pub warning_text: Color32,
    /// Fill of computed (read-only) cells.
    pub computed_fill: Color32,
    /// Fill of header and label cells.
    pub header_fill: Color32,
    /// Grid lines.
    pub grid: Color32,
    /// Success text ("no problems").
    pub ok_text: Color32,
    /// Frame of the cell the clerk is on.
    pub active: Color32,
}

impl Palette {
    /// The palette for the current theme of `ui`.
    pub fn of(ui: &egui::Ui) -> Palette {
        if ui.visuals().dark_mode {
            Palette {
                error_fill: Color32::from_rgb(0x5c, 0x1f, 0x22),
                error_text: Color32::from_rgb(0xff, 0xb4, 0xab),
                warning_fill: Color32::from_rgb(0x4a, 0x3b, 0x10),
                warning_text: Color32::from_rgb(0xf5, 0xd0, 0x7a),
                computed_fill: Color32::from_rgb(0x2a, 0x2f, 0x36),
                header_fill: Color32::from_rgb(0x30, 0x33, 0x38),
                grid: Color32::from_gray(0x55),
                ok_text: Color32::from_rgb(0x8f, 0xd1, 0x9e),
                active: Color32::from_rgb(0x6c, 0xa8, 0xff),
            }
        } else {
            Palette {
                error_fill: Color32::from_rgb(0xfd, 0xe7, 0xe6),
                error_text: Color32::from_rgb(0x9b, 0x1c, 0x1c),
                warning_fill: Color32::from_rgb(0xff, 0xf4, 0xd6),
                warning_text: Color32::from_rgb(0x7a, 0x4f, 0x00),
                computed_fill: Color32::from_rgb(0xf0, 0xf3, 0xf7),
                header_fill: Color32::from_rgb(0xf3, 0xf4, 0xf6),
                grid: Color32::from_gray(0xc8),
                ok_text: Color32::from_rgb(0x1e, 0x6b, 0x34),
                active: Color32::from_rgb(0x1a, 0x5f, 0xd0),
            }
        }
    }
}
