//! One UI frame of the full 2021 form, headless (issue 6): the real [`NianbaoApp::show`] on an `egui::Context`
//! of a 1280×860 screen with the embedded CJK font installed, then tessellation (the CPU side of painting;
//! only the OpenGL upload is left out). Every table is laid out on every frame: the form's scroll area lays out
//! all its content, not only the visible rows.
//!
//! - `steady`: frames where nothing changed (after the first, which loads the font and builds the atlas).
//! - `after_one_cell_edit`: a frame that applies a cell edit (totals + checks) and the frame that then shows it.
//! - `steady_export_window_open`: unchanged frames with the export window and its preview showing.
//! - `first_frame`: a new context and app, font installation and glyph atlas included.
//!
//! Run with `cargo bench --bench frame`; figures in `BENCHMARKS.md`.

// Benchmark code, like test code, may unwrap: a failure here is a broken fixture, reported at once.
#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use nianbao::app::{Command, NianbaoApp};
use nianbao::report::Value;
use nianbao::template::{Edition, ValueKind};
use std::hint::black_box;
use std::time::Duration;

/// The window size the app opens with.
const SCREEN: egui::Vec2 = egui::vec2(1280.0, 860.0);

/// A headless window: context, app and the clock of the frames.
struct Window {
    ctx: egui::Context,
    app: NianbaoApp,
    time: f64,
}

impl Window {
    fn new() -> Window {
        let ctx = egui::Context::default();
        nianbao::ui::fonts::install_fonts(&ctx);
        Window {
            ctx,
            app: NianbaoApp::new(common::full_report(Edition::E2021)),
            time: 0.0,
        }
    }

    /// One frame: input, the app's UI, tessellation. Returns the repaint delay the frame asked for.
    fn frame(&mut self) -> Duration {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            focused: true,
            ..Default::default()
        };
        let app = &mut self.app;
        let out = self.ctx.run_ui(input, |ui| app.show(ui));
        let repaint = out
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(Duration::MAX, |v| v.repaint_delay);
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        black_box(prims);
        repaint
    }
}

fn frames(c: &mut Criterion) {
    let mut w = Window::new();
    // Warm up: the first frames load the font, fill the glyph atlas and settle the layout; two seconds of
    // frames (at 60 per second) let the scroll bars' fade-in animations finish.
    for _ in 0..120 {
        w.frame();
    }
    // Not a timing: whether an unchanged frame asks for another one (a repaint loop would burn CPU when idle).
    let delay = w.frame();
    let causes: Vec<String> = w.ctx.repaint_causes().iter().map(ToString::to_string).collect();
    eprintln!(
        "frame bench: repaint requested after an unchanged frame: {} {causes:?}",
        if delay == Duration::MAX {
            "none (idle)".to_owned()
        } else {
            format!("after {delay:?}")
        }
    );

    let mut g = c.benchmark_group("frame_2021_full");
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("steady", |b| b.iter(|| black_box(w.frame())));

    let cell = Edition::E2021
        .template()
        .cells
        .iter()
        .position(|c| !c.computed && c.kind == ValueKind::Count && c.id.starts_with("s3."))
        .unwrap();
    let mut n = 0;
    g.bench_function("after_one_cell_edit", |b| {
        b.iter(|| {
            n = (n + 1) % 97;
            w.app
                .push(Command::Edit(nianbao::document::Edit::SetCell(cell, Value::Int(n))));
            // The frame that applies the edit (totals, checks at its end) and the one that shows the result.
            w.frame();
            black_box(w.frame())
        });
    });
    // The export window open on top (its preview is cached: nothing is re-exported while nothing changes).
    w.app.push(Command::File(nianbao::ui::files::FileOp::Export));
    for _ in 0..120 {
        w.frame();
    }
    g.bench_function("steady_export_window_open", |b| b.iter(|| black_box(w.frame())));
    g.finish();

    let mut g = c.benchmark_group("frame_2021_full_cold");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("first_frame", |b| {
        b.iter_batched(Window::new, |mut w| black_box(w.frame()), BatchSize::PerIteration);
    });
    g.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
