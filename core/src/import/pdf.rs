//! PDF files: the text of every page laid out by the characters' positions (lines by baseline, left to
//! right, cells apart, indents kept, as `pdftotext -layout` writes it), then read by the text importer
//! ([`super::import_text`]) like any other layout. A published PDF keeps no table structure, only positioned
//! characters, so the text reader (whose stream reader finds the rows by their labels) is the right reader.
//!
//! Characters come from `pdf-extract` (on `lopdf`) through its `OutputDev` trait: it decodes CID fonts through
//! their `ToUnicode` `CMaps`, which is how WPS and Word embed Chinese fonts, and reports each character with
//! its text matrix. `lopdf`'s own `extract_text` gives no positions and puts every text object on a line of
//! its own (a row's seven numbers on seven lines, years cut as `202` / `3`), which cannot be read back.
//!
//! Hostile files are expected. The input is size-capped by the caller ([`crate::project::read_file`]); before
//! parsing, the object syntax is checked for absurd nesting (the parser recurses) and the compressed streams
//! for what they inflate to (deflate bombs); extraction runs on a thread of its own with a large stack, and a
//! panic in the PDF crates (they index without checking) ends that thread only and becomes
//! [`PdfError::Crashed`]. The extracted text is capped.

use super::{Doubt, ImportError, Imported, read_text};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// How a PDF file starts (after optional whitespace).
const MAGIC: &[u8] = b"%PDF-";
/// Deepest nesting of arrays and dictionaries accepted in the file's objects (real files stay below 10).
const MAX_NESTING: usize = 100;
/// Stack of the extraction thread: the parsers recurse into nested objects.
const STACK_BYTES: usize = 64 * 1024 * 1024;
/// Most text taken from one PDF (a report has some tens of kilobytes).
const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// Most bytes the file's compressed streams may inflate to, together (a report's PDF inflates to a few
/// megabytes; a deflate bomb to gigabytes, which the PDF crates would allocate whole).
const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;
/// Most pages read (a report has a few dozen; pages may share one content stream, so each costs its whole
/// content again).
const MAX_PAGES: usize = 2000;
/// Name of the extraction thread (its panics are not printed: they are reported as [`PdfError::Crashed`]).
const THREAD_NAME: &str = "nianbao-pdf";

/// Why a PDF could not be read as a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The file's structure cannot be parsed (truncated, damaged, not really a PDF).
    #[error("无法读取 PDF：文件已损坏或不完整")]
    Damaged,
    /// The file is encrypted with a password that is needed to open it.
    #[error("无法读取 PDF：文件设有打开密码，请在原程序中取消密码后另存再打开")]
    Encrypted,
    /// The file uses a PDF feature the reader does not implement.
    #[error("无法读取 PDF：文件使用了尚不支持的 PDF 功能，请在原程序中另存为纯文本（.txt）后再打开")]
    Unsupported,
    /// Compressed streams that inflate beyond [`MAX_INFLATED_BYTES`], or more than [`MAX_PAGES`] pages.
    #[error("无法读取 PDF：文件解压后过大或页数过多，为安全起见不予读取")]
    TooLarge,
    /// Objects nested deeper than [`MAX_NESTING`].
    #[error("无法读取 PDF：文件结构异常（嵌套过深），为安全起见不予读取")]
    TooDeep,
    /// The reader failed on the file (a panic in the PDF crates, contained).
    #[error("无法读取 PDF：读取时出错，文件可能已损坏")]
    Crashed,
    /// No text in the pages (a scanned document is only images).
    #[error("无法读取 PDF：页面中没有文字（可能是扫描件），请使用报告的文字版")]
    NoText,
    /// The text reads, but is not an annual report.
    #[error("{0}")]
    NotAReport(#[from] ImportError),
}

/// Whether `bytes` are a PDF file (decided by the content, not by a file name).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes[start..].starts_with(MAGIC)
}

/// The text of a PDF's pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdfText {
    /// The pages' text, a form feed (`\f`) at the start of every page after the first, as `pdftotext` writes.
    pub text: String,
    /// The first page that could not be read, when reading stopped there (the text holds the pages before).
    pub stopped_at: Option<u32>,
}

/// Reads the text of a PDF's pages.
pub fn pdf_text(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if nesting_depth(bytes) > MAX_NESTING {
        return Err(PdfError::TooDeep);
    }
    if inflated_size(bytes, MAX_INFLATED_BYTES) > MAX_INFLATED_BYTES {
        return Err(PdfError::TooLarge);
    }
    quiet_panics_of_this_reader();
    let result = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name(THREAD_NAME.to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || extract(bytes));
        match worker {
            // A panic inside the PDF crates ends the thread, not the program.
            Ok(handle) => handle.join().unwrap_or(Err(PdfError::Crashed)),
            Err(_) => Err(PdfError::Crashed),
        }
    })?;
    if result.text.trim().is_empty() {
        return Err(PdfError::NoText);
    }
    Ok(result)
}

/// Reads a PDF as a report: its text, imported; a page that could not be read becomes a doubt.
pub fn import_pdf(bytes: &[u8]) -> Result<Imported, PdfError> {
    let PdfText { text, stopped_at } = pdf_text(bytes)?;
    let mut imported = read_text(&text)?;
    if let Some(page) = stopped_at {
        imported.doubts.insert(
            0,
            Doubt {
                cells: Vec::new(),
                line: 0,
                source: String::new(),
                message: format!("PDF 第{page}页起无法读取，只读入了前面各页，请核对原文"),
            },
        );
    }
    Ok(imported)
}

/// Extraction proper (on the worker thread).
fn extract(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| pdf_error(&e))?;
    if doc.is_encrypted() {
        // Most "protected" PDFs have only an owner password (no copying, no printing): the empty user
        // password opens them.
        doc.decrypt("").map_err(|_| PdfError::Encrypted)?;
    }
    if doc.get_pages().len() > MAX_PAGES {
        return Err(PdfError::TooLarge);
    }
    let mut sink = TextSink::default();
    let outcome = pdf_extract::output_doc(&doc, &mut sink);
    // The page that failed keeps what it had drawn.
    sink.lay_out_page();
    let stopped_at = match outcome {
        Ok(()) => None,
        Err(e) if sink.text.trim().is_empty() || sink.full => {
            return Err(match e {
                _ if sink.full => PdfError::Unsupported,
                OutputError::PdfError(e) => pdf_error(&e),
                _ => PdfError::Damaged,
            });
        }
        // Pages before the failing one were read: keep them and say where reading stopped.
        Err(_) => Some(sink.page),
    };
    Ok(PdfText {
        text: sink.text,
        stopped_at,
    })
}

/// The reader's error, in the user's terms.
fn pdf_error(e: &pdf_extract::Error) -> PdfError {
    use pdf_extract::Error as E;
    match e {
        E::Decryption(_) | E::InvalidPassword | E::UnsupportedSecurityHandler(_) | E::AlreadyEncrypted => {
            PdfError::Encrypted
        }
        E::Unimplemented(_) => PdfError::Unsupported,
        _ => PdfError::Damaged,
    }
}

/// Installs, once, a panic hook that stays silent for the extraction thread (its panics are reported as
/// [`PdfError::Crashed`]) and hands every other panic to the hook that was there before.
fn quiet_panics_of_this_reader() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(THREAD_NAME) {
                previous(info);
            }
        }));
    });
}

/// Deepest nesting of `[` and `<<` in the file's object syntax: strings, comments and stream data skipped.
fn nesting_depth(bytes: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            b'(' => i = skip_string(bytes, i),
            b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                max = max.max(depth);
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b's' if bytes[i..].starts_with(b"stream") && matches!(bytes.get(i + 6), Some(b'\r' | b'\n')) => {
                // Stream data is binary: skip to its end.
                i = find(bytes, b"endstream", i + 6).map_or(bytes.len(), |p| p + b"endstream".len());
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    max
}

/// How many bytes the file's deflate-compressed streams inflate to, together, counted up to just past `cap`.
/// Every stream is inflated from its start until its compressed data ends (not until `endstream`, which
/// compressed bytes may contain), into nothing; data that is not deflate counts nothing.
fn inflated_size(bytes: &[u8], cap: u64) -> u64 {
    use std::io::Read;
    let mut total = 0u64;
    let mut from = 0usize;
    while let Some(at) = find(bytes, b"stream", from) {
        from = at + b"stream".len();
        let start = match bytes.get(from..from + 2) {
            Some([b'\r', b'\n']) => from + 2,
            Some([b'\n' | b'\r', _]) => from + 1,
            _ => continue,
        };
        // `endstream` contains `stream`: that one is not a start.
        if bytes[..at].ends_with(b"end") {
            continue;
        }
        let decoder = flate2::read::ZlibDecoder::new(&bytes[start..]);
        let mut limited = decoder.take(cap + 1 - total);
        total += std::io::copy(&mut limited, &mut std::io::sink()).unwrap_or(0);
        if total > cap {
            break;
        }
    }
    total
}

/// Index just past the literal string that starts at `start` (balanced parentheses, backslash escapes).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut level = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// First position of `needle` in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Lays out the characters of each page by their position, as `pdftotext -layout` does, so that the text
/// does not depend on the order in which a producer draws (row by row, column by column, header last):
/// characters whose baselines are within half a character of each other make one line, lines go top to
/// bottom, characters in a line left to right. Within a line a space stands where the text jumps right by
/// more than a tenth of a character (not between two Chinese characters spread by justification), two where
/// it jumps by more than two characters (table cells); a line starts with one space per character it is
/// indented from the page's text margin. A form feed between pages; capped at [`MAX_TEXT_BYTES`].
#[derive(Default)]
struct TextSink {
    text: String,
    /// Height of the current page's media box, to turn PDF coordinates (y up) into reading order (y down).
    page_height: f64,
    /// Number of the page being read.
    page: u32,
    /// The characters of the current page.
    glyphs: Vec<Glyph>,
    /// Bytes of text collected so far, pages laid out and not.
    bytes: usize,
    /// The text reached [`MAX_TEXT_BYTES`].
    full: bool,
}

/// One drawn character (or the few a glyph decodes to), in page coordinates with y down.
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

impl TextSink {
    /// Appends the current page's characters, laid out.
    fn lay_out_page(&mut self) {
        let mut glyphs = std::mem::take(&mut self.glyphs);
        glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.end.is_finite() && g.size.is_finite());
        if glyphs.is_empty() {
            return;
        }
        glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        // Lines: a new one where the baseline moves down by more than half a character.
        let mut lines: Vec<Vec<Glyph>> = Vec::new();
        let mut line_y = f64::NEG_INFINITY;
        for g in glyphs {
            let tolerance = g.size.max(1.0) * 0.5;
            match lines.last_mut() {
                Some(line) if g.y - line_y <= tolerance => {
                    line_y = g.y;
                    line.push(g);
                }
                _ => {
                    line_y = g.y;
                    lines.push(vec![g]);
                }
            }
        }
        for line in &mut lines {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
        }
        let margin = lines.iter().map(|l| l[0].x).fold(f64::INFINITY, f64::min);
        if !self.text.is_empty() {
            self.text.push_str("\n\u{c}");
        }
        for line in &lines {
            let size = line[0].size.max(1.0);
            // A ratio of page units, small and finite: the cast only rounds.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let indent = (((line[0].x - margin) / size).round().clamp(0.0, 80.0)) as usize;
            self.text.push_str(&" ".repeat(indent));
            let mut prev: Option<&Glyph> = None;
            for g in line {
                if let Some(p) = prev {
                    let size = g.size.max(1.0);
                    let gap = g.x - p.end;
                    let justified = p.text.chars().last().is_some_and(is_wide)
                        && g.text.chars().next().is_some_and(is_wide)
                        && gap < size * 0.6;
                    if gap > size * 2.0 {
                        self.text.push_str("  ");
                    } else if gap > size * 0.1 && !justified {
                        self.text.push(' ');
                    }
                }
                self.text.push_str(&g.text);
                prev = Some(g);
            }
            self.text.push('\n');
        }
    }
}

impl OutputDev for TextSink {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = page_num;
        self.page_height = media_box.ury - media_box.lly;
        self.glyphs.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.lay_out_page();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // Each glyph costs its text plus a little layout (spaces, line ends).
        self.bytes += text.len() + 2;
        if self.bytes > MAX_TEXT_BYTES {
            self.full = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The text matrix, flipped to y down: x = m31, y = height - m32; the font size scaled by it.
        let (x, y) = (trm.m31, self.page_height - trm.m32);
        let sx = font_size * trm.m11 + font_size * trm.m21;
        let sy = font_size * trm.m12 + font_size * trm.m22;
        let size = (sx * sy).abs().sqrt();
        self.glyphs.push(Glyph {
            x,
            y,
            end: x + width * size,
            size,
            text: text.to_owned(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Whether `c` is a wide character (CJK, full-width punctuation), between which justification adds space.
fn is_wide(c: char) -> bool {
    ('\u{2e80}'..='\u{9fff}').contains(&c)
        || ('\u{f900}'..='\u{faff}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        let cases: &[(&[u8], bool)] = &[
            (b"%PDF-1.7\n", true),
            (b"\r\n %PDF-1.4", true),
            (b"\xEF\xBB\xBF%PDF-", true),
            (b"%PDF", false),
            (b"x%PDF-1.4", false),
            ("某县人民政府2021年政府信息公开工作年度报告".as_bytes(), false),
            (b"", false),
        ];
        for (bytes, want) in cases {
            assert_eq!(is_pdf(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn nesting_is_measured_outside_strings_comments_and_streams() {
        let cases: &[(&[u8], usize)] = &[
            (b"[1 [2 [3]]]", 3),
            (b"<< /A << /B [1] >> >>", 3),
            (b"(((([[[[ ) ) ) )) [1]", 1),
            (b"(\\( [[[[) [1]", 1),
            (b"% [[[[[[\n[1]", 1),
            (b"<< /Length 5 >>\nstream\n[[[[[\nendstream [1]", 1),
            (b"<deadbeef> [<00>]", 1),
            (b"]]]]]] [1]", 1),
        ];
        for (bytes, want) in cases {
            assert_eq!(nesting_depth(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    /// `data` deflated, as a PDF stream's bytes are.
    fn deflated(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflated_size_counts_deflate_streams_only() {
        let z = deflated(&[b'a'; 10_000]);
        let stream = |body: &[u8]| {
            [
                b"<< /Filter /FlateDecode >>\nstream\r\n".as_slice(),
                body,
                b"\nendstream\n",
            ]
            .concat()
        };
        let two = [stream(&z), stream(&z)].concat();
        let cases: Vec<(Vec<u8>, u64, u64)> = vec![
            (stream(&z), 1 << 20, 10_000),
            (two.clone(), 1 << 20, 20_000),
            // Counting stops just past the cap.
            (two, 15_000, 15_001),
            (stream(b"BT (plain) Tj ET"), 1 << 20, 0),
            (b"no streams here".to_vec(), 1 << 20, 0),
            (b"stream".to_vec(), 1 << 20, 0),
        ];
        for (bytes, cap, want) in cases {
            assert_eq!(inflated_size(&bytes, cap), want);
        }
    }

    #[test]
    fn hostile_inputs_are_refused_with_a_reason() {
        let deep = [b"%PDF-1.4\n1 0 obj\n".as_slice(), &vec![b'['; 100_000]].concat();
        // 300 MB of zeros deflate to some 300 KB.
        let mut bomb = b"%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n".to_vec();
        {
            use std::io::Write;
            let mut e = flate2::write::ZlibEncoder::new(&mut bomb, flate2::Compression::best());
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..300 {
                e.write_all(&zeros).unwrap();
            }
            e.finish().unwrap();
        }
        bomb.extend_from_slice(b"\nendstream\nendobj\n");
        let cases: &[(&[u8], PdfError)] = &[
            (b"%PDF-1.4", PdfError::Damaged),
            (b"%PDF-1.4\n%%EOF\n", PdfError::Damaged),
            (&deep, PdfError::TooDeep),
            (&bomb, PdfError::TooLarge),
        ];
        for (bytes, want) in cases {
            let got = pdf_text(bytes).unwrap_err();
            assert_eq!(&got, want);
            let msg = got.to_string();
            assert!(msg.starts_with("无法读取 PDF："), "{msg}");
            assert!(
                !msg.chars()
                    .any(|c| c.is_ascii_alphabetic() && c != 'P' && c != 'D' && c != 'F'),
                "{msg}"
            );
        }
    }
}
