//! The one writer of the command line's results on stdout. Every command writes through it, so that a closed
//! pipe or a full disk behind stdout is the same answer everywhere: exit status 2 and a Chinese message on
//! stderr, never a panic (`println!` panics on a write error).

use std::fmt::Display;
use std::io::{self, Write};

/// Collects a command's stdout; [`Stdout::finish`] writes it. The first write error is kept and reported once.
#[derive(Default)]
pub struct Stdout {
    text: String,
}

impl Stdout {
    /// An empty result.
    pub fn new() -> Stdout {
        Stdout::default()
    }

    /// Adds one line.
    pub fn line(&mut self, line: impl Display) {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = writeln!(self.text, "{line}");
    }

    /// Adds text as it is.
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Writes everything to stdout; the Chinese message when that fails.
    pub fn finish(self) -> Result<(), String> {
        write_bytes(self.text.as_bytes())
    }
}

/// Writes bytes to stdout and flushes; the Chinese message when that fails (a closed pipe, a full disk).
pub fn write_bytes(bytes: &[u8]) -> Result<(), String> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("无法输出结果：{}", crate::fsio::io_reason(&e)))
}
