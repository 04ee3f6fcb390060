//! Imports one text file many times: a steady workload for a profiler (callgrind, cachegrind, perf).
//!
//! `cargo run --release -p nianbao-core --example import_loop -- FILE [TIMES]` (20 times unless given).

use nianbao_core::import::{decode, import_text};
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: import_loop FILE [TIMES]");
        std::process::exit(2);
    };
    let times: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let text = match std::fs::read(&path) {
        Ok(bytes) => decode(&bytes),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    for _ in 0..times {
        let _ = black_box(import_text(black_box(&text)));
    }
}
