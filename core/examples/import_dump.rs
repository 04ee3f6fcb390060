//! Prints what the importer reads from generated reports in several layouts (TAB grid, collapsed page, digits
//! run together, one cell per line, TAB grid with a number dropped from every line): the cells and doubts of
//! each, to compare two builds byte for byte. The reports are the same on every run (a fixed seed).
//!
//! `cargo run --release -p nianbao-core --example import_dump -- [N] [truth]` (N reports, 60 unless given;
//! `truth`: print each report's own cells instead, to count the cells read wrong; `ONLY=K` in the environment:
//! import report K alone).

#[path = "../tests/layouts/mod.rs"]
mod layouts;

use layouts::{arb_report, collapsed, dropped_number, one_cell_per_line, run_together};
use nianbao_core::export::text;
use nianbao_core::import::import_text;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    let truth = std::env::args().nth(2).is_some_and(|a| a == "truth");
    let mut runner = TestRunner::deterministic();
    let strategy = arb_report();
    for i in 0..n {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            eprintln!("report {i}: not generated");
            continue;
        };
        let r = tree.current();
        if std::env::var("ONLY").is_ok_and(|o| o != i.to_string()) {
            continue;
        }
        if truth {
            println!("{i}\n{:?}", r.cells);
            continue;
        }
        let layouts = [
            ("tab", text::to_text(&r)),
            ("collapsed", collapsed(&r)),
            ("run_together", run_together(&r)),
            ("cells", one_cell_per_line(&r)),
            ("dropped", dropped_number(&r, i)),
        ];
        for (name, text) in layouts {
            match import_text(&text) {
                Ok(got) => println!("{i} {name}\n{:?}\n{:?}", got.report.cells, got.doubts),
                Err(e) => println!("{i} {name}\nrefused: {e}"),
            }
        }
    }
}
