//! A structured source (a saved web page, a Word document) reduced to what the importer reads: paragraphs and
//! tables in document order. The readers of each format produce [`Block`]s; the importer places them.

/// One block of a structured source, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph's text: entities decoded, runs and spans joined, a line break inside it as `\n`.
    Paragraph(String),
    /// A table with its merges expanded into a full grid.
    Table(Table),
}

/// A table as a full grid: `rows[r][c]` is the text of the cell that covers slot (r, c). A cell merged over
/// several slots (`rowspan`/`colspan`, `w:vMerge`/`w:gridSpan`) gives its text to every slot it covers, as a
/// spreadsheet does when merged cells are filled; `origin[r][c]` is true only in a cell's top-left slot, so a
/// reader can tell one merged cell from equal neighbours.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The text of each slot, row by row; every row has the same length.
    pub rows: Vec<Vec<String>>,
    /// Whether slot (r, c) is the top-left slot of its cell.
    pub origin: Vec<Vec<bool>>,
}
