//! The embedded CJK font and the text sizes of the window.

use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
use egui::{FontData, FontFamily, FontId, TextStyle};

/// Name under which the embedded font is registered.
const FONT_NAME: &str = "noto-sans-sc-subset";

/// Noto Sans CJK SC, subset to 通用规范汉字表, GBK, GB2312 and the app's own characters (OFL; see
/// `assets/fonts/README.md`). Stored uncompressed: it fits the binary's size budget, and egui reads it in place.
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

#[cfg(test)]
mod tests {
    use super::NOTO_SANS_SC;
    use skrifa::{FontRef, GlyphId, MetadataProvider};
    use std::path::{Path, PathBuf};

    /// Characters in the sources that are test data for encoders, not text the window shows, and that the source
    /// font does not have (egui's fallback or the system font draws them if they ever appear).
    const NOT_UI_TEXT: &[char] = &['😀', '𠀀'];

    fn font() -> FontRef<'static> {
        FontRef::new(NOTO_SANS_SC).expect("the embedded font parses")
    }

    /// The glyph of `ch` in the embedded font, if the cmap maps it and the glyph has an outline.
    fn glyph(font: &FontRef<'_>, ch: char) -> Option<GlyphId> {
        let gid = font.charmap().map(ch)?;
        (gid != GlyphId::NOTDEF && font.outline_glyphs().get(gid).is_some()).then_some(gid)
    }

    fn missing(font: &FontRef<'_>, chars: impl IntoIterator<Item = char>) -> Vec<char> {
        let mut missing: Vec<char> = chars.into_iter().filter(|&ch| glyph(font, ch).is_none()).collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    }

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// The 8105 characters of 通用规范汉字表 from the list the subset script reads.
    fn tongyong_guifan() -> Vec<char> {
        let text = std::fs::read_to_string(repo().join("assets/fonts/tongyong-guifan-8105.txt")).expect("list");
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .flat_map(|line| line.trim().chars())
            .collect()
    }

    fn files_with_extension(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable source folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                files_with_extension(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }

    #[test]
    fn rare_name_characters_have_glyphs() {
        // Characters of people's and places' names outside GB2312; 䶮 (U+4DAE, CJK Ext A) is outside GBK too.
        let font = font();
        let names = "鄠浉珺犇䶮堃喆垚昇旸";
        assert_eq!(missing(&font, names.chars()), Vec::<char>::new());
        for ch in names.chars() {
            assert!(!NOT_UI_TEXT.contains(&ch));
        }
    }

    #[test]
    fn all_of_tongyong_guifan_has_glyphs() {
        let list = tongyong_guifan();
        let mut distinct = list.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            (list.len(), distinct.len()),
            (8105, 8105),
            "the list holds 8105 distinct characters"
        );
        assert!(
            list.iter().all(|&ch| ('\u{3400}'..='\u{3134A}').contains(&ch)),
            "only hanzi in the list"
        );
        assert_eq!(missing(&font(), list), Vec::<char>::new());
    }

    #[test]
    fn gbk_and_gb2312_have_glyphs() {
        // Every two-byte GBK sequence, decoded independently of the subset script (encoding_rs, not Python).
        let mut chars = Vec::new();
        for lead in 0x81_u8..=0xFE {
            for trail in (0x40_u8..=0xFE).filter(|&t| t != 0x7F) {
                let bytes = [lead, trail];
                let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
                // Private-use code points (user-defined GBK areas) have no glyph in any font.
                if !had_errors {
                    chars.extend(text.chars().filter(|ch| !('\u{E000}'..='\u{F8FF}').contains(ch)));
                }
            }
        }
        assert!(chars.len() > 21_000, "GBK decodes to {} characters", chars.len());
        // U+2252 (approximately equal or the image of) is in GBK but not in Noto Sans CJK (the script warns about it).
        assert_eq!(missing(&font(), chars), vec!['\u{2252}']);
    }

    #[test]
    fn every_character_of_the_templates_and_sources_has_a_glyph() {
        let root = repo();
        let mut files = Vec::new();
        files_with_extension(&root.join("core/assets/templates"), "ron", &mut files);
        files_with_extension(&root.join("src"), "rs", &mut files);
        files_with_extension(&root.join("core/src"), "rs", &mut files);
        assert!(files.len() > 10, "found the sources: {files:?}");
        let font = font();
        let mut text = String::new();
        for file in &files {
            text.push_str(&std::fs::read_to_string(file).expect("UTF-8 source file"));
        }
        let chars = text.chars().filter(|ch| !ch.is_control() && !NOT_UI_TEXT.contains(ch));
        assert_eq!(
            missing(&font, chars),
            Vec::<char>::new(),
            "characters without a glyph: re-run scripts/make-font-subset.sh"
        );
    }
}
