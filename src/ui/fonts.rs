//! The embedded CJK font and the text sizes of the window.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily, FontId, TextStyle};

/// Name under which the embedded font is registered.
const FONT_NAME: &str = "noto-sans-sc-subset";

/// Noto Sans CJK SC, subset to GB2312 and the templates' characters (OFL; see `assets/fonts/README.md`).
static NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-subset.otf");

/// Installs the embedded Chinese font as the first proportional and monospace font and sets text sizes that
/// are comfortable for hanzi (body 16 px).
///
/// egui's default fonts stay behind it (for symbols the subset lacks), and eframe's system-font provider
/// comes after both for rare characters. Calling it again is cheap: egui skips a font it already has.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        FONT_NAME,
        FontData::from_static(NOTO_SANS_SC),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Highest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Highest,
            },
        ],
    ));
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(13.0)),
            (TextStyle::Body, FontId::proportional(16.0)),
            (TextStyle::Button, FontId::proportional(16.0)),
            (TextStyle::Monospace, FontId::monospace(15.0)),
            (TextStyle::Heading, FontId::proportional(21.0)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.spacing.interact_size.y = 26.0;
    });
}
