//! Where the cells of a form table go: column widths and line heights from the template's grid and the sizes
//! of the texts in it. No egui here: text is measured by functions passed in, so the maths is tested without a
//! window (see the tests below) and the painting in `form.rs` only draws into the rectangles computed here.

use crate::template::{Layout, Table, ValueKind};

/// Height of a grid line holding one line of text.
pub(super) const LINE_HEIGHT: f32 = 30.0;
/// Padding inside grid cells.
pub(super) const PAD: f32 = 5.0;
/// Width of a money column: `12345678.0000` with room to spare.
const MONEY_W: f32 = 170.0;
/// Narrowest and widest count column.
const COUNT_W: (f32, f32) = (70.0, 96.0);
/// Narrowest and widest group-label column (all label columns but the last), and the last label column.
const GROUP_W: (f32, f32) = (48.0, 110.0);
const LABEL_W: (f32, f32) = (200.0, 340.0);
/// The last label column gives up width down to this, so that the values fit.
const LABEL_MIN: f32 = 150.0;
/// An inline table's columns (section 二's blocks): equal, within these limits.
const INLINE_W: (f32, f32) = (56.0, 100.0);

/// A table's grid: the x of every column edge and the y of every line edge, from the table's top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Grid {
    /// Column edges: one more than the columns.
    pub x: Vec<f32>,
    /// Line edges: one more than the lines (caption, header lines, body lines).
    pub y: Vec<f32>,
    /// Lines above the header: 1 when the table has a caption.
    pub caption_lines: usize,
    /// Lines of the header.
    pub header_lines: usize,
}

impl Grid {
    /// Columns of the grid.
    pub fn width(&self) -> usize {
        self.x.len().saturating_sub(1)
    }

    /// Lines of the grid.
    fn lines(&self) -> usize {
        self.y.len().saturating_sub(1)
    }

    /// Width and height of the whole table.
    pub fn size(&self) -> (f32, f32) {
        (
            self.x.last().copied().unwrap_or_default(),
            self.y.last().copied().unwrap_or_default(),
        )
    }

    /// Width of `span` columns from `col` (cut at the table's edge).
    pub fn span_width(&self, col: usize, span: usize) -> f32 {
        let edge = |c: usize| self.x.get(c.min(self.width())).copied().unwrap_or_default();
        edge(col + span) - edge(col)
    }

    /// `[left, top, right, bottom]` of a cell of `colspan × rowspan` at grid line `line`, column `col` (cut at
    /// the table's edges).
    pub fn cell(&self, line: usize, col: usize, colspan: usize, rowspan: usize) -> [f32; 4] {
        let x = |c: usize| self.x.get(c.min(self.width())).copied().unwrap_or_default();
        let y = |l: usize| self.y.get(l.min(self.lines())).copied().unwrap_or_default();
        [x(col), y(line), x(col + colspan), y(line + rowspan)]
    }

    /// The grid line of body line `line` (below caption and header).
    pub fn body_line(&self, line: usize) -> usize {
        self.caption_lines + self.header_lines + line
    }
}

/// Grid columns the table really uses (section 二's blocks use fewer than their nominal width).
pub(super) fn used_columns(table: &Table) -> usize {
    let mut width = 0;
    for g in table.header.iter().chain(table.labels) {
        width = width.max(g.col + g.colspan);
    }
    for r in 0..table.rows.len() {
        for c in 0..table.columns.len() {
            width = width.max(table.value_position(r, c).1 + 1);
        }
    }
    width
}

/// Column widths that fit `avail`: label columns as wide as their longest one-column text (`natural(col)`,
/// measured without wrapping), group columns (all label columns but the last) narrow so that they wrap like
/// the Word table, value columns sharing what is left within limits; when even that is too wide, the last
/// label column gives way.
pub(super) fn column_widths(table: &Table, avail: f32, natural: impl Fn(usize) -> f32) -> Vec<f32> {
    let width = used_columns(table);
    let mut col_w = vec![0.0f32; width];
    if table.layout == Layout::Inline {
        // Float maths on a handful of columns: no precision to lose.
        #[allow(clippy::cast_precision_loss)]
        col_w.fill((avail / width.max(1) as f32).clamp(INLINE_W.0, INLINE_W.1));
        return col_w;
    }
    let padded = |col: usize| natural(col) + 2.0 * PAD + 2.0;
    let label_cols = table.label_cols.min(width);
    let last = label_cols.saturating_sub(1);
    for (i, w) in col_w.iter_mut().enumerate().take(last) {
        *w = padded(i).clamp(GROUP_W.0, GROUP_W.1);
    }
    if label_cols > 0 {
        col_w[last] = padded(last).clamp(LABEL_W.0, LABEL_W.1);
    }
    let labels: f32 = col_w[..label_cols].iter().sum();
    let money = table.columns.iter().filter(|c| c.kind == ValueKind::Money).count();
    let counts = (table.columns.len() - money).max(1);
    #[allow(clippy::cast_precision_loss)]
    let count_w = ((avail - labels - money as f32 * MONEY_W - 4.0) / counts as f32).clamp(COUNT_W.0, COUNT_W.1);
    let value_w: Vec<f32> = table
        .columns
        .iter()
        .map(|c| if c.kind == ValueKind::Money { MONEY_W } else { count_w })
        .collect();
    let used: f32 = value_w.iter().sum();
    if label_cols > 0 && labels + used > avail {
        col_w[last] = (col_w[last] - (labels + used - avail)).max(LABEL_MIN);
    }
    for (w, v) in col_w.iter_mut().skip(label_cols).zip(value_w) {
        *w = v;
    }
    col_w
}

/// The whole grid: column widths as [`column_widths`], line heights grown to fit the wrapped labels.
/// `measure(text, wrap_width, is_header)` is the height of `text` wrapped at `wrap_width` (header texts are
/// drawn smaller).
pub(super) fn grid(
    table: &Table,
    avail: f32,
    natural: impl Fn(usize) -> f32,
    measure: impl Fn(&str, f32, bool) -> f32,
) -> Grid {
    let col_w = column_widths(table, avail, natural);
    let x = edges(&col_w);
    let caption_lines = usize::from(table.caption.is_some());
    let header_lines = table.header_rows;
    let mut line_h = vec![LINE_HEIGHT; caption_lines + header_lines + table.body_rows()];
    let mut grid = Grid {
        x,
        y: Vec::new(),
        caption_lines,
        header_lines,
    };
    let texts = table.header.iter().map(|g| (g, caption_lines + g.row, true)).chain(
        table
            .labels
            .iter()
            .map(|g| (g, caption_lines + header_lines + g.row, false)),
    );
    let mut spanned = Vec::new();
    for (g, line, is_header) in texts {
        let wrap = (grid.span_width(g.col, g.colspan) - 2.0 * PAD).max(10.0);
        let h = measure(g.text, wrap, is_header) + 2.0 * PAD;
        match line_h.get_mut(line) {
            Some(l) if g.rowspan == 1 => *l = l.max(h),
            Some(_) => spanned.push((line, g.rowspan, h)),
            None => {}
        }
    }
    // A label spanning several lines grows the last of them, once the single-line labels have set theirs.
    for (line, span, h) in spanned {
        let end = (line + span).min(line_h.len());
        let have: f32 = line_h[line..end].iter().sum();
        if h > have {
            line_h[end - 1] += h - have;
        }
    }
    grid.y = edges(&line_h);
    grid
}

/// Edges from sizes: 0, then the running sums.
fn edges(sizes: &[f32]) -> Vec<f32> {
    std::iter::once(0.0)
        .chain(sizes.iter().scan(0.0, |acc, s| {
            *acc += s;
            Some(*acc)
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;

    /// Text measured as 14 pixels per character on one line, wrapped at `w`; 20 pixels a line.
    fn natural_of(table: &Table) -> impl Fn(usize) -> f32 + '_ {
        move |col| {
            table
                .header
                .iter()
                .chain(table.labels)
                .filter(|g| g.col == col && g.colspan == 1)
                .map(|g| 14.0 * g.text.chars().count() as f32)
                .fold(0.0, f32::max)
        }
    }

    fn measure(text: &str, w: f32, _header: bool) -> f32 {
        let chars_per_line = (w / 14.0).floor().max(1.0);
        (text.chars().count() as f32 / chars_per_line).ceil().max(1.0) * 20.0
    }

    fn tables() -> Vec<&'static Table> {
        Edition::ALL.iter().flat_map(|e| e.template().tables.iter()).collect()
    }

    #[test]
    fn every_table_fits_the_form_width_of_a_laptop_screen() {
        // The form's width at 1366×768, and a narrower window.
        for avail in [1300.0, 1100.0] {
            for t in tables() {
                let g = grid(t, avail, natural_of(t), measure);
                let (w, h) = g.size();
                assert!(w <= avail + 0.5, "{}: {w} > {avail}", t.id);
                assert!(h >= LINE_HEIGHT, "{}", t.id);
                assert_eq!(g.width(), used_columns(t), "{}", t.id);
            }
        }
    }

    #[test]
    fn value_columns_get_their_kind_s_width() {
        for t in tables().into_iter().filter(|t| t.layout == Layout::Rows) {
            let w = column_widths(t, 1300.0, natural_of(t));
            for (c, col) in t.columns.iter().enumerate() {
                let x = w[t.label_cols + c];
                if col.kind == ValueKind::Money {
                    assert!((x - MONEY_W).abs() < f32::EPSILON, "{} {}", t.id, col.id);
                } else {
                    assert!((COUNT_W.0..=COUNT_W.1).contains(&x), "{} {}: {x}", t.id, col.id);
                }
            }
        }
    }

    #[test]
    fn the_last_label_column_gives_way_when_the_values_need_room() {
        let s3 = Edition::E2021.template().tables.iter().find(|t| t.id == "s3").unwrap();
        let wide = column_widths(s3, 1600.0, |_| 1000.0);
        let narrow = column_widths(s3, 900.0, |_| 1000.0);
        let last = s3.label_cols - 1;
        assert!((wide[last] - LABEL_W.1).abs() < f32::EPSILON, "{wide:?}");
        assert!(narrow[last] < wide[last] && narrow[last] >= LABEL_MIN, "{narrow:?}");
    }

    #[test]
    fn wrapped_and_spanning_labels_grow_their_lines() {
        for t in tables() {
            let g = grid(t, 1300.0, natural_of(t), measure);
            for l in t.labels.iter().chain(t.header) {
                let line = if t.header.iter().any(|h| std::ptr::eq(h, l)) {
                    g.caption_lines + l.row
                } else {
                    g.body_line(l.row)
                };
                let [x0, y0, x1, y1] = g.cell(line, l.col, l.colspan, l.rowspan);
                let need = measure(l.text, (x1 - x0 - 2.0 * PAD).max(10.0), false) + 2.0 * PAD;
                assert!(
                    y1 - y0 + 0.01 >= need,
                    "{}: 「{}」 needs {need}, has {}",
                    t.id,
                    l.text,
                    y1 - y0
                );
            }
        }
    }

    #[test]
    fn cells_outside_the_grid_are_cut_at_its_edges() {
        let t = tables()[0];
        let g = grid(t, 1300.0, natural_of(t), measure);
        let (w, h) = g.size();
        let far = g.cell(999, 999, 5, 5);
        assert!(
            far.iter().zip([w, h, w, h]).all(|(a, b)| (a - b).abs() < f32::EPSILON),
            "{far:?}"
        );
        assert!((g.span_width(0, 999) - w).abs() < f32::EPSILON);
    }
}
