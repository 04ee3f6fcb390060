//! Web pages (a saved page, HTML copied from a browser, markup pasted as text): parsed by html5ever, the
//! HTML5 parser of the Servo project (the same tree a browser builds, broken markup included), into
//! [`Block`]s like a Word document, then read through [`super::docx::blocks_to_text`] like one.
//!
//! - Paragraphs: block-level elements (`p`, `div`, `h1`…`h6`, `li`, …) end one; `<br>` is a line break inside
//!   it. `<script>`, `<style>`, `<head>` and the like are dropped.
//! - Spaces as a browser lays them out (CSS `white-space: normal`): a run of spaces, TABs and line ends is one
//!   space, none at the start or end of a line; `&nbsp;` is a space that is kept (an indent stays). A line end
//!   in the source between two East Asian wide characters is removed, as CSS Text 3 says (Word's HTML wraps
//!   its source lines between two Chinese characters: `中华人\n民共和国` is 中华人民共和国; Chromium shows a
//!   space there, Firefox none).
//! - Tables: `rowspan`/`colspan` expanded into a full grid ([`Table`]), within a budget. A table that holds
//!   another table is a page's layout: its cells are read as paragraphs, the tables inside as tables.
//! - Markup pasted into a text (no `<html>`/`<body>`): the text's own lines outside the markup stay lines;
//!   table rows without a `<table>` are parsed as a table's content.
//!
//! Hostile pages are expected: elements are counted while parsing (the parse stops past a cap), the tree is
//! walked without recursion, and spans and merged cells are expanded only within a budget.

use super::source::{Block, Table};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, ExpandedName, LocalName, QualName, local_name, ns};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// Most nodes (elements and text runs) of one page (a report's page has a few thousand).
const MAX_NODES: usize = 1_000_000;
/// Deepest nesting of elements (a report's page nests a few dozen deep; Chromium's parser stops at 512). The
/// parser's cost grows with the square of the depth, so a deeper page is refused.
const MAX_DEPTH: usize = 1000;
/// How much of the input is fed to the parser at a time (the caps are checked between pieces).
const CHUNK_BYTES: usize = 16 * 1024;
/// Widest table, in grid columns: cells past it are dropped (a report's widest table has 15).
const MAX_COLUMNS: usize = 256;
/// Most rows of one table.
const MAX_ROWS: usize = 20_000;
/// Most grid slots of all tables of a page, merged cells expanded.
const MAX_SLOTS: usize = 2_000_000;
/// Most bytes of cell text after merged cells have been copied into every slot they cover, per page.
const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

/// What [`HtmlError::TooLarge`] says for too many nodes.
const TOO_MANY: &str = "网页元素过多";
/// What [`HtmlError::TooLarge`] says for elements nested too deep.
const TOO_DEEP: &str = "网页元素嵌套过深";

/// Why a web page could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// Over one of the caps (elements, table size).
    #[error("网页过大或结构异常（{0}），为安全起见不予读取")]
    TooLarge(&'static str),
}

/// Whether a text is HTML: it holds a tag of a page (`<html>`, `<body>`), of a table (`<table>`, `<tr>`,
/// `<td>`, `<th>`) or of a paragraph (`<p>`, `<div>`, `<br>`). Decided on the first 256 KB.
pub fn looks_like_html(text: &str) -> bool {
    const TAGS: &[&[u8]] = &[
        b"html",
        b"body",
        b"head",
        b"table",
        b"tr",
        b"td",
        b"th",
        b"p",
        b"div",
        b"br",
        b"!doctype",
    ];
    let bytes = text.as_bytes();
    let bytes = &bytes[..bytes.len().min(256 * 1024)];
    bytes.iter().enumerate().filter(|&(_, &b)| b == b'<').any(|(at, _)| {
        let rest = &bytes[at + 1..];
        let len = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!'))
            .unwrap_or(rest.len());
        let ends_name = rest
            .get(len)
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
        ends_name && TAGS.iter().any(|t| rest[..len].eq_ignore_ascii_case(t))
    })
}

/// Reads a web page (or HTML markup) into its blocks, in document order.
pub fn read_html(text: &str) -> Result<Vec<Block>, HtmlError> {
    let lower_has = |tag: &str| {
        let head = &text.as_bytes()[..text.len().min(256 * 1024)];
        head.windows(tag.len()).any(|w| w.eq_ignore_ascii_case(tag.as_bytes()))
    };
    let page = lower_has("<html") || lower_has("<body");
    // Rows without their table (a fragment of a page's source): parsed as the content of a `<table>`, as
    // the HTML fragment algorithm does for `innerHTML` (a document would drop a `<tr>` outside a table).
    let rows_only = !page && !lower_has("<table") && (lower_has("<tr") || lower_has("<td") || lower_has("<th"));
    let tree = parse(text, rows_only)?;
    let mut reader = Reader::new(&tree, !page);
    reader.flow(0)?;
    Ok(reader.blocks)
}

// ---------------------------------------------------------------------------------------------------------
// The tree: an arena of nodes (no `Rc` cycles, dropped flat however deep the page nests).

/// What a node is.
enum Data {
    Document,
    Element {
        /// Local name of an HTML element; `None` for SVG, `MathML` and other foreign elements.
        name: Option<LocalName>,
        colspan: usize,
        rowspan: usize,
    },
    Text(String),
    /// Comments, processing instructions, template contents: no text of the page.
    Other,
}

struct Node {
    parent: Option<usize>,
    children: Vec<usize>,
    /// How deep the node was when it was put in the tree.
    depth: usize,
    data: Data,
}

/// The parsed page.
struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    fn name(&self, n: usize) -> Option<&LocalName> {
        match &self.nodes[n].data {
            Data::Element { name, .. } => name.as_ref(),
            _ => None,
        }
    }

    fn is(&self, n: usize, names: &[LocalName]) -> bool {
        self.name(n).is_some_and(|x| names.contains(x))
    }
}

/// A node as the parser holds it: its index and, for an element, its name (the parser asks for it by
/// reference).
#[derive(Clone)]
struct Handle(std::rc::Rc<(usize, QualName)>);

impl Handle {
    fn id(&self) -> usize {
        self.0.0
    }
}

/// The tree sink html5ever builds into.
struct Sink {
    nodes: RefCell<Vec<Node>>,
    /// Set once a cap is passed ([`MAX_NODES`], [`MAX_DEPTH`]), with what it was; nodes past it are not kept.
    over: Cell<Option<&'static str>>,
    /// The name given to handles of nodes that are no element.
    no_name: QualName,
}

impl Sink {
    fn new() -> Sink {
        Sink {
            nodes: RefCell::new(vec![Node {
                parent: None,
                children: Vec::new(),
                depth: 0,
                data: Data::Document,
            }]),
            over: Cell::new(None),
            no_name: QualName::new(None, ns!(), local_name!("")),
        }
    }

    fn new_node(&self, data: Data, name: QualName) -> Handle {
        let mut nodes = self.nodes.borrow_mut();
        if nodes.len() >= MAX_NODES {
            self.over.set(Some(TOO_MANY));
            // A detached placeholder: what the parser appends to it is dropped with it.
            return Handle(std::rc::Rc::new((usize::MAX, name)));
        }
        nodes.push(Node {
            parent: None,
            children: Vec::new(),
            depth: 0,
            data,
        });
        Handle(std::rc::Rc::new((nodes.len() - 1, name)))
    }

    /// Makes `child` a node of the tree (a text run joins a text right before it).
    fn node_of(&self, nodes: &mut Vec<Node>, child: NodeOrText<Handle>, before: Option<usize>) -> Option<usize> {
        match child {
            NodeOrText::AppendNode(h) => (h.id() < nodes.len()).then(|| h.id()),
            NodeOrText::AppendText(t) => {
                if let Some(prev) = before
                    && let Some(Data::Text(s)) = nodes.get_mut(prev).map(|n| &mut n.data)
                {
                    s.push_str(&t);
                    return None;
                }
                if nodes.len() >= MAX_NODES {
                    self.over.set(Some(TOO_MANY));
                    return None;
                }
                nodes.push(Node {
                    parent: None,
                    children: Vec::new(),
                    depth: 0,
                    data: Data::Text(t.to_string()),
                });
                Some(nodes.len() - 1)
            }
        }
    }

    fn detach(nodes: &mut [Node], child: usize) {
        if let Some(p) = nodes[child].parent.take() {
            nodes[p].children.retain(|&c| c != child);
        }
    }

    /// Puts `child` under `parent` at `at` (its end when `None`), noting how deep it is.
    fn attach(&self, nodes: &mut [Node], child: usize, parent: usize, at: Option<usize>) {
        Sink::detach(nodes, child);
        let depth = nodes[parent].depth + 1;
        if depth > MAX_DEPTH {
            self.over.set(Some(TOO_DEEP));
        }
        nodes[child].parent = Some(parent);
        nodes[child].depth = depth;
        let children = &mut nodes[parent].children;
        children.insert(at.unwrap_or(children.len()).min(children.len()), child);
    }
}

/// A span attribute (`colspan="3"`) read as a browser reads it: leading digits, anything after them ignored;
/// `None` when there are none.
fn span_value(attrs: &[Attribute], name: &LocalName) -> Option<usize> {
    let value = &attrs.iter().find(|a| a.name.local == *name)?.value;
    let digits: String = value
        .trim_start()
        .trim_start_matches('+')
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse().ok()
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Tree;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Tree {
        Tree {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle(std::rc::Rc::new((0, self.no_name.clone())))
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        target.0.1.expanded()
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> Handle {
        let html = name.ns == ns!(html);
        let (colspan, rowspan) = if html && matches!(name.local, local_name!("td") | local_name!("th")) {
            (
                span_value(&attrs, &local_name!("colspan")).unwrap_or(1),
                span_value(&attrs, &local_name!("rowspan")).unwrap_or(1),
            )
        } else {
            (1, 1)
        };
        let data = Data::Element {
            name: html.then(|| name.local.clone()),
            colspan,
            rowspan,
        };
        self.new_node(data, name)
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        self.new_node(Data::Other, self.no_name.clone())
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        self.new_node(Data::Other, self.no_name.clone())
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        let p = parent.id();
        if p >= nodes.len() {
            return;
        }
        let last = nodes[p].children.last().copied();
        if let Some(c) = self.node_of(&mut nodes, child, last) {
            self.attach(&mut nodes, c, p, None);
        }
    }

    fn append_based_on_parent_node(&self, element: &Handle, prev_element: &Handle, child: NodeOrText<Handle>) {
        let has_parent = self
            .nodes
            .borrow()
            .get(element.id())
            .is_some_and(|n| n.parent.is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, _target: &Handle) -> Handle {
        // A template's contents are not shown: a node outside the tree.
        self.new_node(Data::Other, self.no_name.clone())
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        std::rc::Rc::ptr_eq(&x.0, &y.0) || (x.id() == y.id() && x.id() != usize::MAX)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let mut nodes = self.nodes.borrow_mut();
        let s = sibling.id();
        let Some(p) = nodes.get(s).and_then(|n| n.parent) else {
            return;
        };
        let Some(at) = nodes[p].children.iter().position(|&c| c == s) else {
            return;
        };
        let before = at.checked_sub(1).map(|i| nodes[p].children[i]);
        if let Some(c) = self.node_of(&mut nodes, new_node, before) {
            Sink::detach(&mut nodes, c);
            // Detaching may have moved the sibling (when the node was an earlier child of the same parent).
            let at = nodes[p].children.iter().position(|&x| x == s);
            self.attach(&mut nodes, c, p, at);
        }
    }

    fn add_attrs_if_missing(&self, _target: &Handle, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        if target.id() < nodes.len() {
            Sink::detach(&mut nodes, target.id());
        }
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let mut nodes = self.nodes.borrow_mut();
        let (from, to) = (node.id(), new_parent.id());
        if from >= nodes.len() || to >= nodes.len() || from == to {
            return;
        }
        let moved = std::mem::take(&mut nodes[from].children);
        for c in moved {
            nodes[c].parent = None;
            self.attach(&mut nodes, c, to, None);
        }
    }
}

/// Parses the text, in pieces so that the node cap stops a hostile page early.
fn parse(text: &str, rows_only: bool) -> Result<Tree, HtmlError> {
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            // As a browser without scripts: `<noscript>` holds markup (dropped below).
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut parser = if rows_only {
        html5ever::parse_fragment(
            Sink::new(),
            opts,
            QualName::new(None, ns!(html), local_name!("table")),
            Vec::new(),
            false,
        )
    } else {
        html5ever::parse_document(Sink::new(), opts)
    };
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, after) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(piece));
        if let Some(what) = parser.tokenizer.sink.sink.over.get() {
            return Err(HtmlError::TooLarge(what));
        }
        rest = after;
    }
    let sink = &parser.tokenizer.sink.sink;
    if let Some(what) = sink.over.get() {
        return Err(HtmlError::TooLarge(what));
    }
    Ok(parser.finish())
}

// ---------------------------------------------------------------------------------------------------------
// Text as a browser lays it out.

/// How the spaces of a text node are laid out (CSS `white-space`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    /// Runs of spaces collapse; line ends are spaces (or nothing between two wide characters).
    Normal,
    /// Runs of spaces collapse; line ends are line breaks (a text's own lines around pasted markup).
    PreLine,
    /// As written (`<pre>`).
    Pre,
}

/// Whitespace seen but not written yet: whether it held a line end.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Pending {
    #[default]
    None,
    Space,
    Break,
}

/// The text being gathered for a paragraph or a cell.
#[derive(Default)]
struct Text {
    s: String,
    pending: Pending,
}

/// Whether a character is East Asian wide (Unicode East Asian Width F, W or H) and not Hangul: a line end
/// between two of them is no space (CSS Text 3, segment break transformation).
fn wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{303E}'     // radicals, Kangxi, ideographic description, CJK symbols and punctuation
        | '\u{3041}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3105}'..='\u{312F}'   // Bopomofo
        | '\u{31A0}'..='\u{31EF}'   // Bopomofo extended, CJK strokes
        | '\u{31F0}'..='\u{4DBF}'   // Katakana extensions, enclosed CJK, compatibility, extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FE10}'..='\u{FE19}'   // vertical forms
        | '\u{FE30}'..='\u{FE6F}'   // compatibility and small forms
        | '\u{FF00}'..='\u{FF60}'   // fullwidth forms
        | '\u{FF61}'..='\u{FF9F}'   // halfwidth Katakana
        | '\u{FFE0}'..='\u{FFE6}'   // fullwidth signs
        | '\u{20000}'..='\u{3FFFD}' // extensions B and after
    )
}

impl Text {
    fn push_char(&mut self, c: char) {
        let pending = std::mem::take(&mut self.pending);
        if let Some(last) = self.s.chars().next_back()
            && last != '\n'
        {
            match pending {
                Pending::None => {}
                Pending::Break if wide(last) && wide(c) => {}
                Pending::Space | Pending::Break => self.s.push(' '),
            }
        }
        // A no-break space is a space that does not collapse.
        self.s.push(if c == '\u{a0}' { ' ' } else { c });
    }

    fn push_str(&mut self, raw: &str, space: Space) {
        for c in raw.chars() {
            let line_end = c == '\n';
            let blank = matches!(c, ' ' | '\t' | '\r' | '\u{c}');
            match space {
                Space::Pre | Space::PreLine if line_end => self.line_break(),
                Space::Pre if c == '\r' => {}
                Space::Pre => {
                    self.pending = Pending::None;
                    self.s.push(if c == '\u{a0}' { ' ' } else { c });
                }
                Space::Normal if line_end => self.pending = self.pending.max(Pending::Break),
                _ if blank => self.pending = self.pending.max(Pending::Space),
                _ => self.push_char(c),
            }
        }
    }

    fn line_break(&mut self) {
        self.pending = Pending::None;
        self.s.push('\n');
    }

    /// The end of a block inside a cell: a line break, unless the cell's text is empty or at a line's start.
    fn block_break(&mut self) {
        self.pending = Pending::None;
        if !self.s.is_empty() && !self.s.ends_with('\n') {
            self.s.push('\n');
        }
    }

    /// The text gathered, line ends before it and spaces and line ends after it dropped (an indent stays);
    /// the buffer is emptied.
    fn take(&mut self) -> String {
        self.pending = Pending::None;
        let s = std::mem::take(&mut self.s);
        s.trim_end().trim_start_matches('\n').to_owned()
    }
}

// ---------------------------------------------------------------------------------------------------------
// The walk: blocks in document order.

/// Elements whose content is not shown as the page's text.
const SKIPPED: &[LocalName] = &[
    local_name!("head"),
    local_name!("title"),
    local_name!("script"),
    local_name!("style"),
    local_name!("template"),
    local_name!("noscript"),
    local_name!("iframe"),
    local_name!("object"),
    local_name!("select"),
    local_name!("textarea"),
];

/// Elements that start and end a block (a paragraph of their own).
const BLOCKS: &[LocalName] = &[
    local_name!("address"),
    local_name!("article"),
    local_name!("aside"),
    local_name!("blockquote"),
    local_name!("body"),
    local_name!("caption"),
    local_name!("center"),
    local_name!("dd"),
    local_name!("details"),
    local_name!("dialog"),
    local_name!("dir"),
    local_name!("div"),
    local_name!("dl"),
    local_name!("dt"),
    local_name!("fieldset"),
    local_name!("figcaption"),
    local_name!("figure"),
    local_name!("footer"),
    local_name!("form"),
    local_name!("h1"),
    local_name!("h2"),
    local_name!("h3"),
    local_name!("h4"),
    local_name!("h5"),
    local_name!("h6"),
    local_name!("header"),
    local_name!("hgroup"),
    local_name!("hr"),
    local_name!("html"),
    local_name!("legend"),
    local_name!("li"),
    local_name!("listing"),
    local_name!("main"),
    local_name!("menu"),
    local_name!("nav"),
    local_name!("ol"),
    local_name!("p"),
    local_name!("plaintext"),
    local_name!("pre"),
    local_name!("section"),
    local_name!("summary"),
    local_name!("table"),
    local_name!("tbody"),
    local_name!("td"),
    local_name!("tfoot"),
    local_name!("th"),
    local_name!("thead"),
    local_name!("tr"),
    local_name!("ul"),
    local_name!("xmp"),
];

/// Elements whose text is laid out as written.
const PREFORMATTED: &[LocalName] = &[
    local_name!("pre"),
    local_name!("listing"),
    local_name!("plaintext"),
    local_name!("xmp"),
];

/// The parts of a table that hold rows.
const ROW_GROUPS: &[LocalName] = &[local_name!("thead"), local_name!("tbody"), local_name!("tfoot")];

/// A step of the walk: a node entered, or left after its children.
#[derive(Clone, Copy)]
enum Step {
    Enter(usize),
    Exit(usize),
}

/// A `td`/`th` as written.
struct CellSrc {
    text: String,
    colspan: usize,
    rowspan: usize,
}

/// A `tr` as written, with the row group it belongs to (a `rowspan` ends with its group).
struct RowSrc {
    group: usize,
    cells: Vec<CellSrc>,
}

/// The reader's state.
struct Reader<'t> {
    tree: &'t Tree,
    /// Whether a table lies below each node (a table with a table inside is the page's layout).
    table_below: Vec<bool>,
    /// Markup pasted into a text: the text around the markup keeps its own lines.
    in_text: bool,
    blocks: Vec<Block>,
    slots: usize,
    expanded: usize,
}

impl<'t> Reader<'t> {
    fn new(tree: &'t Tree, in_text: bool) -> Reader<'t> {
        let n = tree.nodes.len();
        // Children before parents: the reverse of a pre-order walk (iterative: pages may nest deep).
        let mut order = Vec::with_capacity(n);
        let mut stack = vec![0];
        while let Some(x) = stack.pop() {
            order.push(x);
            stack.extend(tree.nodes[x].children.iter().rev());
        }
        let mut table_below = vec![false; n];
        for &x in order.iter().rev() {
            if let Some(p) = tree.nodes[x].parent
                && (table_below[x] || tree.is(x, &[local_name!("table")]))
            {
                table_below[p] = true;
            }
        }
        Reader {
            tree,
            table_below,
            in_text,
            blocks: Vec::new(),
            slots: 0,
            expanded: 0,
        }
    }

    /// How the text node `n` lays out its spaces, inside `pre` preformatted elements.
    fn space(&self, n: usize, pre: usize) -> Space {
        if pre > 0 {
            return Space::Pre;
        }
        let parent = self.tree.nodes[n].parent;
        if self.in_text && parent.is_none_or(|p| self.tree.is(p, &[local_name!("html"), local_name!("body")])) {
            Space::PreLine
        } else {
            Space::Normal
        }
    }

    /// The end of a paragraph: its text becomes a block (nothing for an empty one).
    fn paragraph(&mut self, text: &mut Text) {
        let s = text.take();
        if !s.trim().is_empty() {
            self.blocks.push(Block::Paragraph(s));
        }
    }

    /// Walks the subtree at `root` as the page's flow of blocks.
    fn flow(&mut self, root: usize) -> Result<(), HtmlError> {
        let tree = self.tree;
        let mut text = Text::default();
        let mut stack = vec![Step::Enter(root)];
        let (mut pre, mut tables) = (0usize, 0usize);
        while let Some(step) = stack.pop() {
            match step {
                Step::Exit(n) => {
                    if tree.is(n, PREFORMATTED) {
                        pre -= 1;
                    }
                    if tree.is(n, &[local_name!("table")]) {
                        tables -= 1;
                    }
                    if tree.is(n, BLOCKS) {
                        self.paragraph(&mut text);
                    }
                }
                Step::Enter(n) => match &tree.nodes[n].data {
                    Data::Text(s) => text.push_str(s, self.space(n, pre)),
                    Data::Other => {}
                    Data::Document | Data::Element { .. } => {
                        if tree.is(n, SKIPPED) {
                            continue;
                        }
                        if tree.is(n, &[local_name!("br")]) {
                            text.line_break();
                            continue;
                        }
                        let table = tree.is(n, &[local_name!("table")])
                            || (tables == 0 && (tree.is(n, ROW_GROUPS) || tree.is(n, &[local_name!("tr")])));
                        if table && !self.table_below[n] {
                            self.paragraph(&mut text);
                            self.table(n)?;
                            continue;
                        }
                        if tree.is(n, BLOCKS) {
                            self.paragraph(&mut text);
                        }
                        if tree.is(n, PREFORMATTED) {
                            pre += 1;
                        }
                        if tree.is(n, &[local_name!("table")]) {
                            tables += 1;
                        }
                        stack.push(Step::Exit(n));
                        stack.extend(tree.nodes[n].children.iter().rev().map(|&c| Step::Enter(c)));
                    }
                },
            }
        }
        self.paragraph(&mut text);
        Ok(())
    }
}

/// The text of a cell (or a caption): its blocks and line breaks as `\n`.
fn cell_text(tree: &Tree, root: usize) -> String {
    let mut text = Text::default();
    let mut stack = vec![Step::Enter(root)];
    let mut pre = 0usize;
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit(n) => {
                if tree.is(n, PREFORMATTED) {
                    pre -= 1;
                }
                if tree.is(n, BLOCKS) {
                    text.block_break();
                }
            }
            Step::Enter(n) => match &tree.nodes[n].data {
                Data::Text(s) => text.push_str(s, if pre > 0 { Space::Pre } else { Space::Normal }),
                Data::Other | Data::Document => {}
                Data::Element { .. } => {
                    if tree.is(n, SKIPPED) {
                        continue;
                    }
                    if tree.is(n, &[local_name!("br")]) {
                        text.line_break();
                        continue;
                    }
                    if n != root && tree.is(n, BLOCKS) {
                        text.block_break();
                    }
                    if tree.is(n, PREFORMATTED) {
                        pre += 1;
                    }
                    stack.push(Step::Exit(n));
                    stack.extend(tree.nodes[n].children.iter().rev().map(|&c| Step::Enter(c)));
                }
            },
        }
    }
    text.take()
}

impl Reader<'_> {
    /// Reads the table (or row group, or row) at `n` into a [`Block::Table`], its caption before it.
    fn table(&mut self, n: usize) -> Result<(), HtmlError> {
        let tree = self.tree;
        let mut rows: Vec<RowSrc> = Vec::new();
        let mut group = 0;
        let mut last_was_row = false;
        let add_row = |tr: usize, group: usize, rows: &mut Vec<RowSrc>| -> Result<(), HtmlError> {
            if rows.len() >= MAX_ROWS {
                return Err(HtmlError::TooLarge("表格行数过多"));
            }
            let cells = tree.nodes[tr]
                .children
                .iter()
                .filter(|&&c| tree.is(c, &[local_name!("td"), local_name!("th")]))
                .map(|&c| {
                    let (colspan, rowspan) = match tree.nodes[c].data {
                        Data::Element { colspan, rowspan, .. } => (colspan, rowspan),
                        _ => (1, 1),
                    };
                    CellSrc {
                        text: cell_text(tree, c),
                        colspan,
                        rowspan,
                    }
                })
                .collect();
            rows.push(RowSrc { group, cells });
            Ok(())
        };
        let parts: Vec<usize> = if tree.is(n, &[local_name!("table")]) {
            tree.nodes[n].children.clone()
        } else {
            vec![n]
        };
        for part in parts {
            if tree.is(part, &[local_name!("tr")]) {
                if !last_was_row {
                    group += 1;
                }
                last_was_row = true;
                add_row(part, group, &mut rows)?;
                continue;
            }
            last_was_row = false;
            if tree.is(part, ROW_GROUPS) {
                group += 1;
                for &tr in &tree.nodes[part].children {
                    if tree.is(tr, &[local_name!("tr")]) {
                        add_row(tr, group, &mut rows)?;
                    }
                }
            } else if tree.is(part, &[local_name!("caption")]) {
                let caption = cell_text(tree, part);
                if !caption.trim().is_empty() {
                    self.blocks.push(Block::Paragraph(caption));
                }
            }
        }
        let table = expand(&rows, &mut self.slots, &mut self.expanded)?;
        if !table.rows.is_empty() {
            self.blocks.push(Block::Table(table));
        }
        Ok(())
    }
}

/// The full grid of a table by the HTML table model: each cell takes the first free slot of its row and
/// covers `colspan` × `rowspan` slots (a `rowspan` of 0 or past its row group ends with the group); every
/// slot gets the text of the cell covering it. `slots` and `expanded` count, for the page, the grid slots
/// and the bytes copied so far, against [`MAX_SLOTS`] and [`MAX_EXPANDED_BYTES`].
fn expand(rows: &[RowSrc], slots: &mut usize, expanded: &mut usize) -> Result<Table, HtmlError> {
    let too_large = || HtmlError::TooLarge("合并单元格展开后过大");
    // The last row of each row's group.
    let mut group_end = vec![0; rows.len()];
    for r in (0..rows.len()).rev() {
        group_end[r] = match rows.get(r + 1) {
            Some(next) if next.group == rows[r].group => group_end[r + 1],
            _ => r,
        };
    }
    let mut owner: Vec<Vec<Option<usize>>> = vec![Vec::new(); rows.len()];
    let mut origins: Vec<(usize, usize)> = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in &row.cells {
            while owner[r].get(c).is_some_and(Option::is_some) {
                c += 1;
            }
            if c >= MAX_COLUMNS {
                break;
            }
            let cols = cell.colspan.clamp(1, MAX_COLUMNS - c);
            let down = group_end[r] - r + 1;
            let height = if cell.rowspan == 0 {
                down
            } else {
                cell.rowspan.min(down)
            };
            *slots += cols * height;
            if *slots > MAX_SLOTS {
                return Err(too_large());
            }
            let id = texts.len();
            texts.push(&cell.text);
            origins.push((r, c));
            for line in &mut owner[r..r + height] {
                if line.len() < c + cols {
                    line.resize(c + cols, None);
                }
                for slot in &mut line[c..c + cols] {
                    // Overlapping cells (a table model error): the slot stays with the cell that took it.
                    slot.get_or_insert(id);
                }
            }
            c += cols;
        }
    }
    let width = owner.iter().map(Vec::len).max().unwrap_or(0);
    let mut table = Table {
        rows: Vec::with_capacity(rows.len()),
        origin: Vec::with_capacity(rows.len()),
    };
    for (r, line) in owner.iter().enumerate() {
        let mut texts_row = Vec::with_capacity(width);
        let mut origin_row = Vec::with_capacity(width);
        for c in 0..width {
            let slot = line.get(c).copied().flatten();
            let text = slot.map_or("", |id| texts[id]);
            *expanded += text.len() + 1;
            if *expanded > MAX_EXPANDED_BYTES {
                return Err(too_large());
            }
            texts_row.push(text.to_owned());
            origin_row.push(slot.is_some_and(|id| origins[id] == (r, c)));
        }
        table.rows.push(texts_row);
        table.origin.push(origin_row);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::docx::blocks_to_text;

    fn table(blocks: &[Block]) -> &Table {
        blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Paragraph(_) => None,
            })
            .unwrap_or_else(|| panic!("no table in {blocks:?}"))
    }

    fn para(s: &str) -> Block {
        Block::Paragraph(s.to_owned())
    }

    #[test]
    fn rowspan_and_colspan_fill_the_grid() {
        // | A (2×2)   | B |
        // | (A)       | C |
        // | D | E (2 wide) |
        let blocks = read_html(
            "<html><body><table><tr><td rowspan=2 colspan=\"2\">A</td><td>B</td></tr>\
             <tr><td>C</td></tr><tr><td>D</td><td colspan=' 2 '>E</td></tr></table></body></html>",
        )
        .unwrap();
        let t = table(&blocks);
        assert_eq!(t.rows, [["A", "A", "B"], ["A", "A", "C"], ["D", "E", "E"]]);
        assert_eq!(
            t.origin,
            [[true, false, true], [false, false, true], [true, true, false]]
        );
        assert_eq!(blocks_to_text(&blocks), "A\t\tB\n\t\tC\nD\tE\t\n");
    }

    #[test]
    fn rowspan_ends_with_its_row_group_and_zero_means_to_its_end() {
        let blocks = read_html(
            "<table><thead><tr><th rowspan=5>H</th><th>x</th></tr></thead>\
             <tbody><tr><td rowspan=0>L</td><td>1</td></tr><tr><td>2</td></tr></tbody></table>",
        )
        .unwrap();
        assert_eq!(table(&blocks).rows, [["H", "x"], ["L", "1"], ["L", "2"]]);
    }

    #[test]
    fn cell_text_from_nested_paragraphs_spans_and_breaks() {
        let blocks = read_html(
            "<table><tr><td><p class=MsoNormal><span>结果</span><br><span lang=EN-US>维持<o:p></o:p></span></p></td>\
             <td><p><span>本年</span></p><p><font>新收</font></p></td><td>&nbsp;</td><td>\n 7 \n</td></tr></table>",
        )
        .unwrap();
        let t = table(&blocks);
        assert_eq!(t.rows, [["结果\n维持", "本年\n新收", "", "7"]]);
        assert_eq!(blocks_to_text(&blocks), "结果 维持\t本年 新收\t\t7\n");
    }

    #[test]
    fn paragraphs_spaces_and_line_ends_as_a_browser_shows_them() {
        let blocks = read_html(
            "<body><h1>标题</h1><div>当前位置：首页&nbsp;&gt;&nbsp;年报</div>\
             <p class=MsoNormal><span>根据《中华人\n民共和国》（国务院令</span><span lang=EN-US>711</span><span>号\n）</span>\
             <span lang=EN-US>2020</span><span>年\n度 a\n  b</span></p>\
             <p><span>&nbsp;&nbsp;&nbsp;&nbsp;</span><span>缩进的段落</span></p>\
             第一行<br>第二行<ul><li>一</li><li>二</li></ul>尾</body>",
        )
        .unwrap();
        assert_eq!(
            blocks,
            [
                para("标题"),
                para("当前位置：首页 > 年报"),
                para("根据《中华人民共和国》（国务院令711号）2020年度 a b"),
                para("    缩进的段落"),
                para("第一行\n第二行"),
                para("一"),
                para("二"),
                para("尾"),
            ]
        );
    }

    #[test]
    fn entities_are_decoded() {
        let blocks =
            read_html("<p>&lt;a&amp;b&gt; &quot;x&quot; &ldquo;中&rdquo; &#x4E2D;&#20013; &copy &amp</p>").unwrap();
        assert_eq!(blocks, [para("<a&b> \"x\" “中” 中中 © &")]);
    }

    #[test]
    fn script_style_head_and_hidden_parts_are_dropped() {
        let blocks = read_html(
            "<!DOCTYPE html><html><head><title>页面标题</title><style>p{color:red}</style>\
             <script>var s = '<td>x</td>';</script></head><body><script>alert('<p>')</script>\
             <p>正文</p><noscript>请启用脚本</noscript><template><p>模板</p></template><!-- 注释 --></body></html>",
        )
        .unwrap();
        assert_eq!(blocks, [para("正文")]);
    }

    #[test]
    fn rows_without_a_table_are_a_table_and_the_text_keeps_its_lines() {
        let blocks = read_html(
            "某局2021年报告\n一、总体情况\n<tr><td>规章</td><td>1</td></tr>\n<tr><td>规范性文件</td><td>2</td></tr>\n",
        )
        .unwrap();
        assert_eq!(blocks[0], para("某局2021年报告\n一、总体情况"));
        assert_eq!(table(&blocks).rows, [["规章", "1"], ["规范性文件", "2"]]);
        // Cells without their rows, too.
        let blocks = read_html("<td>a</td><td colspan=2>b</td>").unwrap();
        assert_eq!(table(&blocks).rows, [["a", "b", "b"]]);
    }

    #[test]
    fn markup_in_a_text_keeps_the_text_lines_around_a_table() {
        let blocks =
            read_html("标题\n一、总体情况\n<table><tr><td>规章</td><td>0</td></tr></table>\n二、其他\n").unwrap();
        assert_eq!(blocks.len(), 3, "{blocks:?}");
        assert_eq!(blocks[0], para("标题\n一、总体情况"));
        assert_eq!(blocks[2], para("二、其他"));
    }

    #[test]
    fn a_layout_table_is_read_as_the_page_around_its_tables() {
        let blocks = read_html(
            "<html><body><table width=900><tr><td><p>标题</p>\
             <table><tr><td>规章</td><td>1</td></tr></table><p>尾</p></td></tr>\
             <tr><td>页脚</td></tr></table></body></html>",
        )
        .unwrap();
        assert_eq!(blocks.len(), 4, "{blocks:?}");
        assert_eq!(blocks[0], para("标题"));
        assert_eq!(table(&blocks).rows, [["规章", "1"]]);
        assert_eq!(blocks[2..], [para("尾"), para("页脚")]);
    }

    #[test]
    fn hostile_spans_stay_within_the_budget() {
        let blocks =
            read_html("<table><tr><td colspan=100000 rowspan=100000>x</td><td>y</td></tr><tr><td>z</td></tr></table>")
                .unwrap();
        let t = table(&blocks);
        assert_eq!(t.rows.len(), 2, "the rowspan ends with the table");
        assert!(
            t.rows.iter().all(|r| r.len() == MAX_COLUMNS),
            "the colspan is cut at the widest table"
        );
        assert_eq!(t.rows[1][1], "x");
        // Many wide rows: over the page's slots.
        let wide = "<tr><td colspan=999>x</td></tr>".repeat(MAX_SLOTS / MAX_COLUMNS + 1);
        assert_eq!(
            read_html(&format!("<table>{wide}</table>")),
            Err(HtmlError::TooLarge("合并单元格展开后过大"))
        );
    }

    #[test]
    fn huge_and_deep_pages_are_refused() {
        let many = "<p>a".repeat(MAX_NODES / 2 + 1);
        assert_eq!(read_html(&many), Err(HtmlError::TooLarge(TOO_MANY)));
        let deep = format!("{}深", "<div>".repeat(MAX_DEPTH + 10));
        assert_eq!(read_html(&deep), Err(HtmlError::TooLarge(TOO_DEEP)));
        let nested = format!("{}深{}", "<div>".repeat(500), "<table><tr><td>".repeat(100));
        let blocks = read_html(&nested).unwrap();
        assert_eq!(blocks[0], para("深"));
    }

    #[test]
    fn what_looks_like_html() {
        for s in [
            "<td>1</td>",
            "a\n<TABLE border=1>",
            "<p>",
            "<br/>",
            "<!DOCTYPE html>",
            "<tr\n>",
        ] {
            assert!(looks_like_html(s), "{s}");
        }
        for s in [
            "一、总体情况",
            "x<3 and y>2",
            "<b>粗</b>",
            "<then>",
            "规章 | 0 |",
            "<",
            "<t",
        ] {
            assert!(!looks_like_html(s), "{s}");
        }
    }
}
