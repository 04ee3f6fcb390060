//! How long importing one report's text takes (the issue asks for well under a millisecond), a saved web
//! page's (parsed into blocks, then imported: at most 5 ms) and a PDF's (its pages' text extracted, then
//! imported).

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::import::{decode, html, import_bytes, import_text, pdf};
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs: Vec<(String, String)> = Vec::new();
    let mut pdfs: Vec<(String, Vec<u8>)> = Vec::new();
    for name in [
        "tab_official_2021.txt",
        "markdown_2021.txt",
        "html_2021.txt",
        "run_together_2021.txt",
    ] {
        if let Ok(bytes) = std::fs::read(root.join("tests/fixtures/import").join(name)) {
            inputs.push((name.to_owned(), decode(&bytes)));
        }
    }
    // The real samples, when the shared folder is there (the shifted grid with doubts is the slowest case).
    if let Ok(dir) = std::fs::read_dir(root.join("../shared/samples")) {
        // The reports only: the folder's README and expected.json are not.
        let report = |p: &Path| {
            p.extension()
                .is_some_and(|e| ["txt", "html", "htm", "pdf"].iter().any(|x| e == *x))
        };
        let mut paths: Vec<_> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| report(p))
            .collect();
        paths.sort();
        for p in paths {
            if let (Some(name), Ok(bytes)) = (p.file_name(), std::fs::read(&p)) {
                let name = name.to_string_lossy().into_owned();
                if pdf::is_pdf(&bytes) {
                    pdfs.push((name, bytes));
                } else {
                    inputs.push((name, decode(&bytes)));
                }
            }
        }
    }
    for (name, text) in &inputs {
        c.bench_function(&format!("import {name}"), |b| b.iter(|| import_text(black_box(text))));
        // A page: the parse into blocks alone (the whole import is the line above).
        if html::looks_like_html(text) {
            c.bench_function(&format!("html blocks {name}"), |b| {
                b.iter(|| html::read_html(black_box(text)));
            });
        }
    }
    for (name, bytes) in &pdfs {
        c.bench_function(&format!("pdf text {name}"), |b| {
            b.iter(|| pdf::pdf_text(black_box(bytes)));
        });
        c.bench_function(&format!("import {name}"), |b| b.iter(|| import_bytes(black_box(bytes))));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
