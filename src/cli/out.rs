//! The one writer of the command line's results on stdout. Every command writes through it, so that a closed
//! pipe or a full disk behind stdout is the same answer everywhere: exit status 2 and a Chinese message on
//! stderr, never a panic (`println!` panics on a write error).
//!
//! Results are streamed (buffered, not collected): `check --json` over ten thousand reports holds one report's
//! findings at a time. After the first failed write nothing more is written; [`Stdout::finish`] reports it.

use std::fmt::Display;
use std::io::{self, BufWriter, Write};

/// A command's stdout.
pub struct Stdout {
    out: BufWriter<io::StdoutLock<'static>>,
    error: Option<io::Error>,
}

impl Default for Stdout {
    fn default() -> Stdout {
        Stdout::new()
    }
}

impl Stdout {
    /// Takes stdout for this command.
    pub fn new() -> Stdout {
        Stdout {
            out: BufWriter::new(io::stdout().lock()),
            error: None,
        }
    }

    /// Writes one line.
    pub fn line(&mut self, line: impl Display) {
        if self.error.is_none()
            && let Err(e) = writeln!(self.out, "{line}")
        {
            self.error = Some(e);
        }
    }

    /// Writes text as it is.
    pub fn push(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    /// Writes bytes as they are.
    pub fn bytes(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(bytes)
        {
            self.error = Some(e);
        }
    }

    /// Flushes; the Chinese message when any write failed.
    pub fn finish(mut self) -> Result<(), String> {
        let result = match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        };
        result.map_err(|e| format!("无法输出结果：{}", crate::fsio::io_reason(&e)))
    }
}

/// Writes bytes to stdout and flushes; the Chinese message when that fails (a closed pipe, a full disk).
pub fn write_bytes(bytes: &[u8]) -> Result<(), String> {
    let mut out = Stdout::new();
    out.bytes(bytes);
    out.finish()
}
