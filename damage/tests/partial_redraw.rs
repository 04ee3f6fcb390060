//! A partial repaint must leave the buffer exactly as a full repaint would.
//!
//! A tiny rasteriser stands in for the GPU: opaque, pixel-aligned rectangles painted in order within their clip
//! rectangles. Frames are painted into a ring of back buffers (the buffer drawn into holds the frame shown
//! `buffers` frames ago, as with double and triple buffering); each frame repaints only what the tracker says,
//! and the result is compared, pixel for pixel, with the frame painted from nothing.

use egui::epaint::{ClippedShape, CornerRadius, RectShape, Shape};
use egui::{Color32, Rect, pos2};
use nianbao_damage::{Frame, Repaint, Tracker, pixel_rect};
use proptest::prelude::*;

const W: u32 = 48;
const H: u32 = 32;
const CLEAR: u32 = 0;

/// A rectangle shape: `[x0, y0, x1, y1]`, colour index, clip `[x0, y0, x1, y1]`.
type Spec = ([u8; 4], u8, [u8; 4]);

fn rect(r: [u8; 4]) -> Rect {
    Rect::from_min_max(
        pos2(f32::from(r[0]), f32::from(r[1])),
        pos2(f32::from(r[2]), f32::from(r[3])),
    )
}

fn shape((r, color, clip): Spec) -> ClippedShape {
    ClippedShape::new(
        rect(clip),
        Shape::Rect(RectShape::filled(
            rect(r),
            CornerRadius::ZERO,
            Color32::from_gray(color),
        )),
    )
}

fn canvas(textures_changed: bool) -> Frame {
    Frame {
        size_px: [W, H],
        pixels_per_point: 1.0,
        clear_color: [0.0, 0.0, 0.0, 1.0],
        textures_changed,
    }
}

/// Paints `shapes` into `buf`, only within `area` (pixel rectangle `[x, y, w, h]`), after clearing it.
fn paint(buf: &mut [u32], shapes: &[ClippedShape], [ax, ay, aw, ah]: [u32; 4]) {
    for y in ay..ay + ah {
        for x in ax..ax + aw {
            let centre = pos2(x as f32 + 0.5, y as f32 + 0.5);
            let mut colour = CLEAR;
            for s in shapes {
                let Shape::Rect(r) = &s.shape else { continue };
                if r.rect.contains(centre) && s.clip_rect.contains(centre) {
                    colour = u32::from(r.fill.r()) + 1;
                }
            }
            buf[(y * W + x) as usize] = colour;
        }
    }
}

fn full(shapes: &[ClippedShape]) -> Vec<u32> {
    let mut buf = vec![CLEAR; (W * H) as usize];
    paint(&mut buf, shapes, [0, 0, W, H]);
    buf
}

fn spec() -> impl Strategy<Value = Spec> {
    let r =
        (0u8..48, 0u8..32, 1u8..20, 1u8..16).prop_map(|(x, y, w, h)| [x, y, x.saturating_add(w), y.saturating_add(h)]);
    let clip = prop_oneof![3 => Just([0, 0, 48, 32]), 1 => (0u8..40, 0u8..28).prop_map(|(x, y)| [x, y, x + 8, y + 4])];
    (r, 0u8..6, clip)
}

/// An edit from one frame to the next.
#[derive(Clone, Debug)]
enum Edit {
    Recolour(usize, u8),
    Move(usize, i8, i8),
    Insert(usize, Spec),
    Remove(usize),
    Swap(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0u8..6).prop_map(|(i, c)| Edit::Recolour(i, c)),
        (any::<usize>(), -4i8..5, -4i8..5).prop_map(|(i, dx, dy)| Edit::Move(i, dx, dy)),
        (any::<usize>(), spec()).prop_map(|(i, s)| Edit::Insert(i, s)),
        any::<usize>().prop_map(Edit::Remove),
        any::<usize>().prop_map(Edit::Swap),
    ]
}

fn apply(specs: &mut Vec<Spec>, e: &Edit) {
    let n = specs.len();
    match *e {
        Edit::Recolour(i, c) if n > 0 => specs[i % n].1 = c,
        Edit::Move(i, dx, dy) if n > 0 => {
            let r = &mut specs[i % n].0;
            let shift = |v: u8, d: i8| v.saturating_add_signed(d);
            *r = [shift(r[0], dx), shift(r[1], dy), shift(r[2], dx), shift(r[3], dy)];
        }
        Edit::Insert(i, s) => specs.insert(i % (n + 1), s),
        Edit::Remove(i) if n > 0 => {
            specs.remove(i % n);
        }
        Edit::Swap(i) if n > 1 => specs.swap(i % (n - 1), i % (n - 1) + 1),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn partial_repaints_equal_full_ones(
        first in prop::collection::vec(spec(), 0..12),
        steps in prop::collection::vec(prop::collection::vec(edit(), 0..4), 1..8),
        buffers in 1usize..4,
    ) {
        let mut tracker = Tracker::new();
        let mut ring: Vec<Option<Vec<u32>>> = vec![None; buffers];
        let mut specs = first;
        for (t, edits) in std::iter::once(Vec::new()).chain(steps).enumerate() {
            for e in &edits {
                apply(&mut specs, e);
            }
            let shapes: Vec<ClippedShape> = specs.iter().copied().map(shape).collect();
            let slot = &mut ring[t % buffers];
            let age = if slot.is_some() { buffers as u32 } else { 0 };
            let mut buf = slot.take().unwrap_or_else(|| vec![0xdead; (W * H) as usize]);
            match tracker.frame(&shapes, canvas(false), age) {
                Repaint::Full => buf = full(&shapes),
                Repaint::Rects(rects) => {
                    for r in rects {
                        paint(&mut buf, &tracker.shapes_within(r), pixel_rect(r, 1.0, [W, H]));
                    }
                }
            }
            prop_assert_eq!(&buf, &full(&shapes), "frame {} with {} buffers", t, buffers);
            ring[t % buffers] = Some(buf);
        }
    }
}

fn frame_of(specs: &[Spec]) -> Vec<ClippedShape> {
    specs.iter().copied().map(shape).collect()
}

const WHOLE: [u8; 4] = [0, 0, 48, 32];

#[test]
fn the_first_frame_and_an_unknown_buffer_repaint_everything() {
    let shapes = frame_of(&[([1, 1, 5, 5], 1, WHOLE)]);
    let mut t = Tracker::new();
    assert_eq!(t.frame(&shapes, canvas(false), 1), Repaint::Full);
    assert_eq!(t.frame(&shapes, canvas(false), 0), Repaint::Full);
    assert_eq!(t.frame(&shapes, canvas(false), 1), Repaint::Rects(vec![]));
}

#[test]
fn a_changed_shape_repaints_its_own_area_only() {
    let mut specs = vec![
        ([1, 1, 5, 5], 1, WHOLE),
        ([20, 10, 30, 14], 2, WHOLE),
        ([40, 20, 44, 30], 3, WHOLE),
    ];
    let mut t = Tracker::new();
    t.frame(&frame_of(&specs), canvas(false), 0);
    specs[1].1 = 4;
    let Repaint::Rects(rects) = t.frame(&frame_of(&specs), canvas(false), 1) else {
        panic!("a recoloured shape repaints the whole window");
    };
    assert_eq!(rects, vec![Rect::from_min_max(pos2(17.0, 7.0), pos2(33.0, 17.0))]);
    // Only the shapes reaching that area are drawn again.
    assert_eq!(t.shapes_within(rects[0]).len(), 1);
}

#[test]
fn older_buffers_repaint_the_damage_of_every_frame_since() {
    let mut specs = vec![([1, 1, 5, 5], 1, WHOLE), ([30, 20, 34, 24], 2, WHOLE)];
    let mut t = Tracker::new();
    t.frame(&frame_of(&specs), canvas(false), 0);
    specs[0].1 = 5;
    t.frame(&frame_of(&specs), canvas(false), 0);
    specs[1].1 = 5;
    let Repaint::Rects(one) = t.frame(&frame_of(&specs), canvas(false), 1) else {
        panic!("full")
    };
    assert_eq!(one.len(), 1);
    let Repaint::Rects(two) = t.frame(&frame_of(&specs), canvas(false), 3) else {
        panic!("full")
    };
    assert_eq!(two.len(), 2, "{two:?}");
    assert_eq!(
        t.frame(&frame_of(&specs), canvas(false), 9),
        Repaint::Full,
        "older than the history kept"
    );
}

#[test]
fn a_new_canvas_or_texture_repaints_everything() {
    let shapes = frame_of(&[([1, 1, 5, 5], 1, WHOLE)]);
    let mut t = Tracker::new();
    t.frame(&shapes, canvas(false), 0);
    assert_eq!(t.frame(&shapes, canvas(true), 1), Repaint::Full);
    let mut resized = canvas(false);
    resized.size_px = [W + 1, H];
    assert_eq!(t.frame(&shapes, resized, 1), Repaint::Full);
    let mut scaled = resized;
    scaled.pixels_per_point = 1.25;
    assert_eq!(t.frame(&shapes, scaled, 1), Repaint::Full);
    assert_eq!(t.frame(&shapes, scaled, 1), Repaint::Rects(vec![]));
}

#[test]
fn swapped_overlapping_shapes_repaint_where_they_overlap() {
    let mut specs = vec![([0, 0, 10, 10], 1, WHOLE), ([5, 5, 15, 15], 2, WHOLE)];
    let mut t = Tracker::new();
    t.frame(&frame_of(&specs), canvas(false), 0);
    specs.swap(0, 1);
    let Repaint::Rects(rects) = t.frame(&frame_of(&specs), canvas(false), 1) else {
        panic!("full")
    };
    let overlap = pos2(7.5, 7.5);
    assert!(rects.iter().any(|r| r.contains(overlap)), "{rects:?}");
}

/// Texts laid out by egui itself: a text is a paragraph of `a`, `b`, spaces and newlines wrapped at a fixed
/// width, so that an edit re-lays some rows and moves others.
mod texts {
    use super::*;
    use egui::epaint::TextShape;
    use egui::{FontId, Pos2};
    use std::hash::{Hash, Hasher};
    use std::sync::Arc;

    /// A context whose fonts are loaded (the first pass loads them).
    fn context() -> egui::Context {
        let ctx = egui::Context::default();
        ctx.run_ui(egui::RawInput::default(), |_| {}).textures_delta.clear();
        ctx
    }

    fn galley(ctx: &egui::Context, text: &str) -> Arc<egui::Galley> {
        ctx.fonts_mut(|f| f.layout(text.to_owned(), FontId::monospace(6.0), Color32::WHITE, 40.0))
    }

    /// The colour a row's pixels get: anything about the row changes it, as it changes real glyph pixels.
    fn row_colour(row: &egui::epaint::text::PlacedRow) -> u32 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for g in &row.row.glyphs {
            g.chr.hash(&mut h);
            g.pos.x.to_bits().hash(&mut h);
        }
        row.pos.x.to_bits().hash(&mut h);
        (h.finish() % 1000) as u32 + 100
    }

    /// Paints rectangles as above and every row of a text as its painted area filled with the row's colour.
    fn paint(buf: &mut [u32], shapes: &[ClippedShape], [ax, ay, aw, ah]: [u32; 4]) {
        for y in ay..ay + ah {
            for x in ax..ax + aw {
                let centre = pos2(x as f32 + 0.5, y as f32 + 0.5);
                let mut colour = CLEAR;
                for s in shapes.iter().filter(|s| s.clip_rect.contains(centre)) {
                    match &s.shape {
                        Shape::Rect(r) if r.rect.contains(centre) => colour = u32::from(r.fill.r()) + 1,
                        Shape::Text(t) => {
                            for row in &t.galley.rows {
                                let at = row
                                    .row
                                    .visuals
                                    .mesh_bounds
                                    .translate(row.pos.to_vec2() + t.pos.to_vec2());
                                if at.contains(centre) {
                                    colour = row_colour(row) + u32::from(t.fallback_color.r());
                                }
                            }
                        }
                        _ => {}
                    }
                }
                buf[(y * W + x) as usize] = colour;
            }
        }
    }

    fn full(shapes: &[ClippedShape]) -> Vec<u32> {
        let mut buf = vec![CLEAR; (W * H) as usize];
        paint(&mut buf, shapes, [0, 0, W, H]);
        buf
    }

    #[derive(Clone, Debug)]
    enum Change {
        Type(usize, char),
        Delete(usize),
        Move(u8, u8),
        Cover(Spec),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            4 => (any::<usize>(), prop_oneof![Just('a'), Just('b'), Just(' '), Just('\n')]).prop_map(|(i, c)| Change::Type(i, c)),
            2 => any::<usize>().prop_map(Change::Delete),
            1 => (0u8..10, 0u8..10).prop_map(|(x, y)| Change::Move(x, y)),
            1 => spec().prop_map(Change::Cover),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn editing_a_text_repaints_exactly_what_a_full_repaint_changes(
            first in "[ab \n]{0,40}",
            changes in prop::collection::vec(change(), 1..10),
        ) {
            let ctx = context();
            let mut text: Vec<char> = first.chars().collect();
            let mut at = Pos2::new(2.0, 1.0);
            let mut cover: Option<Spec> = None;
            let mut tracker = Tracker::new();
            let mut buf = vec![0xdead; (W * H) as usize];
            for (t, change) in std::iter::once(None).chain(changes.into_iter().map(Some)).enumerate() {
                match change {
                    Some(Change::Type(i, c)) => text.insert(i % (text.len() + 1), c),
                    Some(Change::Delete(i)) if !text.is_empty() => {
                        text.remove(i % text.len());
                    }
                    Some(Change::Move(x, y)) => at = Pos2::new(f32::from(x), f32::from(y)),
                    Some(Change::Cover(s)) => cover = Some(s),
                    _ => {}
                }
                let s: String = text.iter().collect();
                let mut shapes = vec![shape(([0, 0, 4, 4], 1, WHOLE))];
                shapes.push(ClippedShape::new(
                    rect(WHOLE),
                    Shape::Text(TextShape::new(at, galley(&ctx, &s), Color32::from_gray(3))),
                ));
                shapes.extend(cover.map(shape));
                match tracker.frame(&shapes, canvas(false), u32::from(t > 0)) {
                    Repaint::Full => buf = full(&shapes),
                    Repaint::Rects(rects) => {
                        for r in rects {
                            paint(&mut buf, &tracker.shapes_within(r), pixel_rect(r, 1.0, [W, H]));
                        }
                    }
                }
                prop_assert_eq!(&buf, &full(&shapes), "frame {} text {:?}", t, s);
            }
        }
    }

    #[test]
    fn typing_at_the_end_of_a_text_repaints_its_last_row_only() {
        let ctx = context();
        let text = |s: &str| {
            vec![ClippedShape::new(
                rect(WHOLE),
                TextShape::new(pos2(0.0, 0.0), galley(&ctx, s), Color32::WHITE),
            )]
        };
        let mut t = Tracker::new();
        t.frame(&text("aaaa\nbbbb\ncc"), canvas(false), 0);
        let Repaint::Rects(rects) = t.frame(&text("aaaa\nbbbb\nccc"), canvas(false), 1) else {
            panic!("full")
        };
        assert_eq!(rects.len(), 1, "{rects:?}");
        let row_height = ctx.fonts_mut(|f| f.row_height(&FontId::monospace(6.0)));
        assert!(
            rects[0].min.y >= 2.0 * row_height - 4.0,
            "only the third row: {rects:?}"
        );
    }
}

/// Two texts at one place in one gap between matched shapes, both gone: each one's pixels are repainted.
#[test]
fn two_texts_at_one_place_that_change_are_both_repainted() {
    use egui::FontId;
    use egui::epaint::TextShape;
    let ctx = egui::Context::default();
    ctx.run_ui(egui::RawInput::default(), |_| {}).textures_delta.clear();
    let text = |s: &str| {
        let galley = ctx.fonts_mut(|f| f.layout(s.to_owned(), FontId::monospace(6.0), Color32::WHITE, 40.0));
        ClippedShape::new(rect(WHOLE), TextShape::new(pos2(1.0, 1.0), galley, Color32::WHITE))
    };
    let mut t = Tracker::new();
    t.frame(&[text("a\nb\nc\nd"), text("a")], canvas(false), 0);
    let Repaint::Rects(rects) = t.frame(&[text("b")], canvas(false), 1) else {
        panic!("full")
    };
    // The first text's last row, far below anything the second or the new text paints, must be repainted.
    let row_height = ctx.fonts_mut(|f| f.row_height(&FontId::monospace(6.0)));
    let last_row = pos2(2.0, 1.0 + 3.5 * row_height);
    assert!(rects.iter().any(|r| r.contains(last_row)), "{rects:?}");
}
