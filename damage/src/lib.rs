//! Which parts of an egui frame can differ from the frames still in the back buffer.
//!
//! egui repaints the whole window on every frame. Under software OpenGL (Mesa's llvmpipe, the clerks' PCs
//! without a GPU) every painted pixel is shaded on the CPU, so a keystroke that changes one text field costs as
//! much as painting the window from nothing. [`Tracker`] compares each frame's shapes with the previous frame's
//! and, with the back buffer's age (GLX/EGL "buffer age": how many frames ago the buffer about to be drawn into
//! was last shown), says which rectangles must be repainted; the painter clears and repaints only those, with
//! [`Tracker::shapes_within`], and leaves the rest of the buffer as it is.
//!
//! Why this is exact: a pixel's colour is the blend, in order, of the shapes whose painted area covers it.
//! The shapes of the two frames are matched one to one without changing their order (equal shapes in the same
//! clip rectangle). A pixel that no unmatched shape of either frame can reach is covered by the same shapes, in
//! the same order, in both frames, so its colour is the same. Everything else that colours pixels (window size,
//! scale, clear colour, textures, paint callbacks) makes the whole window repaint when it changes.

use egui::Rect;
use egui::epaint::textures::TexturesDelta;
use egui::epaint::{ClippedShape, Shape, TextureId};
use std::collections::{HashMap, VecDeque};

/// Physical pixels added around every shape's bounds: the tessellator feathers edges by one pixel, and clip
/// rectangles and filled rectangles are rounded to whole pixels.
const MARGIN_PX: f32 = 3.0;
/// Frames whose damage is kept; a back buffer older than this is repainted whole (double and triple buffering
/// give ages of 2 and 3).
const HISTORY: usize = 4;
/// More separate rectangles than this are repainted as their bounding box: each one costs a pass over the
/// frame's shapes.
const MAX_RECTS: usize = 6;
/// More changed shapes than this (a scroll, a new page) are not merged pairwise: their bounding box is repainted.
const MAX_AREAS: usize = 64;

/// What a frame must repaint.
#[derive(Clone, Debug, PartialEq)]
pub enum Repaint {
    /// The whole window.
    Full,
    /// Only these rectangles, in points, snapped outwards to whole pixels; none when nothing changed.
    Rects(Vec<Rect>),
}

/// What a frame's pixels depend on besides its shapes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// The window's size in physical pixels.
    pub size_px: [u32; 2],
    /// Physical pixels per point.
    pub pixels_per_point: f32,
    /// The colour the window is cleared to.
    pub clear_color: [f32; 4],
    /// Whether a texture changed for this frame in a way that can change the pixels of shapes that did not
    /// change ([`changes_drawn_textures`]).
    pub textures_changed: bool,
}

impl Frame {
    /// Whether a frame painted after `self` would colour unchanged shapes the same.
    // Exact on purpose: any change of scale or colour, however small, repaints everything.
    #[expect(clippy::float_cmp)]
    fn same_canvas(&self, other: &Frame) -> bool {
        self.size_px == other.size_px
            && self.pixels_per_point == other.pixels_per_point
            && self.clear_color == other.clear_color
    }
}

/// A shape of the last frame, with what the comparison needs.
#[derive(Debug)]
struct Entry {
    /// Equal shapes have equal keys: a quick look-up before the full comparison.
    key: Key,
    /// Where the shape can colour pixels: its bounds and the margin, within its clip rectangle.
    area: Rect,
    shape: ClippedShape,
}

/// The shape's kind, area and clip rectangle, bit for bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key([u32; 9]);

impl Entry {
    fn new(shape: &ClippedShape, margin: f32) -> Self {
        let bounds = bounds(&shape.shape);
        let area = if bounds.is_finite() && bounds.min.x <= bounds.max.x && bounds.min.y <= bounds.max.y {
            // The clip rectangle is in the space the transform maps to.
            let moved = shape.transform_after_tessellation.mul_rect(bounds);
            moved.expand(margin).intersect(shape.clip_rect.expand(margin))
        } else {
            Rect::NOTHING
        };
        let [a, c] = [rect_bits(area), rect_bits(shape.clip_rect)];
        let key = Key([kind(&shape.shape), a[0], a[1], a[2], a[3], c[0], c[1], c[2], c[3]]);
        Self {
            key,
            area,
            shape: shape.clone(),
        }
    }

    /// Whether the shape colours any pixel.
    fn paints(&self) -> bool {
        self.area.is_positive()
    }
}

/// Where a shape can colour pixels, before the margin. Text adds its layout rectangle to its glyphs' bounds
/// (underlines and selections are drawn from the rows, not the glyphs).
fn bounds(shape: &Shape) -> Rect {
    match shape {
        Shape::Vec(shapes) => shapes.iter().fold(Rect::NOTHING, |r, s| r.union(bounds(s))),
        Shape::Text(text) => {
            let local = text.galley.rect.union(text.galley.mesh_bounds);
            local
                .rotate_bb(egui::emath::Rot2::from_angle(text.angle))
                .translate(text.pos.to_vec2())
                .expand(text.underline.width)
        }
        other => other.visual_bounding_rect(),
    }
}

/// A rectangle's corners, bit for bit.
fn rect_bits(r: Rect) -> [u32; 4] {
    [
        r.min.x.to_bits(),
        r.min.y.to_bits(),
        r.max.x.to_bits(),
        r.max.y.to_bits(),
    ]
}

/// A number per kind of shape, for the key.
fn kind(shape: &Shape) -> u32 {
    match shape {
        Shape::Noop => 0,
        Shape::Vec(_) => 1,
        Shape::Circle(_) => 2,
        Shape::Ellipse(_) => 3,
        Shape::LineSegment { .. } => 4,
        Shape::Path(_) => 5,
        Shape::Rect(_) => 6,
        Shape::Text(_) => 7,
        Shape::Mesh(_) => 8,
        Shape::QuadraticBezier(_) => 9,
        Shape::CubicBezier(_) => 10,
        Shape::Callback(_) => 11,
        Shape::Band(_) => 12,
    }
}

/// Whether a shape paints through code of its own, whose pixels cannot be compared.
fn has_callback(shape: &Shape) -> bool {
    match shape {
        Shape::Callback(_) => true,
        Shape::Vec(shapes) => shapes.iter().any(has_callback),
        _ => false,
    }
}

/// Whether applying `delta` can change the pixels of shapes that did not change: anything but glyphs added to
/// egui's font atlas. New glyphs go into unused space of the atlas, and the glyphs already drawn keep their
/// texels (a rebuilt atlas comes as a whole new image, which counts).
pub fn changes_drawn_textures(delta: &TexturesDelta) -> bool {
    !delta.free.is_empty()
        || delta
            .set
            .iter()
            .any(|(id, deltas)| *id != TextureId::default() || deltas.iter().any(|d| d.pos.is_none()))
}

/// Whether any of the shapes paints through code of its own (a paint callback): such code may draw anywhere and
/// into any framebuffer, so its frames are painted whole, straight into the window.
pub fn paints_through_callbacks(shapes: &[ClippedShape]) -> bool {
    shapes.iter().any(|s| has_callback(&s.shape))
}

/// Remembers the last frames' shapes and damage; one per window.
#[derive(Debug, Default)]
pub struct Tracker {
    /// The shapes of the frame last given to [`Tracker::frame`].
    previous: Vec<Entry>,
    /// That frame's canvas.
    canvas: Option<Frame>,
    /// The damage of the last frames, newest first.
    history: VecDeque<Repaint>,
}

impl Tracker {
    /// A tracker that has seen no frame: the first frame repaints everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the shapes of the frame about to be painted and returns what to repaint on a back buffer that holds
    /// the frame shown `buffer_age` frames ago (0: its content is unknown).
    pub fn frame(&mut self, shapes: &[ClippedShape], frame: Frame, buffer_age: u32) -> Repaint {
        let margin = MARGIN_PX / frame.pixels_per_point.max(f32::MIN_POSITIVE);
        let entries: Vec<Entry> = shapes.iter().map(|s| Entry::new(s, margin)).collect();
        let same_canvas = self.canvas.is_some_and(|c| c.same_canvas(&frame));
        let damage = if !same_canvas || frame.textures_changed || paints_through_callbacks(shapes) {
            Repaint::Full
        } else {
            Repaint::Rects(changed_areas(&self.previous, &entries, margin))
        };
        self.previous = entries;
        self.canvas = Some(frame);
        self.history.push_front(damage);
        self.history.truncate(HISTORY);
        self.repaint_for_age(buffer_age, frame.pixels_per_point)
    }

    /// The union of the damage of the last `age` frames, merged into a few rectangles.
    fn repaint_for_age(&self, age: u32, pixels_per_point: f32) -> Repaint {
        let age = age as usize;
        if age == 0 || age > self.history.len() {
            return Repaint::Full;
        }
        let mut areas = Vec::new();
        for damage in self.history.iter().take(age) {
            match damage {
                Repaint::Full => return Repaint::Full,
                Repaint::Rects(rects) => areas.extend_from_slice(rects),
            }
        }
        Repaint::Rects(merge(areas, pixels_per_point))
    }

    /// The shapes of the last frame that can colour pixels inside `rect`, in their order, each clipped to `rect`:
    /// what a repaint of `rect` draws after clearing it.
    pub fn shapes_within(&self, rect: Rect) -> Vec<ClippedShape> {
        self.previous
            .iter()
            .filter(|e| e.paints() && e.area.intersects(rect))
            .map(|e| {
                let mut shape = e.shape.clone();
                shape.clip_rect = shape.clip_rect.intersect(rect);
                shape
            })
            .collect()
    }
}

/// The areas of the shapes of either frame left unmatched when the two frames' shapes are matched in order.
///
/// A text that changed in place (same position, style and clip, between the same matched shapes) adds only
/// the rows that differ: typing into a long text re-lays one paragraph, not the whole field.
fn changed_areas(old: &[Entry], new: &[Entry], margin: f32) -> Vec<Rect> {
    let mut positions: HashMap<Key, VecDeque<usize>> = HashMap::with_capacity(old.len());
    for (i, e) in old.iter().enumerate() {
        positions.entry(e.key).or_default().push_back(i);
    }
    let mut matched = vec![false; old.len()];
    let mut next_old = 0;
    let mut match_count = 0;
    // Unmatched shapes of the new frame, with the number of matches before them (their gap between matches).
    let mut added = Vec::new();
    for (j, e) in new.iter().enumerate() {
        let found = positions.get_mut(&e.key).and_then(|candidates| {
            // Matches only move forward in the old frame: that keeps the order, which is what makes it exact.
            while candidates.front().is_some_and(|&k| k < next_old) {
                candidates.pop_front();
            }
            let at = candidates.iter().position(|&k| old[k].shape == e.shape)?;
            candidates.remove(at)
        });
        if let Some(k) = found {
            matched[k] = true;
            next_old = k + 1;
            match_count += 1;
        } else if e.paints() {
            added.push((j, match_count));
        }
    }
    // Unmatched texts of the old frame, by their gap and place: a new text in the same gap and place is the same
    // text edited.
    let mut removed_texts: HashMap<(usize, TextPlace), usize> = HashMap::new();
    let mut removed = Vec::new();
    let mut gap = 0;
    for (k, e) in old.iter().enumerate() {
        if matched[k] {
            gap += 1;
        } else if e.paints() {
            match TextPlace::of(&e.shape) {
                // Two texts at one place in one gap: the earlier one is paired with nothing, so all of it is
                // repainted.
                Some(place) => {
                    if let Some(earlier) = removed_texts.insert((gap, place), k) {
                        removed.push(old[earlier].area);
                    }
                }
                None => removed.push(e.area),
            }
        }
    }
    let mut areas = removed;
    for (j, gap) in added {
        let e = &new[j];
        let edited = TextPlace::of(&e.shape).and_then(|place| removed_texts.remove(&(gap, place)));
        match edited {
            Some(k) => changed_rows(&old[k], e, margin, &mut areas),
            None => areas.push(e.area),
        }
    }
    areas.extend(removed_texts.into_values().map(|k| old[k].area));
    areas
}

/// Where and how a text shape is painted, all but its galley, bit for bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct TextPlace([u32; 15]);

impl TextPlace {
    /// The place of an unrotated text; `None` for any other shape.
    fn of(shape: &ClippedShape) -> Option<Self> {
        let Shape::Text(text) = &shape.shape else { return None };
        if text.angle != 0.0 {
            return None;
        }
        let c = rect_bits(shape.clip_rect);
        let t = shape.transform_after_tessellation;
        let colour = |c: egui::Color32| u32::from_le_bytes(c.to_array());
        Some(Self([
            text.pos.x.to_bits(),
            text.pos.y.to_bits(),
            c[0],
            c[1],
            c[2],
            c[3],
            t.translation.x.to_bits(),
            t.translation.y.to_bits(),
            t.scaling.to_bits(),
            text.underline.width.to_bits(),
            colour(text.underline.color),
            colour(text.fallback_color),
            text.override_text_color.map_or(0, colour),
            u32::from(text.override_text_color.is_some()),
            text.opacity_factor.to_bits(),
        ]))
    }
}

/// Adds the areas of the rows in which two texts of the same place differ (rows are compared by index: a row
/// inserted moves every row after it, and all of those differ).
fn changed_rows(old: &Entry, new: &Entry, margin: f32, areas: &mut Vec<Rect>) {
    let (Shape::Text(a), Shape::Text(b)) = (&old.shape.shape, &new.shape.shape) else {
        areas.extend([old.area, new.area]);
        return;
    };
    let clip = old.shape.clip_rect.expand(margin);
    let t = old.shape.transform_after_tessellation;
    let row_area = |text: &egui::epaint::TextShape, row: &egui::epaint::text::PlacedRow| {
        let local = row
            .rect()
            .union(row.row.visuals.mesh_bounds.translate(row.pos.to_vec2()));
        let rect = t.mul_rect(local.translate(text.pos.to_vec2()).expand(text.underline.width));
        rect.expand(margin).intersect(clip)
    };
    for i in 0..a.galley.rows.len().max(b.galley.rows.len()) {
        let (ra, rb) = (a.galley.rows.get(i), b.galley.rows.get(i));
        if ra == rb {
            continue;
        }
        areas.extend(ra.map(|r| row_area(a, r)));
        areas.extend(rb.map(|r| row_area(b, r)));
    }
}

/// Snaps areas outwards to whole pixels and merges the ones that touch, down to at most [`MAX_RECTS`].
fn merge(areas: Vec<Rect>, pixels_per_point: f32) -> Vec<Rect> {
    let snap = |r: Rect| {
        let p = pixels_per_point.max(f32::MIN_POSITIVE);
        Rect::from_min_max(
            (r.min.to_vec2() * p).floor().to_pos2() / p,
            (r.max.to_vec2() * p).ceil().to_pos2() / p,
        )
    };
    let areas: Vec<Rect> = areas.into_iter().filter(Rect::is_positive).map(snap).collect();
    if areas.len() > MAX_AREAS {
        return vec![bounding_box(&areas)];
    }
    let mut rects: Vec<Rect> = Vec::with_capacity(areas.len());
    for area in areas {
        let mut merged = area;
        // Absorb every rectangle the growing one touches, until none does.
        loop {
            let before = rects.len();
            rects.retain(|r| {
                if touches(*r, merged) {
                    merged = merged.union(*r);
                    false
                } else {
                    true
                }
            });
            if rects.len() == before {
                break;
            }
        }
        rects.push(merged);
    }
    if rects.len() > MAX_RECTS {
        return vec![bounding_box(&rects)];
    }
    rects
}

fn touches(a: Rect, b: Rect) -> bool {
    a.min.x <= b.max.x && b.min.x <= a.max.x && a.min.y <= b.max.y && b.min.y <= a.max.y
}

fn bounding_box(rects: &[Rect]) -> Rect {
    rects.iter().fold(Rect::NOTHING, |a, r| a.union(*r))
}

/// The pixel rectangle `rect` covers once snapped: `[x, y, width, height]` from the window's top left, within
/// the window. The painter clears and repaints exactly these pixels.
pub fn pixel_rect(rect: Rect, pixels_per_point: f32, [width, height]: [u32; 2]) -> [u32; 4] {
    let px = |v: f32, max: u32| ((v * pixels_per_point).round().max(0.0) as u32).min(max);
    let (x0, y0) = (px(rect.min.x, width), px(rect.min.y, height));
    let (x1, y1) = (px(rect.max.x, width).max(x0), px(rect.max.y, height).max(y0));
    [x0, y0, x1 - x0, y1 - y0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::TextureOptions;
    use egui::epaint::{ColorImage, ImageDelta};

    fn delta(id: TextureId, pos: Option<[usize; 2]>) -> TexturesDelta {
        let image = ColorImage::filled([2, 2], egui::Color32::WHITE);
        let mut d = TexturesDelta::default();
        d.set.insert(
            id,
            [ImageDelta {
                image: image.into(),
                options: TextureOptions::LINEAR,
                pos,
            }]
            .into_iter()
            .collect(),
        );
        d
    }

    #[test]
    fn only_glyphs_added_to_the_font_atlas_leave_drawn_pixels_alone() {
        let font = TextureId::default();
        let cases = [
            (delta(font, Some([4, 8])), false, "glyphs added to the atlas"),
            (delta(font, None), true, "the atlas rebuilt"),
            (
                delta(TextureId::Managed(7), Some([0, 0])),
                true,
                "part of an image replaced",
            ),
            (delta(TextureId::User(1), None), true, "a user texture"),
            (TexturesDelta::default(), false, "nothing"),
        ];
        for (mut d, expected, what) in cases {
            assert_eq!(changes_drawn_textures(&d), expected, "{what}");
            d.clear();
        }
        let mut freed = TexturesDelta::default();
        freed.free.insert(TextureId::Managed(3));
        assert!(changes_drawn_textures(&freed), "a texture freed");
        freed.clear();
    }
}
