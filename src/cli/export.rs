//! `nianbao export FILE [--format text|json|html|docx] [--encoding utf-8|gb18030] [--crlf] [-o OUT]`.
//!
//! Writes to stdout when `-o` is absent or `-` (a Word document, being binary, only with an explicit `-o -`); a
//! file is written atomically. Never writes anywhere but `-o`,
//! so the input is only replaced when `-o` names it. Exit status 0, or 2 when the input cannot be read or the
//! output cannot be written.

use super::{EncodingArg, ExportArgs, Format, fail, write_output};
use crate::export::{
    self,
    text::{Encoding, LineEnd},
};
use crate::open;
use std::process::ExitCode;

/// Runs the subcommand.
pub fn run(args: &ExportArgs) -> ExitCode {
    if args.format != Format::Text && args.encoding != EncodingArg::Utf8 {
        return fail("JSON、HTML 和 Word 文档只能使用 UTF-8 编码；--encoding gb18030 仅用于纯文本（--format text）");
    }
    if args.format == Format::Docx && args.output.is_none() {
        return fail(
            "Word 文档不是文本，不能显示在屏幕上：请用 -o 指定输出文件（例如 -o 报告.docx），或用 -o - 输出到管道",
        );
    }
    let opened = match open::open_report(&args.file) {
        Ok(o) => o,
        Err(e) => return fail(&e.to_string()),
    };
    let opts = export::Options {
        format: match args.format {
            Format::Text => export::Format::Text,
            Format::Json => export::Format::Json,
            Format::Html => export::Format::Html,
            Format::Docx => export::Format::Docx,
        },
        encoding: match args.encoding {
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Gb18030 => Encoding::Gb18030,
        },
        line_end: if args.crlf { LineEnd::CrLf } else { LineEnd::Lf },
    };
    let bytes = export::render(&opened.report, opts);
    match write_output(args.output.as_deref(), &bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => fail(&msg),
    }
}
