//! Placing a row's numbers when the line does not say exactly where they go: numbers run together
//! (`898989`), too few numbers (a cell lost in copying), or too many (a stray field). Each case yields
//! candidate value vectors; the table's own relations (row totals, column sums, the balance) pick among them.

use crate::report::{Value, parse_input};
use crate::template::{CellIdx, Op, Relation, Severity, Template, ValueKind};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// At most this many candidates per row: bounds the time on pathological input.
const MAX_CANDIDATES: usize = 20_000;

/// At most this many readings of run-together digits with blank cells per row, fewer blanks first: every
/// candidate is weighed against the relations, and long runs have very many.
const MAX_BLANK_READINGS: usize = 2_000;

/// Why a row has several candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guess {
    /// Digits run together: `token` is what was split.
    Split(String),
    /// Fewer numbers than cells: `have` of `need`.
    Blanks { have: usize, need: usize },
    /// Fewer fields than cells on a line that keeps a blank cell as an empty field: a number was lost (copying
    /// dropped a field), so a cell left out is unknown, not blank. `have` numbers for `need` cells.
    Lost { have: usize, need: usize },
    /// More numbers than cells.
    Window { have: usize, need: usize },
}

/// A row whose values are to be chosen among candidates.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The cells, in column order.
    pub cells: Vec<CellIdx>,
    /// Candidate values, most plausible first.
    pub cands: Vec<Vec<Value>>,
    /// Every reading of the row is among `cands` (else there were too many to list: the row is a doubt).
    pub complete: bool,
    /// Why there are several.
    pub guess: Guess,
    /// Index of its table in the template (doubts of one table are grouped).
    pub table: usize,
    /// The row's name for messages.
    pub name: String,
    /// Its short name, for a doubt naming several rows (`三（六）1`).
    pub short: String,
    /// 1-based input line.
    pub line: usize,
    /// What of the input line a doubt quotes (the row's evidence).
    pub source: String,
}

/// What resolving a pending row decided: a doubt about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The cells concerned (those that differ among equally good readings, or all when none fits).
    pub cells: Vec<CellIdx>,
    /// Some reading fits the row's own relations (then several fit equally well); else none does.
    pub fits: bool,
    /// The reading taken, as written for a message (`73、2、0、（空）`).
    pub read: String,
    /// Up to two other readings that fit as well.
    pub others: Vec<String>,
    /// How many readings fit equally well.
    pub readings: usize,
    /// Every reading of the row was weighed (else there were too many, and every cell is doubted).
    pub complete: bool,
    /// A sum through the row could not be checked (a cell it adds up was not read): readings it would have
    /// ruled out are possible, a published total added up wrong among them.
    pub unchecked: bool,
}

/// What is wrong with a row's numbers, the row named (`「一」的数字连在一起（732000075）`).
fn problem(p: &Pending) -> String {
    match &p.guess {
        Guess::Split(tok) => format!("「{}」的数字连在一起（{tok}）", p.name),
        Guess::Blanks { have, need } => format!("「{}」只有{have}个数字，应有{need}个", p.name),
        Guess::Lost { have, need } => format!(
            "「{}」少了一栏：只有{have}个数字，应有{need}格（空白格也占一栏），缺的一栏不知是哪一格",
            p.name
        ),
        Guess::Window { have, need } => format!("「{}」有{have}个数字，多于应有的{need}个", p.name),
    }
}

/// The reading taken and the others that fit, for a message.
fn readings(o: &Outcome) -> String {
    if o.fits && !o.others.is_empty() {
        format!("暂按「{}」读入，也可能是「{}」", o.read, o.others.join("」或「"))
    } else {
        format!("暂按「{}」读入", o.read)
    }
}

/// The doubt's message for one row.
pub fn message(p: &Pending, o: &Outcome) -> String {
    let what = problem(p);
    if !o.complete {
        format!("{what}，读法太多，未能一一核对，{}，请核对原表", readings(o))
    } else if o.unchecked {
        format!(
            "{what}，{}；表中有的格未能读入，各列合计无法核对这一行，请核对原表",
            readings(o)
        )
    } else if o.fits && o.readings == 1 {
        format!("{what}，{}，留空的格可能有数字，请核对原表", readings(o))
    } else if o.fits {
        format!(
            "{what}，有{}种读法都与表内合计相符，{}，请核对原表",
            o.readings,
            readings(o)
        )
    } else {
        format!("{what}，没有一种读法与表内合计相符，{}，请核对原表", readings(o))
    }
}

/// Whether two rows' doubts are the same problem (one doubt for both): the same kind of damage, in the same
/// table, with readings that fit or with none.
pub fn same_problem(a: (&Pending, &Outcome), b: (&Pending, &Outcome)) -> bool {
    a.0.table == b.0.table
        && std::mem::discriminant(&a.0.guess) == std::mem::discriminant(&b.0.guess)
        && a.1.fits == b.1.fits
        && a.1.complete == b.1.complete
        && (a.1.readings == 1) == (b.1.readings == 1)
        && a.1.unchecked == b.1.unchecked
}

/// The message of one doubt for several rows with the same problem: the rows briefly (short name, line), then
/// row by row what was read and the other possible reading.
pub fn group_message(rows: &[(&Pending, &Outcome)]) -> String {
    let Some(&(first, o)) = rows.first() else {
        return String::new();
    };
    if rows.len() == 1 {
        return message(first, o);
    }
    let names: Vec<String> = rows
        .iter()
        .map(|(p, _)| format!("「{}」（第{}行）", p.short, p.line))
        .collect();
    let what = match first.guess {
        Guess::Split(_) => "的数字连在一起",
        Guess::Blanks { .. } => "的数字少于应有的个数",
        Guess::Lost { .. } => "少了一栏，不知是哪一格",
        Guess::Window { .. } => "的数字多于应有的个数",
    };
    let how = if !o.complete {
        "每行的读法都太多，未能一一核对"
    } else if o.unchecked {
        "表中有的格未能读入，各列合计无法核对这些行"
    } else if o.fits && o.readings == 1 {
        "留空的格可能有数字"
    } else if o.fits {
        "每行都有几种读法与表内合计相符"
    } else {
        "每行都没有一种读法与表内合计相符"
    };
    let each: Vec<String> = rows
        .iter()
        .map(|(p, o)| format!("「{}」{}", p.short, readings(o)))
        .collect();
    format!(
        "{}行{what}：{}；{how}：{}；请核对原表",
        rows.len(),
        names.join("、"),
        each.join("；")
    )
}

/// The most digits a piece may have before its point: a count of 12 digits, and a total of such counts.
const MAX_DIGITS: usize = 14;

/// The longest piece a cell of `kind` can take: its digits and a sign; money, its decimals too.
fn longest(kind: ValueKind) -> usize {
    match kind {
        ValueKind::Count => MAX_DIGITS,
        ValueKind::Signed => MAX_DIGITS + 1,
        ValueKind::Money => MAX_PIECE,
    }
}

/// Parses a piece strictly for a cell of `kind` (no leading zeros, no separators).
fn piece(kind: ValueKind, s: &str) -> Option<Value> {
    let body = if kind == ValueKind::Signed {
        s.strip_prefix('-').unwrap_or(s)
    } else {
        s
    };
    // Money has decimals after a point; any other kind is digits only (a point in it fails the digits).
    let int = if kind == ValueKind::Money {
        body.split('.').next().unwrap_or("")
    } else {
        body
    };
    let ok = !int.is_empty()
        && int.len() <= MAX_DIGITS
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int.len() == 1 || !int.starts_with('0'));
    if !ok {
        return None;
    }
    if kind == ValueKind::Money {
        return parse_input(kind, s).ok();
    }
    // Digits only, at most 14 of them (checked above, fits an i64): no allocation on this hot path.
    let n = int.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    Some(Value::Int(if body.len() < s.len() { -n } else { n }))
}

/// At most this many steps of cutting per row: bounds the time on long runs that cannot be cut.
const MAX_STEPS: usize = 200_000;

/// At most this many steps of cutting for a row no reading of which keeps its total.
const FALLBACK_STEPS: usize = 20_000;

/// The longest piece that can be a value: 14 digits, a sign, a point and decimals, with room to spare.
const MAX_PIECE: usize = 24;

/// The sums that lie within one row (its total, the totals of 四's column groups), by position in the row: a
/// row's digits are cut only into readings that keep them, each sum checked as soon as its last cell is cut (a
/// run of 19 digits into 15 cells has tens of thousands of cuts, a handful keep the three totals).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnSums {
    sums: Vec<OwnSum>,
}

/// One sum within a row: positions of its two sides, and the last of them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OwnSum {
    last: usize,
    lhs: Vec<usize>,
    rhs: Vec<usize>,
}

impl OwnSums {
    /// The equations the table is read against that lie within `cells` (the relations that decide a row's
    /// reading before any column sum is weighed).
    pub fn of(t: &Template, cells: &[CellIdx]) -> Self {
        let at = |c: &CellIdx| cells.iter().position(|x| x == c);
        let sums = t
            .relations
            .iter()
            .filter(|r| is_error_equation(t, r) && within(r, cells))
            .filter_map(|r| {
                let (lhs, rhs): (Vec<usize>, Vec<usize>) = (
                    r.lhs.iter().filter_map(at).collect(),
                    r.rhs.iter().filter_map(at).collect(),
                );
                let last = lhs.iter().chain(&rhs).max().copied()?;
                Some(OwnSum { last, lhs, rhs })
            })
            .collect();
        OwnSums { sums }
    }

    /// The cells `0..n` in runs that no sum crosses, in order.
    fn groups(&self, n: usize) -> Vec<(usize, usize)> {
        let crosses = |k: usize| {
            self.sums.iter().any(|s| {
                let first = s.lhs.iter().chain(&s.rhs).min().copied().unwrap_or(s.last);
                first < k && k <= s.last
            })
        };
        let mut groups = Vec::new();
        let mut from = 0;
        for k in 1..=n {
            if k == n || !crosses(k) {
                groups.push((from, k));
                from = k;
            }
        }
        groups
    }

    /// Whether some sum is other than the total of a row of `n` cells (the last cell, the sum of the others):
    /// that one alone is kept by [`total_cuts`] and [`blank_cuts`] already.
    fn beyond_total(&self, n: usize) -> bool {
        self.sums.iter().any(|s| {
            let all_before = |side: &[usize]| side.len() + 1 == n && (0..n - 1).all(|p| side.contains(&p));
            !(s.last + 1 == n && (s.lhs == [n - 1] && all_before(&s.rhs) || s.rhs == [n - 1] && all_before(&s.lhs)))
        })
    }

    /// Whether the cells `from..to` (a group of [`OwnSums::groups`]) are a block whose last cell is the sum of
    /// all the others, the one sum among them (each of 四's three blocks is).
    fn is_block(&self, (from, to): (usize, usize)) -> bool {
        let Some(total) = to.checked_sub(1).filter(|&t| t > from) else {
            return false;
        };
        let mut inside = self.sums.iter().filter(|s| (from..to).contains(&s.last));
        let (Some(s), None) = (inside.next(), inside.next()) else {
            return false;
        };
        let parts = match (s.lhs.as_slice(), s.rhs.as_slice()) {
            ([t], other) | (other, [t]) if *t == total => other,
            _ => return false,
        };
        let mut parts = parts.to_vec();
        parts.sort_unstable();
        parts.iter().copied().eq(from..total)
    }

    /// The value the cell after `values` must have when it is alone on one side of a sum that ends there: the
    /// other side's sum, when that side holds whole numbers only.
    fn total_at(&self, values: &[Value]) -> Option<i128> {
        let k = values.len();
        self.sums.iter().filter(|s| s.last == k).find_map(|s| {
            let other = match (s.lhs.as_slice(), s.rhs.as_slice()) {
                ([t], other) | (other, [t]) if *t == k && !other.contains(&k) => other,
                _ => return None,
            };
            other.iter().try_fold(0i128, |sum, &p| match values.get(p)? {
                Value::Blank => Some(sum),
                Value::Int(n) => Some(sum + i128::from(*n)),
                Value::Money(_) | Value::Invalid(_) => None,
            })
        })
    }

    /// Whether the sums whose last cell is the last of `values` (the row's cells cut so far) hold.
    fn keep(&self, values: &[Value]) -> bool {
        let Some(last) = values.len().checked_sub(1) else {
            return true;
        };
        self.sums.iter().filter(|s| s.last == last).all(|s| {
            let mut d = Diff::default();
            for (side, sign) in [(&s.lhs, 1), (&s.rhs, -1)] {
                for v in side.iter().filter_map(|&p| values.get(p)) {
                    d.add(v, sign);
                }
            }
            d.is_zero()
        })
    }
}

/// What the pieces still to be cut must add up to, when the reading is to keep a row's total: `exact` for the
/// last token (they must reach it), else they may not pass it. Only for kinds that cannot be negative, so that a
/// longer piece is never smaller.
#[derive(Clone, Copy)]
struct Budget {
    left: Decimal,
    exact: bool,
}

impl Budget {
    /// What is left after `v`, or `None` when `v` passes it.
    fn take(self, v: &Value) -> Option<Decimal> {
        let left = self.left - v.as_decimal();
        (!left.is_sign_negative() || left.is_zero()).then_some(left)
    }

    /// Whether `chars` characters cut into `kinds` pieces can still add up to what is left: no piece longer
    /// than what is left has digits (and a point and four places), and, when they must reach it, what is left
    /// not beyond the most they can make (`k` pieces from `chars` characters are each below 10^(chars−k+1)).
    fn can_fill(self, chars: usize, kinds: &[ValueKind]) -> bool {
        let mut n = self.left.trunc().abs().mantissa();
        let mut digits = 1;
        while n >= 10 {
            n /= 10;
            digits += 1;
        }
        let places = if kinds.contains(&ValueKind::Money) { 5 } else { 0 };
        let k = kinds.len();
        // `left` ≥ 10^(digits−1) ≥ 10·10^(chars−k+1) > k·10^(chars−k+1) when k < 10.
        let unreachable = self.exact && !self.left.is_zero() && k < 10 && digits > chars + 2 - k.min(chars + 1);
        chars <= k * (digits + places) && !unreachable
    }
}

/// Every way to cut `s` into one piece per kind, each a valid value (`steps` counts the work done), within
/// `budget` when given.
fn cuts(
    s: &str,
    kinds: &[ValueKind],
    budget: Option<Budget>,
    acc: &mut Vec<Value>,
    out: &mut Vec<Vec<Value>>,
    steps: &mut usize,
) {
    *steps += 1;
    if out.len() >= MAX_CANDIDATES || *steps > MAX_STEPS || budget.is_some_and(|b| !b.can_fill(s.len(), kinds)) {
        return;
    }
    let Some((&kind, rest_kinds)) = kinds.split_first() else {
        if s.is_empty() {
            out.push(acc.clone());
        }
        return;
    };
    // What the cells after this one can take at most.
    let rest_longest: usize = rest_kinds.iter().map(|&k| longest(k)).sum();
    if s.len() > longest(kind) + rest_longest {
        return;
    }
    if rest_kinds.is_empty() {
        if let Some(v) = piece(kind, s) {
            let fits = budget.is_none_or(|b| b.take(&v).is_some_and(|left| !b.exact || left.is_zero()));
            if fits {
                acc.push(v);
                out.push(acc.clone());
                acc.pop();
            }
        }
        return;
    }
    // Leave at least one char for each remaining piece, and no more than they can take.
    let shortest = s.len().saturating_sub(rest_longest);
    for (end, _) in s.char_indices().skip(1) {
        if s.len() - end < rest_kinds.len() || end > longest(kind) {
            break;
        }
        if end < shortest {
            continue;
        }
        let Some(v) = piece(kind, &s[..end]) else {
            // A count that is not one stays so when longer (`0…`, 13 digits, a letter); others may not (`-`
            // before `-5`, `12.` before `12.5`).
            if kind == ValueKind::Count {
                break;
            }
            continue;
        };
        let rest = match budget {
            None => None,
            // Longer pieces are larger still.
            Some(b) => match b.take(&v) {
                Some(left) => Some(Budget { left, ..b }),
                None => break,
            },
        };
        acc.push(v);
        cuts(&s[end..], rest_kinds, rest, acc, out, steps);
        acc.pop();
    }
}

/// Every way to cut the tokens into one piece per kind, each token into ≥ 1 pieces, in order; when `total` is
/// given, only those whose pieces add up to it.
fn cut_tokens(
    tokens: &[String],
    kinds: &[ValueKind],
    total: Option<Decimal>,
    acc: &mut Vec<Value>,
    out: &mut Vec<Vec<Value>>,
    steps: &mut usize,
) {
    let Some((tok, rest)) = tokens.split_first() else {
        if kinds.is_empty() && total.is_none_or(|t| t.is_zero()) {
            out.push(acc.clone());
        }
        return;
    };
    let budget = total.map(|left| Budget {
        left,
        exact: rest.is_empty(),
    });
    let max = kinds.len().saturating_sub(rest.len());
    for p in 1..=max.min(tok.len()) {
        let mut mine = Vec::new();
        cuts(tok, &kinds[..p], budget, &mut Vec::new(), &mut mine, steps);
        for m in mine {
            if out.len() >= MAX_CANDIDATES {
                return;
            }
            let left = total.map(|t| t - m.iter().map(Value::as_decimal).sum::<Decimal>());
            let n = acc.len();
            acc.extend(m);
            cut_tokens(rest, &kinds[p..], left, acc, out, steps);
            acc.truncate(n);
        }
    }
}

/// The cuts whose last piece is the sum of the others: the total is cut from the end first, and the other
/// pieces may not add up past it. The same cuts as cutting every way and keeping those that keep the total,
/// with a small part of the work (a run of 45 digits into 7 cells has millions of cuts, a few dozen keep it).
fn total_cuts(tokens: &[String], kinds: &[ValueKind], out: &mut Vec<Vec<Value>>, steps: &mut usize) {
    let (Some((last, before)), Some((&total_kind, part_kinds))) = (tokens.split_last(), kinds.split_last()) else {
        return;
    };
    for (start, _) in last.char_indices().rev() {
        let suffix = &last[start..];
        if suffix.len() > longest(total_kind) || out.len() >= MAX_CANDIDATES {
            break;
        }
        let Some(total) = piece(total_kind, suffix) else {
            continue;
        };
        let mut rest = before.to_vec();
        if start > 0 {
            rest.push(last[..start].to_owned());
        }
        let mut found = Vec::new();
        cut_tokens(
            &rest,
            part_kinds,
            Some(total.as_decimal()),
            &mut Vec::new(),
            &mut found,
            steps,
        );
        out.extend(found.into_iter().map(|mut f| {
            f.push(total.clone());
            f
        }));
    }
}

/// Whether a reading can be made to keep a row total by cutting (no cell can be negative).
fn can_keep_total(kinds: &[ValueKind]) -> bool {
    kinds.iter().all(|&k| k != ValueKind::Signed)
}

/// How unbalanced a reading is (the sum of its pieces' squared lengths): pieces of similar length are how
/// tables are usually filled.
fn imbalance(v: &[Value]) -> usize {
    v.iter()
        .map(|x| {
            let l = match x {
                // The length of the digits as written, without writing them (this runs for every reading).
                Value::Int(n) => usize::from(*n < 0) + n.unsigned_abs().checked_ilog10().map_or(1, |d| d as usize + 1),
                other => other.display(ValueKind::Count).len(),
            };
            l * l
        })
        .sum()
}

/// How many cells of 0 a reading has: 0 is the commonest value of these tables, and a 0 digit is more often
/// a cell of its own than the end of a number (`1100011` is 11 0 0 0 11 rather than 1 10 0 0 11).
fn zero_cells(v: &[Value]) -> usize {
    v.iter()
        .filter(|x| matches!(x, Value::Int(0)) || matches!(x, Value::Money(d) if d.is_zero()))
        .count()
}

/// How many `computed` (total) cells a reading leaves blank: publishers rarely leave out the total.
fn blank_totals(v: &[Value], computed: &[bool]) -> usize {
    v.iter().zip(computed).filter(|(x, c)| **c && x.is_blank()).count()
}

/// Candidates for run-together tokens: each token cut into ≥ 1 pieces, `kinds.len()` pieces in all; then,
/// as less plausible, the readings with fewer pieces and the other cells blank (text that lost its cell
/// boundaries lost its blank cells too), fewer blanks first, a blank total last. `row_total`: the row's last
/// cell is the sum of the others. Only readings that keep the row's `own` sums, unless none does. The second
/// value says whether every reading that matters is listed (not cut short by the bounds on work).
pub fn split_candidates(
    tokens: &[String],
    kinds: &[ValueKind],
    computed: &[bool],
    (row_total, own): (bool, &OwnSums),
) -> (Vec<Vec<Value>>, bool) {
    // Separators go; full-width digits and signs become ASCII so that the pieces can be checked.
    let tokens: Vec<String> = tokens
        .iter()
        .map(|t| {
            t.chars()
                .filter(|c| !matches!(c, ',' | '，'))
                .map(|c| match c {
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                    '．' => '.',
                    '－' => '-',
                    c => c,
                })
                .collect()
        })
        .collect();
    if own.beyond_total(kinds.len()) {
        let kept = kept_readings(&tokens, kinds, computed, own);
        // None keeps them (a sum published wrong): every reading, the sums weighed with the others.
        if !kept.0.is_empty() {
            return kept;
        }
    }
    cut_readings(&tokens, kinds, computed, row_total)
}

/// Every reading of tokens made plain (see [`split_candidates`]), a row total aside.
fn cut_readings(tokens: &[String], kinds: &[ValueKind], computed: &[bool], row_total: bool) -> (Vec<Vec<Value>>, bool) {
    let mut out = Vec::new();
    let mut steps = 0;
    let keep_total = row_total && can_keep_total(kinds);
    if keep_total {
        // Only readings that keep the row total are weighed when there is one (see `blank_cuts`).
        total_cuts(tokens, kinds, &mut out, &mut steps);
    } else {
        cut_tokens(tokens, kinds, None, &mut Vec::new(), &mut out, &mut steps);
    }
    let (blanks, blanks_complete) = blank_cuts(tokens, kinds, row_total);
    let mut complete = steps <= MAX_STEPS && out.len() < MAX_CANDIDATES;
    if keep_total && out.is_empty() && blanks.is_empty() {
        // No reading keeps it (a total published wrong, or too many to try): the whole row will be a doubt, and
        // fewer cuts are enough to write the likeliest.
        steps = MAX_STEPS - FALLBACK_STEPS;
        cut_tokens(tokens, kinds, None, &mut Vec::new(), &mut out, &mut steps);
        complete = complete && steps <= MAX_STEPS && out.len() < MAX_CANDIDATES;
    }
    ranked(out, blanks, computed, complete && blanks_complete)
}

/// The readings of tokens made plain that keep the row's `own` sums, for a row with sums other than its total
/// (四's groups): cut cell by cell, each cell blank or the next piece, each sum checked once its last cell is
/// cut, and the cells after a group that no sum crosses cut once for each place in the tokens they start at.
fn kept_readings(tokens: &[String], kinds: &[ValueKind], computed: &[bool], own: &OwnSums) -> (Vec<Vec<Value>>, bool) {
    let mut cut = KeptCut::new(tokens, kinds, own);
    let all = cut.all();
    let complete = cut.steps <= MAX_STEPS && all.len() < MAX_CANDIDATES;
    let (blanks, full): (Vec<Vec<Value>>, Vec<Vec<Value>>) =
        all.into_iter().partition(|v| v.iter().any(Value::is_blank));
    ranked(full, blanks, computed, complete)
}

/// Where a cell-by-cell cut stands in the tokens: the token being cut and the byte of it the next piece starts at.
type Place = (usize, usize);

/// A cell-by-cell cut of a row's tokens (see [`kept_readings`]).
struct KeptCut<'a> {
    tokens: &'a [String],
    kinds: &'a [ValueKind],
    own: &'a OwnSums,
    /// How many characters the cells from each one on can take at most.
    longest_after: Vec<usize>,
    /// How many characters the tokens from each one on have.
    chars_from: Vec<usize>,
    /// The row's cells in runs that no sum crosses.
    groups: Vec<(usize, usize)>,
    /// Whether each group is a block of counts whose last is the sum of the others (cut by [`KeptCut::block`]).
    blocks: Vec<bool>,
    /// The readings of the cells from a group on, by group and place (see [`KeptCut::memo_key`]).
    memo: Vec<Option<Vec<Vec<Value>>>>,
    steps: usize,
}

impl<'a> KeptCut<'a> {
    /// A cut of `tokens` into cells of `kinds` that keeps `own`.
    fn new(tokens: &'a [String], kinds: &'a [ValueKind], own: &'a OwnSums) -> Self {
        let groups = own.groups(kinds.len());
        KeptCut {
            tokens,
            kinds,
            own,
            longest_after: (0..=kinds.len())
                .map(|k| kinds[k..].iter().map(|&kind| longest(kind)).sum())
                .collect(),
            chars_from: (0..=tokens.len())
                .map(|t| tokens[t..].iter().map(String::len).sum())
                .collect(),
            blocks: groups
                .iter()
                .map(|&(from, to)| own.is_block((from, to)) && kinds[from..to].iter().all(|&k| k == ValueKind::Count))
                .collect(),
            memo: vec![None; (groups.len() + 1) * (tokens.iter().map(String::len).sum::<usize>() + 1)],
            groups,
            steps: 0,
        }
    }

    /// Every reading of the cells from group `g` on, from `place` to the end of the tokens.
    fn rest(&mut self, g: usize, place: Place) -> &[Vec<Value>] {
        let key = self.memo_key(g, place);
        if self.memo.get(key).is_some_and(Option::is_none) {
            let all = self.readings_from(g, place);
            if let Some(slot) = self.memo.get_mut(key) {
                *slot = Some(all);
            }
        }
        self.memo.get(key).and_then(Option::as_deref).unwrap_or(&[])
    }

    /// Every reading of the whole row (see [`KeptCut::rest`]).
    fn all(&mut self) -> Vec<Vec<Value>> {
        self.rest(0, (0, 0));
        let key = self.memo_key(0, (0, 0));
        self.memo.get_mut(key).and_then(Option::take).unwrap_or_default()
    }

    /// Where the readings from group `g` and `place` are kept: places are counted in characters from the
    /// start (a piece that ends a token goes on from the next one's start, so each place has one count).
    fn memo_key(&self, g: usize, place: Place) -> usize {
        let chars = self.chars_from.first().copied().unwrap_or(0);
        g * (chars + 1) + (chars - self.chars_after(place))
    }

    /// The readings from group `g` on, from `place`: each of the group's joined to each of the rest's.
    fn readings_from(&mut self, g: usize, place: Place) -> Vec<Vec<Value>> {
        let Some((from, to)) = self.groups.get(g).copied() else {
            return if place.0 == self.tokens.len() {
                vec![Vec::new()]
            } else {
                Vec::new()
            };
        };
        let mut heads = Vec::new();
        if self.blocks.get(g).copied().unwrap_or(false) {
            self.block((from, to), place, &mut heads);
        } else {
            // Cells before the group are read by no sum of it: blanks stand in for them.
            let mut acc = vec![Value::Blank; from];
            self.group(to, place, &mut acc, &mut heads);
        }
        // The rest after each head, in the heads' order (the steps are counted as they go), then joined.
        for (_, next) in &heads {
            self.rest(g + 1, *next);
        }
        let mut all = Vec::new();
        for (head, next) in &heads {
            let tails = self
                .memo
                .get(self.memo_key(g + 1, *next))
                .and_then(Option::as_deref)
                .unwrap_or(&[]);
            for tail in tails {
                if all.len() >= MAX_CANDIDATES {
                    break;
                }
                let mut v = Vec::with_capacity(head.len() + tail.len());
                v.extend_from_slice(head);
                v.extend_from_slice(tail);
                all.push(v);
            }
        }
        all
    }

    /// The readings of the cells from `acc.len()` to `to`, from `place`: each with the place after it.
    fn group(&mut self, to: usize, (tok, at): Place, acc: &mut Vec<Value>, out: &mut Vec<(Vec<Value>, Place)>) {
        self.steps += 1;
        if self.steps > MAX_STEPS || out.len() >= MAX_CANDIDATES {
            return;
        }
        let k = acc.len();
        let Some(cells_left) = self.fits(k, (tok, at)) else {
            return;
        };
        let rest = self.rest_of((tok, at));
        let needed = self.tokens.len().saturating_sub(tok);
        let Some(&kind) = self.kinds.get(k).filter(|_| k < to) else {
            let from = self.groups.iter().find(|g| g.1 == to).map_or(0, |g| g.0);
            out.push((acc[from..].to_vec(), (tok, at)));
            return;
        };
        if cells_left > needed {
            self.step(to, Value::Blank, (tok, at), acc, out);
        }
        // The place after a piece of `end` bytes: the next token when it takes the rest of this one.
        let after = |end: usize| {
            if end == rest.len() {
                (tok + 1, 0)
            } else {
                (tok, at + end)
            }
        };
        if kind == ValueKind::Count
            && let Some(need) = self.own.total_at(acc)
        {
            // A count that is a total can be one piece only, the sum of its parts written out (pieces have no
            // leading zeros): no other length need be tried.
            let text = need.to_string();
            if let Some(v) = rest.strip_prefix(text.as_str()).and_then(|_| piece(kind, &text)) {
                self.step(to, v, after(text.len()), acc, out);
            }
            return;
        }
        let ends = rest
            .char_indices()
            .skip(1)
            .map(|(end, _)| end)
            .chain(std::iter::once(rest.len()));
        for end in ends {
            if end == 0 || end > longest(kind) {
                break;
            }
            let Some(v) = piece(kind, &rest[..end]) else {
                // As in `cuts`: a count that is not one stays so when longer.
                if kind == ValueKind::Count {
                    break;
                }
                continue;
            };
            self.step(to, v, after(end), acc, out);
        }
    }

    /// What is left of the token being cut at `place`.
    fn rest_of(&self, (tok, at): Place) -> &'a str {
        self.tokens.get(tok).map_or("", |t| t.get(at..).unwrap_or(""))
    }

    /// The characters from `place` to the end of the tokens.
    fn chars_after(&self, (tok, at): Place) -> usize {
        self.chars_from.get(tok).map_or(0, |c| c.saturating_sub(at))
    }

    /// Whether the cells from `k` on can take what is left from `place` (no fewer cells than tokens, no more
    /// characters than they can hold): how many cells are left, when they can.
    fn fits(&self, k: usize, place: Place) -> Option<usize> {
        let cells_left = self.kinds.len().checked_sub(k)?;
        let needed = self.tokens.len().saturating_sub(place.0);
        let chars = self.chars_after(place);
        (needed <= cells_left && chars <= self.longest_after.get(k).copied().unwrap_or(0)).then_some(cells_left)
    }

    /// The place after a piece of `len` bytes cut at `place`: the next token when it takes the rest of this one.
    fn after(&self, (tok, at): Place, len: usize) -> Place {
        if at + len >= self.tokens.get(tok).map_or(0, String::len) {
            (tok + 1, 0)
        } else {
            (tok, at + len)
        }
    }

    /// The readings of a block `from..to` whose last cell is the sum of the others (see [`OwnSums::is_block`]),
    /// from `place`: what [`KeptCut::group`] gives, in its order, without its general work at every step (the
    /// sums that end at the cell looked up and added up again, the total written out to be compared): the parts'
    /// sum is carried along, the total compared with the digits in place, and a last part not followed by the
    /// total its sum makes is not gone on from (fewer steps, never more).
    fn block(&mut self, (from, to): (usize, usize), place: Place, out: &mut Vec<(Vec<Value>, Place)>) {
        let mut cells = Vec::with_capacity(to - from);
        self.block_cell((from, to), place, 0, &mut cells, out);
    }

    /// Cell `from + cells.len()` of a block and the cells after it, from `place`; `sum`: the parts so far.
    fn block_cell(
        &mut self,
        (from, to): (usize, usize),
        place: Place,
        sum: i64,
        cells: &mut Vec<Value>,
        out: &mut Vec<(Vec<Value>, Place)>,
    ) {
        self.steps += 1;
        if self.steps > MAX_STEPS || out.len() >= MAX_CANDIDATES {
            return;
        }
        let k = from + cells.len();
        let Some(cells_left) = self.fits(k, place) else {
            return;
        };
        if k == to {
            out.push((cells.clone(), place));
            return;
        }
        let blank_ok = cells_left > self.tokens.len().saturating_sub(place.0);
        let rest = self.rest_of(place).as_bytes();
        let mut next = |cut: &mut Self, v: Value, (len, sum): (usize, i64), cells: &mut Vec<Value>| {
            // A blank takes no characters and stays in place.
            let at = if len == 0 { place } else { cut.after(place, len) };
            cells.push(v);
            cut.block_cell((from, to), at, sum, cells, out);
            cells.pop();
        };
        if k + 1 == to {
            // The total: blank when the parts add up to 0 (a blank is 0), else their sum as written.
            if blank_ok && sum == 0 {
                next(self, Value::Blank, (0, sum), cells);
            }
            if let Some(len) = written_at(sum, self.rest_of(place)) {
                next(self, Value::Int(sum), (len, sum), cells);
            }
            return;
        }
        if blank_ok {
            next(self, Value::Blank, (0, sum), cells);
        }
        // The last part: the total comes right after it, so a piece the total does not follow is not tried.
        let last = k + 2 == to;
        // Each piece a count can be (as `piece` reads them): digits, no leading zero, at most MAX_DIGITS.
        let mut n: i64 = 0;
        for (i, &b) in rest.iter().enumerate().take(MAX_DIGITS) {
            if !b.is_ascii_digit() || i > 0 && rest.first() == Some(&b'0') {
                break;
            }
            n = n * 10 + i64::from(b - b'0');
            let total = sum + n;
            if last && total != 0 && written_at(total, self.rest_of(self.after(place, i + 1))).is_none() {
                continue;
            }
            next(self, Value::Int(n), (i + 1, total), cells);
        }
    }

    /// The next cell read as `v`, and the cut gone on from `next` when the sums that end there hold.
    fn step(&mut self, to: usize, v: Value, next: Place, acc: &mut Vec<Value>, out: &mut Vec<(Vec<Value>, Place)>) {
        acc.push(v);
        if self.own.keep(acc) {
            self.group(to, next, acc, out);
        }
        acc.pop();
    }
}

/// How many bytes `n` takes written out at the start of `s`, when `s` starts with it and it is a count
/// (`piece` reads it back: at most [`MAX_DIGITS`] digits, no leading zero).
fn written_at(n: i64, s: &str) -> Option<usize> {
    let s = s.as_bytes();
    let digits = n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let head = s.get(..digits).filter(|_| n >= 0 && digits <= MAX_DIGITS)?;
    let mut read: i64 = 0;
    for &b in head {
        if !b.is_ascii_digit() {
            return None;
        }
        read = read * 10 + i64::from(b - b'0');
    }
    (read == n).then_some(digits)
}

/// The readings in order: those that fill every cell first, the more even and with more 0 cells first; then
/// those with blanks, fewer blanks first, a blank total last. `complete`: none was cut short.
fn ranked(
    mut out: Vec<Vec<Value>>,
    mut blanks: Vec<Vec<Value>>,
    computed: &[bool],
    complete: bool,
) -> (Vec<Vec<Value>>, bool) {
    out.sort_by_cached_key(|v| (imbalance(v), std::cmp::Reverse(zero_cells(v))));
    let gaps = |v: &Vec<Value>| v.iter().filter(|x| x.is_blank()).count();
    blanks.sort_by_cached_key(|v| {
        (
            blank_totals(v, computed),
            gaps(v),
            imbalance(v),
            std::cmp::Reverse(zero_cells(v)),
        )
    });
    let complete = complete && out.len() + blanks.len() <= MAX_CANDIDATES;
    out.extend(blanks);
    out.truncate(MAX_CANDIDATES);
    (out, complete)
}

/// The kinds of the cells a reading with blanks fills, and whether its total is blank: what its cuts depend on.
type CutKey = (Vec<ValueKind>, bool);

/// The readings of the tokens with fewer pieces than cells, the other cells blank. With `row_total` only those
/// that keep the row's total (a blank as 0): one that breaks it matters only when no reading keeps it, and then
/// every cell of the row is doubted anyway. The second value: not cut short by the bounds on work.
fn blank_cuts(tokens: &[String], kinds: &[ValueKind], row_total: bool) -> (Vec<Vec<Value>>, bool) {
    let n = kinds.len();
    let keeps_total = |pieces: &[Value], total_blank: bool| {
        let sum = |v: &[Value]| v.iter().map(Value::as_decimal).sum::<Decimal>();
        match pieces.split_last() {
            _ if !row_total => true,
            Some(_) if total_blank => sum(pieces).is_zero(),
            Some((last, parts)) => sum(parts) == last.as_decimal(),
            None => true,
        }
    };
    let mut blanks = Vec::new();
    let mut steps = 0;
    let chars: usize = tokens.iter().map(String::len).sum();
    // The cuts for the kinds of the cells left, once per list of kinds and blank total (most rows have one kind).
    let mut memo: Vec<(CutKey, Vec<Vec<Value>>)> = Vec::new();
    let (mut gap, mut filled) = (vec![false; n], Vec::with_capacity(n));
    for gaps in 1..n {
        let pieces = n - gaps;
        if pieces < tokens.len() {
            break;
        }
        if pieces > chars {
            continue;
        }
        let mut subsets = Combinations::new(n, gaps);
        while let Some(at) = subsets.next_subset() {
            if steps > MAX_STEPS || blanks.len() >= MAX_BLANK_READINGS {
                return (blanks, false);
            }
            // Which cells are blank, at a glance: the key and every reading below look at each cell.
            gap.fill(false);
            for &k in at {
                if let Some(g) = gap.get_mut(k) {
                    *g = true;
                }
            }
            filled.clear();
            filled.extend(kinds.iter().zip(&gap).filter(|(_, g)| !**g).map(|(&kind, _)| kind));
            let total_blank = gap.last().copied().unwrap_or(false);
            let k = if let Some(k) = memo.iter().position(|(r, _)| r.0 == filled && r.1 == total_blank) {
                k
            } else {
                let key: CutKey = (filled.clone(), total_blank);
                let mut found = Vec::new();
                if !(row_total && can_keep_total(&key.0)) {
                    cut_tokens(tokens, &key.0, None, &mut Vec::new(), &mut found, &mut steps);
                    found.retain(|f| keeps_total(f, key.1));
                } else if key.1 {
                    // The total blank, the pieces must add up to 0.
                    cut_tokens(
                        tokens,
                        &key.0,
                        Some(Decimal::ZERO),
                        &mut Vec::new(),
                        &mut found,
                        &mut steps,
                    );
                } else {
                    total_cuts(tokens, &key.0, &mut found, &mut steps);
                }
                memo.push((key, found));
                memo.len() - 1
            };
            for f in &memo[k].1 {
                let mut f = f.iter();
                blanks.push(
                    gap.iter()
                        .map(|&blank| {
                            if blank {
                                Value::Blank
                            } else {
                                f.next().cloned().unwrap_or(Value::Blank)
                            }
                        })
                        .collect::<Vec<Value>>(),
                );
            }
        }
    }
    (blanks, steps <= MAX_STEPS)
}

/// The `k`-element subsets of `0..n`, each in increasing order, in lexicographic order: one kept and moved on
/// in place (this runs for every placement of the blanks of a row).
struct Combinations {
    n: usize,
    at: Vec<usize>,
    fresh: bool,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Self {
        Self {
            n,
            at: (0..k).collect(),
            fresh: k <= n,
        }
    }

    /// The next subset, or `None` after the last.
    fn next_subset(&mut self) -> Option<&[usize]> {
        if self.fresh {
            self.fresh = false;
            return Some(&self.at);
        }
        let k = self.at.len();
        if k > self.n {
            return None;
        }
        // The rightmost place that can still move right, moved, and the places after it packed behind it.
        let i = (0..k).rev().find(|&i| self.at[i] < self.n - k + i)?;
        self.at[i] += 1;
        for j in i + 1..k {
            self.at[j] = self.at[j - 1] + 1;
        }
        Some(&self.at)
    }
}

/// Candidates with `have` values placed in order among `kinds.len()` cells, the others blank; values
/// leftmost first (so a lost cell is taken to be on the right), but a blank in a `computed` (total) cell
/// last: publishers rarely leave out the total.
/// The second value says whether every reading is listed.
pub fn blank_candidates(values: &[String], kinds: &[ValueKind], computed: &[bool]) -> (Vec<Vec<Value>>, bool) {
    let mut reads = ValueReads {
        values,
        kinds,
        cache: vec![Read::NotYet; values.len() * kinds.len()],
    };
    let mut out = Vec::new();
    placements(0, &mut reads, &mut Vec::new(), &mut out);
    out.sort_by_key(|c| blank_totals(c, computed));
    let complete = out.len() < MAX_CANDIDATES;
    (out, complete)
}

/// The values of a row read for the cells they may go in, each value for each cell once (it is placed there
/// by many placements of the values before it).
struct ValueReads<'a> {
    values: &'a [String],
    kinds: &'a [ValueKind],
    /// By value and cell.
    cache: Vec<Read>,
}

/// A value read for a cell, or not yet.
#[derive(Clone)]
enum Read {
    NotYet,
    As(Value),
    /// Not a value of the cell's kind.
    NotOfKind,
}

impl ValueReads<'_> {
    /// Value `i` read for cell `cell`.
    fn read(&mut self, i: usize, cell: usize) -> Option<Value> {
        let (Some(v), Some(&kind)) = (self.values.get(i), self.kinds.get(cell)) else {
            return None;
        };
        let slot = self.cache.get_mut(i * self.kinds.len() + cell)?;
        if matches!(slot, Read::NotYet) {
            *slot = parse_input(kind, v).map_or(Read::NotOfKind, Read::As);
        }
        match slot {
            Read::As(x) => Some(x.clone()),
            Read::NotYet | Read::NotOfKind => None,
        }
    }
}

/// The placements of values `i..` in the cells from `acc.len()` on, in order, the cells between blank (see
/// [`blank_candidates`]).
fn placements(i: usize, reads: &mut ValueReads, acc: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    if out.len() >= MAX_CANDIDATES {
        return;
    }
    let n = reads.kinds.len();
    let values_left = reads.values.len().saturating_sub(i);
    if values_left == 0 {
        let mut full = acc.clone();
        full.resize(n.max(acc.len()), Value::Blank);
        out.push(full);
        return;
    }
    let cells_left = n.saturating_sub(acc.len());
    for skip in 0..=cells_left.saturating_sub(values_left) {
        let Some(x) = reads.read(i, acc.len() + skip) else {
            continue;
        };
        let m = acc.len();
        acc.extend(std::iter::repeat_n(Value::Blank, skip));
        acc.push(x);
        placements(i + 1, reads, acc, out);
        acc.truncate(m);
    }
}

/// Whether `r` is an equation of an error rule: the relations a published table is read against.
pub(super) fn is_error_equation(t: &Template, r: &Relation) -> bool {
    r.op == Op::Eq && t.rules.get(r.rule).is_some_and(|rule| rule.severity == Severity::Error)
}

/// Whether the last of a row's cells is the sum of the others, by an equation the table is read against.
pub(super) fn has_row_total(t: &Template, cells: &[CellIdx]) -> bool {
    let Some((last, parts)) = cells.split_last() else {
        return false;
    };
    let same = |a: &[CellIdx], b: &[CellIdx]| a.len() == b.len() && a.iter().all(|c| b.contains(c));
    t.relations.iter().any(|r| {
        is_error_equation(t, r) && (r.lhs == [*last] && same(r.rhs, parts) || r.rhs == [*last] && same(r.lhs, parts))
    })
}

/// The error relations of the template (`=` relations of error rules) that touch each cell.
fn relations_of(t: &Template, cells: &[CellIdx]) -> Vec<usize> {
    t.relations
        .iter()
        .enumerate()
        .filter(|(_, r)| is_error_equation(t, r) && r.lhs.iter().chain(r.rhs).any(|c| cells.contains(c)))
        .map(|(i, _)| i)
        .collect()
}

/// How many of `rels` the values break (blank counts as 0): first those within the row itself (its total),
/// then those reaching other rows (column sums, the balance). A relation whose cells outside `own` are all
/// blank says nothing yet (a row or table not published) and is left out.
fn violations(t: &Template, rels: &[usize], own: &[CellIdx], values: &[Value]) -> (usize, usize) {
    let mut out = (0, 0);
    for &r in rels {
        let rel = &t.relations[r];
        if informative(rel, own, values) && !holds(rel, values) {
            if within(rel, own) {
                out.0 += 1;
            } else {
                out.1 += 1;
            }
        }
    }
    out
}

/// Whether every cell of `rel` is one of `own`: the row's own total, not a sum reaching other rows.
fn within(rel: &Relation, own: &[CellIdx]) -> bool {
    within_by(rel, |c| own.contains(c))
}

/// [`within`], the cells `own` told by `mine`.
fn within_by(rel: &Relation, mine: impl Fn(&CellIdx) -> bool) -> bool {
    rel.lhs.iter().chain(rel.rhs).all(mine)
}

/// Whether the two sides of `rel` add up the same.
fn holds(rel: &Relation, values: &[Value]) -> bool {
    relation_diff(rel, values).is_zero()
}

/// The left side of `rel` less its right side over `values`.
fn relation_diff(rel: &Relation, values: &[Value]) -> Diff {
    let mut d = Diff::default();
    for (cells, sign) in sides(rel) {
        for v in cells.iter().filter_map(|&c| values.get(c)) {
            d.add(v, sign);
        }
    }
    d
}

/// A relation's two sides with the sign each adds with.
fn sides(rel: &Relation) -> [(&[CellIdx], i8); 2] {
    [(rel.lhs, 1), (rel.rhs, -1)]
}

/// The left side of a relation less its right side, blank counted as 0. Integers add as i128 (this runs for
/// every reading of every row); money, rare here, as decimals.
#[derive(Clone, Copy, Debug, Default)]
struct Diff {
    int: i128,
    dec: Decimal,
}

impl Diff {
    fn add(&mut self, v: &Value, sign: i8) {
        match v {
            Value::Blank | Value::Invalid(_) => {}
            Value::Int(n) => self.int += i128::from(sign) * i128::from(*n),
            Value::Money(d) if sign < 0 => self.dec -= d,
            Value::Money(d) => self.dec += d,
        }
    }

    #[inline]
    fn plus(self, o: Diff) -> Diff {
        Diff {
            int: self.int + o.int,
            // Most parts hold no money: a decimal addition costs more than all the rest.
            dec: if o.dec.is_zero() { self.dec } else { self.dec + o.dec },
        }
    }

    fn minus(self, o: Diff) -> Diff {
        Diff {
            int: self.int - o.int,
            // As in `plus`: no decimal subtraction for a part without money.
            dec: if o.dec.is_zero() { self.dec } else { self.dec - o.dec },
        }
    }

    #[inline]
    fn is_zero(self) -> bool {
        if self.dec.is_zero() {
            self.int == 0
        } else {
            // An integer part beyond a decimal's range is not cancelled by any money: not zero.
            Decimal::try_from_i128_with_scale(self.int, 0).is_ok_and(|i| (i + self.dec).is_zero())
        }
    }
}

/// Each reading's part of each relation of its row (`parts[row][reading][k]` for relation `rels[row][k]`),
/// added up once for all the pairs of rows it is weighed in.
fn reading_parts(t: &Template, pending: &[Pending], rels: &[Vec<usize>]) -> Vec<Vec<Vec<Diff>>> {
    pending
        .iter()
        .zip(rels)
        .map(|(p, rels)| {
            // Per relation, where its cells are in the row and with which sign: the same for every reading.
            let places: Vec<Vec<(usize, i8)>> = rels
                .iter()
                .map(|&r| {
                    sides(&t.relations[r])
                        .into_iter()
                        .flat_map(|(cells, sign)| {
                            p.cells
                                .iter()
                                .enumerate()
                                .filter(|(_, c)| cells.contains(c))
                                .map(move |(k, _)| (k, sign))
                        })
                        .collect()
                })
                .collect();
            p.cands
                .iter()
                .map(|cand| {
                    places
                        .iter()
                        .map(|at| {
                            let mut d = Diff::default();
                            for v in at.iter().filter_map(|&(k, sign)| Some((cand.get(k)?, sign))) {
                                d.add(v.0, v.1);
                            }
                            d
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// What each relation of the rows reaches, counted once for all the pairs of rows weighed for the doubts (the
/// cells do not change meanwhile): whether a relation lies within two rows and whether one of its other cells
/// is published ([`informative`]) follow from counts, not from a look at every cell of it for every pair.
struct Reach<'a> {
    t: &'a Template,
    values: &'a [Value],
    pending: &'a [Pending],
    /// Per relation of the template: how many cells it adds up (a cell named twice counts twice), and how many
    /// of them are not blank.
    cells: Vec<(usize, usize)>,
    /// Per row, per relation of the row (as in its `rels`): the same counts for the row's cells.
    rows: Vec<Vec<(usize, usize)>>,
    /// No cell is in two rows: the cells two rows leave of a relation are its cells less each row's (else
    /// each relation is looked at cell by cell).
    disjoint: bool,
}

impl<'a> Reach<'a> {
    fn new(t: &'a Template, values: &'a [Value], pending: &'a [Pending], rels: &[Vec<usize>]) -> Self {
        let filled = |c: &CellIdx| values.get(*c).is_some_and(|v| !v.is_blank());
        let count = |rel: &Relation, mine: &dyn Fn(&CellIdx) -> bool| {
            rel.lhs
                .iter()
                .chain(rel.rhs)
                .filter(|c| mine(c))
                .fold((0, 0), |(n, f), c| (n + 1, f + usize::from(filled(c))))
        };
        let mut owned = vec![false; values.len()];
        let mut disjoint = true;
        for &c in pending.iter().flat_map(|p| &p.cells) {
            match owned.get_mut(c) {
                Some(seen) if !*seen => *seen = true,
                _ => disjoint = false,
            }
        }
        Reach {
            t,
            values,
            pending,
            cells: t.relations.iter().map(|rel| count(rel, &|_| true)).collect(),
            rows: pending
                .iter()
                .zip(rels)
                .map(|(p, rels)| {
                    rels.iter()
                        .map(|&r| count(&t.relations[r], &|c| p.cells.contains(c)))
                        .collect()
                })
                .collect(),
            disjoint,
        }
    }

    /// For relation `r`, at place `ki` among the relations of row `i` and `kj` among those of row `j` (`None`:
    /// it adds up none of that row's cells): `None` when it is not [`informative`] about the two rows, else
    /// whether it lies within them.
    fn kept(&self, r: usize, (i, ki): (usize, Option<usize>), (j, kj): (usize, Option<usize>)) -> Option<bool> {
        if !self.disjoint {
            let rel = self.t.relations.get(r)?;
            let mine = |c: &CellIdx| self.pending[i].cells.contains(c) || self.pending[j].cells.contains(c);
            return informative_by(rel, mine, self.values).then(|| within_by(rel, mine));
        }
        let of = |row: usize, k: Option<usize>| k.and_then(|k| self.rows.get(row)?.get(k).copied()).unwrap_or((0, 0));
        let (cells, published) = self.cells.get(r).copied().unwrap_or((0, 0));
        let ((cells_i, published_i), (cells_j, published_j)) = (of(i, ki), of(j, kj));
        if cells <= cells_i + cells_j {
            Some(true)
        } else if published > published_i + published_j {
            Some(false)
        } else {
            None
        }
    }
}

/// A relation of two rows weighed together: whether it lies within them, its sum without the two rows (the
/// other cells as they are), and where it is among the relations of each row.
struct Kept {
    inside: bool,
    base: Diff,
    at: Places,
}

impl Kept {
    /// The relation's sum with `x`, the first row's part, and `y`, the second's (`None`: no part).
    #[inline]
    fn sum(&self, x: Option<&Diff>, y: Option<&Diff>) -> Diff {
        x.copied()
            .unwrap_or_default()
            .plus(self.base)
            .plus(y.copied().unwrap_or_default())
    }

    /// Whether the relation holds with `x` and `y` (see [`Kept::sum`]). Most relations hold no money: their
    /// integers alone are added then (this runs for every pair of readings).
    #[inline]
    fn holds(&self, x: Option<&Diff>, y: Option<&Diff>) -> bool {
        let no_money = |d: Option<&Diff>| d.is_none_or(|d| d.dec.is_zero());
        if self.base.dec.is_zero() && no_money(x) && no_money(y) {
            let int = |d: Option<&Diff>| d.map_or(0, |d| d.int);
            return int(x) + self.base.int + int(y) == 0;
        }
        self.sum(x, y).is_zero()
    }
}

/// The relations of rows `i` and `j` (or `i` alone), each once, that `keep` keeps (it says whether a relation,
/// with its places among the relations of each row, is [`informative`] about the rows, and then whether it
/// lies within them), with their sums without the two rows as they are read with `choice`.
fn kept_relations(
    Rows {
        pending: _,
        rels,
        parts,
        sums,
    }: Rows<'_>,
    (i, j): (usize, Option<usize>),
    choice: &[usize],
    keep: impl Fn(usize, Places) -> Option<bool>,
) -> Vec<Kept> {
    let no_rels: &[usize] = &[];
    let rels_j = j.map_or(no_rels, |j| &rels[j]);
    let both = rels[i]
        .iter()
        .enumerate()
        .map(|(ki, &r)| (r, (Some(ki), rels_j.iter().position(|&x| x == r))))
        .chain(
            rels_j
                .iter()
                .enumerate()
                .filter(|(_, r)| !rels[i].contains(r))
                .map(|(kj, &r)| (r, (None, Some(kj)))),
        );
    let mut kept = Vec::new();
    for (r, at) in both {
        let Some(inside) = keep(r, at) else {
            continue;
        };
        let mut base = sums.get(r).copied().unwrap_or_default();
        for (row, k) in [(Some(i), at.0), (j, at.1)] {
            if let Some(part) = row.zip(k).and_then(|(row, k)| parts[row].get(choice[row])?.get(k)) {
                base = base.minus(*part);
            }
        }
        kept.push(Kept { inside, base, at });
    }
    kept
}

/// One more broken relation, within the rows or beyond them.
fn count_broken((within, beyond): (usize, usize), inside: bool) -> (usize, usize) {
    if inside {
        (within + 1, beyond)
    } else {
        (within, beyond + 1)
    }
}

/// The relations of two rows weighed for each pair of their readings, every other cell as it is: counts what
/// [`violations`] counts without adding up every cell again for every pair of readings (rows of one table
/// share their column sums, and a table has hundreds of pairs of rows).
struct PairWeights<'a> {
    /// The relations kept (the [`informative`] ones).
    kept: Vec<Kept>,
    /// Each reading's parts of its row's relations ([`reading_parts`]), the first row's and the second's.
    first: &'a [Vec<Diff>],
    second: &'a [Vec<Diff>],
}

impl<'a> PairWeights<'a> {
    /// Rows `i` and `j` (or `i` alone) as `values` has them, read with their `choice`; `parts` from
    /// [`reading_parts`].
    fn new(t: &Template, values: &[Value], rows: Rows<'a>, (i, j): (usize, Option<usize>), choice: &[usize]) -> Self {
        let no_row: &[CellIdx] = &[];
        // Whether a cell is one of the two rows', at a glance: the relations below test every cell they add up.
        let mut in_own = vec![false; values.len()];
        for &c in rows.pending[i]
            .cells
            .iter()
            .chain(j.map_or(no_row, |j| &rows.pending[j].cells))
        {
            if let Some(slot) = in_own.get_mut(c) {
                *slot = true;
            }
        }
        let mine = |c: &CellIdx| in_own.get(*c).copied().unwrap_or(false);
        let kept = kept_relations(rows, (i, j), choice, |r, _| {
            let rel = &t.relations[r];
            informative_by(rel, mine, values).then(|| within_by(rel, mine))
        });
        Self::of(rows, (i, j), kept)
    }

    /// [`PairWeights::new`] for rows `i` and `j` whose relations `reach` has counted.
    fn reached(rows: Rows<'a>, reach: &Reach, (i, j): (usize, usize), choice: &[usize]) -> Self {
        let kept = kept_relations(rows, (i, Some(j)), choice, |r, (ki, kj)| {
            reach.kept(r, (i, ki), (j, kj))
        });
        Self::of(rows, (i, Some(j)), kept)
    }

    fn of(rows: Rows<'a>, (i, j): (usize, Option<usize>), kept: Vec<Kept>) -> Self {
        PairWeights {
            kept,
            first: &rows.parts[i],
            second: j.map_or(&[], |j| &rows.parts[j]),
        }
    }

    /// The relations reading `a` of a row weighed alone breaks: within the row, beyond it.
    fn alone(&self, a: usize) -> (usize, usize) {
        let Some(x) = self.first.get(a) else {
            return (usize::MAX, usize::MAX);
        };
        self.kept
            .iter()
            .filter(|k| !k.holds(k.at.0.and_then(|ka| x.get(ka)), None))
            .fold((0, 0), |n, k| count_broken(n, k.inside))
    }

    /// The relations reading `a` of the first row and `b` of the second break: within the rows, beyond them.
    fn violations(&self, a: usize, b: usize) -> (usize, usize) {
        let (Some(x), Some(y)) = (self.first.get(a), self.second.get(b)) else {
            return (usize::MAX, usize::MAX);
        };
        self.broken(x, y, |_| true)
    }

    /// The relations among those `which` takes that readings with parts `x` (first row) and `y` (second) break.
    fn broken(&self, x: &[Diff], y: &[Diff], which: impl Fn(&Places) -> bool) -> (usize, usize) {
        self.kept
            .iter()
            .filter(|k| which(&k.at))
            .filter(|k| !k.holds(k.at.0.and_then(|ka| x.get(ka)), k.at.1.and_then(|kb| y.get(kb))))
            .fold((0, 0), |n, k| count_broken(n, k.inside))
    }

    /// For each pair of readings (`a`, `b`) of the two rows other than those `skip` leaves out, whether they
    /// break no more relations than `bound` (compared as [`violations`] counts are: within the rows first):
    /// `found` is called with each pair that does. The relations of one row alone are weighed once per reading
    /// of that row; a reading that breaks more of those alone than `bound` allows is in no such pair.
    fn within_bound(
        &self,
        bound: (usize, usize),
        skip: impl Fn(usize, usize) -> bool,
        mut found: impl FnMut(usize, usize),
    ) {
        let none: &[Diff] = &[];
        let only_first: Vec<(usize, usize)> = self
            .first
            .iter()
            .map(|x| self.broken(x, none, |at| at.1.is_none()))
            .collect();
        let only_second: Vec<(usize, usize)> = self
            .second
            .iter()
            .map(|y| self.broken(none, y, |at| at.0.is_none()))
            .collect();
        let shared: Vec<&Kept> = self
            .kept
            .iter()
            .filter(|k| k.at.0.is_some() && k.at.1.is_some())
            .collect();
        for (a, (x, &alone_a)) in self.first.iter().zip(&only_first).enumerate() {
            // Counts only grow as relations are added: a reading over the bound alone stays over it.
            if alone_a > bound {
                continue;
            }
            for (b, (y, &alone_b)) in self.second.iter().zip(&only_second).enumerate() {
                let mut n = (alone_a.0 + alone_b.0, alone_a.1 + alone_b.1);
                if n > bound || skip(a, b) {
                    continue;
                }
                // The relations of both rows, stopping once the count is over the bound.
                let fits = shared.iter().all(|k| {
                    if !k.holds(k.at.0.and_then(|ka| x.get(ka)), k.at.1.and_then(|kb| y.get(kb))) {
                        n = count_broken(n, k.inside);
                    }
                    n <= bound
                });
                if fits {
                    found(a, b);
                }
            }
        }
    }
}

/// Whether a relation says something about the cells `own`: it lies within them (their total), or one of its
/// other cells is published (a relation whose other cells are all blank is a row or table not published).
fn informative(rel: &Relation, own: &[CellIdx], values: &[Value]) -> bool {
    informative_by(rel, |c| own.contains(c), values)
}

/// [`informative`], the cells `own` told by `mine`.
fn informative_by(rel: &Relation, mine: impl Fn(&CellIdx) -> bool, values: &[Value]) -> bool {
    let mut outside = rel.lhs.iter().chain(rel.rhs).filter(|c| !mine(c)).peekable();
    outside.peek().is_none() || outside.any(|&c| values.get(c).is_some_and(|v| !v.is_blank()))
}

/// Writes a candidate into the values.
fn put(values: &mut [Value], cells: &[CellIdx], cand: &[Value]) {
    for (&c, v) in cells.iter().zip(cand) {
        if let Some(slot) = values.get_mut(c) {
            slot.clone_from(v);
        }
    }
}

/// A candidate written for a message: `73、2、0、（空）`.
fn show(cand: &[Value], kinds: &[ValueKind]) -> String {
    cand.iter()
        .zip(kinds)
        .map(|(v, &k)| {
            if v.is_blank() {
                "（空）".to_owned()
            } else {
                v.display(k)
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The rows still to read, the relations of each, and each reading's part of them ([`reading_parts`]).
#[derive(Clone, Copy)]
struct Rows<'a> {
    pending: &'a [Pending],
    rels: &'a [Vec<usize>],
    parts: &'a [Vec<Vec<Diff>>],
    /// Each relation of the template added up over the cells as they are ([`relation_sums`]).
    sums: &'a [Diff],
}

/// Each relation of the template added up (left side minus right side) over `values`: a pair of rows is
/// weighed from these, less the two rows' parts, instead of adding up every cell again for every pair.
fn relation_sums(t: &Template, values: &[Value]) -> Vec<Diff> {
    t.relations.iter().map(|rel| relation_diff(rel, values)).collect()
}

/// Row `i` read with its reading `to` instead of `from`: its relations' sums follow.
fn move_row(sums: &mut [Diff], (rels, parts): (&[usize], &[Vec<Diff>]), from: usize, to: usize) {
    let (Some(old), Some(new)) = (parts.get(from), parts.get(to)) else {
        return;
    };
    for ((&r, a), b) in rels.iter().zip(old).zip(new) {
        if let Some(sum) = sums.get_mut(r) {
            *sum = sum.minus(*a).plus(*b);
        }
    }
}

/// Where a relation sits among the relations of the first and of the second row of a pair.
type Places = (Option<usize>, Option<usize>);

/// Most rows and candidates per row for which pairs of rows are tried together.
const PAIR_ROWS: usize = 24;
const PAIR_CANDIDATES: usize = 16;

/// Two rows read wrong together (each alone fits its own total either way, and changing one alone leaves the
/// column sums as wrong as before) are set right only together: tries every pair of choices of every two rows.
fn pair_moves(
    t: &Template,
    values: &mut [Value],
    Rows {
        pending,
        rels,
        parts,
        sums,
    }: Rows<'_>,
    choice: &mut [usize],
) {
    let mut sums = sums.to_vec();
    let open: Vec<usize> = (0..pending.len())
        .filter(|&i| (2..=PAIR_CANDIDATES).contains(&pending[i].cands.len()))
        .collect();
    if open.len() > PAIR_ROWS {
        return;
    }
    // The relations the current choice breaks: a pair of rows none of whose relations is broken cannot do
    // better (kept up to date as moves change the choice).
    let broken = |sums: &[Diff]| -> HashSet<usize> {
        open.iter()
            .flat_map(|&i| rels[i].iter().copied())
            .filter(|&r| sums.get(r).is_some_and(|d| !d.is_zero()))
            .collect()
    };
    let mut broken_now = broken(&sums);
    for (a, &i) in open.iter().enumerate() {
        for &j in &open[a + 1..] {
            // Rows with no relation in common are weighed apart: the passes of `settle` chose each.
            if !rels[i].iter().any(|r| rels[j].contains(r)) {
                continue;
            }
            if !rels[i].iter().chain(&rels[j]).any(|r| broken_now.contains(r)) {
                continue;
            }
            let rows = Rows {
                pending,
                rels,
                parts,
                sums: &sums,
            };
            let weights = PairWeights::new(t, values, rows, (i, Some(j)), choice);
            let score = |a: usize, b: usize| {
                let v = weights.violations(a, b);
                v.0.saturating_add(v.1)
            };
            let mut best = (score(choice[i], choice[j]), choice[i], choice[j]);
            for ci in 0..pending[i].cands.len() {
                for cj in 0..pending[j].cands.len() {
                    let s = score(ci, cj);
                    if s < best.0 {
                        best = (s, ci, cj);
                    }
                }
            }
            if (best.1, best.2) != (choice[i], choice[j]) {
                move_row(&mut sums, (&rels[i], &parts[i]), choice[i], best.1);
                move_row(&mut sums, (&rels[j], &parts[j]), choice[j], best.2);
                choice[i] = best.1;
                choice[j] = best.2;
                put(values, &pending[i].cells, &pending[i].cands[best.1]);
                put(values, &pending[j].cells, &pending[j].cands[best.2]);
                broken_now = broken(&sums);
            }
        }
    }
}

/// Chooses among the candidates of every pending row, using the relations with all other cells as they are;
/// writes the choice into `values` and says where a doubt remains.
///
/// `unread` are cells whose text could not be read (left blank): a relation through one of them says nothing,
/// for a reading that fits it as if the cell were blank is as likely wrong as right.
pub fn resolve(t: &Template, values: &mut [Value], pending: &[Pending], unread: &[CellIdx]) -> Vec<Option<Outcome>> {
    // Per row: the relations it is read against, and whether one was left out for a cell not read.
    let (rels, dropped): (Vec<Vec<usize>>, Vec<bool>) = pending
        .iter()
        .map(|p| {
            let mut rels = relations_of(t, &p.cells);
            let all = rels.len();
            rels.retain(|&r| {
                !t.relations[r]
                    .lhs
                    .iter()
                    .chain(t.relations[r].rhs)
                    .any(|c| unread.contains(c))
            });
            let dropped = rels.len() < all;
            (rels, dropped)
        })
        .unzip();
    let pending = prune_by_own_total(t, values, pending, &rels);
    // Each reading's part of each relation of its row, added up once for the choice and for the doubts.
    let parts = &reading_parts(t, &pending, &rels);
    let choice = settle(t, values, (&pending, &rels), parts);
    // The relations' sums with every row read as chosen: a reading weighed for the doubts is weighed from these.
    let sums = &relation_sums(t, values);
    let joint = joint_alternatives(t, values, (&pending, &rels), (parts, sums), &choice);
    pending
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let o = outcome(t, values, (p, &rels[i], &parts[i]), sums, choice[i], &joint[i]);
            if dropped[i] { unchecked(t, values, p, o) } else { o }
        })
        .collect()
}

/// The outcome of a row some of whose sums could not be checked (they add up a cell that was not read): the
/// sums left may have chosen a reading the others would rule out, so every cell that any reading keeping the
/// row's own relations reads differently is doubtful. Digits run together were cut only in the ways that keep
/// the row's own total, and a total published wrong is kept by another cut just as well: every cell.
fn unchecked(t: &Template, values: &[Value], p: &Pending, said: Option<Outcome>) -> Option<Outcome> {
    let split = matches!(p.guess, Guess::Split(_));
    let varies: Vec<CellIdx> = p
        .cells
        .iter()
        .enumerate()
        .filter(|&(k, c)| split || p.cands.iter().any(|cand| cand.get(k) != values.get(*c)))
        .map(|(_, &c)| c)
        .collect();
    if varies.is_empty() {
        return said;
    }
    let mut o = said.unwrap_or_else(|| as_read(t, values, p));
    o.unchecked = true;
    o.cells = p
        .cells
        .iter()
        .copied()
        .filter(|c| o.cells.contains(c) || varies.contains(c))
        .collect();
    Some(o)
}

/// Readings of two rows at once that fit as well as the readings chosen, though neither fits alone with the
/// other row as chosen (the 3 of two rows in the same column, whichever it is, keeps a column sum): for each
/// row, the candidates that take part in one. Bounded as [`pair_moves`] is.
fn joint_alternatives(
    t: &Template,
    values: &[Value],
    (pending, rels): (&[Pending], &[Vec<usize>]),
    (parts, sums): (&[Vec<Vec<Diff>>], &[Diff]),
    choice: &[usize],
) -> Vec<Vec<usize>> {
    // Per row, per reading: whether it takes part in a pair that fits as well; and whether it is the reading
    // chosen (another candidate equal to it is no other reading).
    let mut alts: Vec<Vec<bool>> = pending.iter().map(|p| vec![false; p.cands.len()]).collect();
    let same: Vec<Vec<bool>> = pending
        .iter()
        .zip(choice)
        .map(|(p, &c)| p.cands.iter().map(|x| p.cands.get(c) == Some(x)).collect())
        .collect();
    let open: Vec<usize> = (0..pending.len())
        .filter(|&i| (2..=PAIR_CANDIDATES).contains(&pending[i].cands.len()))
        .collect();
    if open.len() <= PAIR_ROWS {
        let reach = Reach::new(t, values, pending, rels);
        for (a, &i) in open.iter().enumerate() {
            for &j in &open[a + 1..] {
                if !rels[i].iter().any(|r| rels[j].contains(r)) {
                    continue;
                }
                // Nothing left to learn from this pair: every other reading of both rows is known to take part in
                // a pair already, or one of the rows has no other reading.
                let unknown = |row: usize| (0..pending[row].cands.len()).any(|c| !same[row][c] && !alts[row][c]);
                if !unknown(i) && !unknown(j) || same[i].iter().all(|&x| x) || same[j].iter().all(|&x| x) {
                    continue;
                }
                let rows = Rows {
                    pending,
                    rels,
                    parts,
                    sums,
                };
                let weights = PairWeights::reached(rows, &reach, (i, j), choice);
                let chosen = weights.violations(choice[i], choice[j]);
                // A pair both of whose readings are known to take part in one already teaches nothing.
                let skip = |a: usize, b: usize| same[i][a] || same[j][b] || alts[i][a] && alts[j][b];
                let mut fits: Vec<(usize, usize)> = Vec::new();
                weights.within_bound(chosen, skip, |a, b| fits.push((a, b)));
                for (a, b) in fits {
                    alts[i][a] = true;
                    alts[j][b] = true;
                }
            }
        }
    }
    alts.iter()
        .map(|a| a.iter().enumerate().filter(|(_, on)| **on).map(|(k, _)| k).collect())
        .collect()
}

/// The row's own relations (its total) do not depend on other rows: keep only the candidates that break the
/// fewest of them before weighing the column relations (the same choice, far less work).
fn prune_by_own_total(t: &Template, values: &[Value], pending: &[Pending], rels: &[Vec<usize>]) -> Vec<Pending> {
    // One copy of the cells for all rows: a row's own relations read only its own cells.
    let mut scratch = values.to_vec();
    pending
        .iter()
        .zip(rels)
        .map(|(p, rels)| {
            let local: Vec<usize> = rels
                .iter()
                .copied()
                .filter(|&r| within(&t.relations[r], &p.cells))
                .collect();
            let scores: Vec<usize> = p
                .cands
                .iter()
                .map(|c| {
                    put(&mut scratch, &p.cells, c);
                    violations(t, &local, &p.cells, &scratch).0
                })
                .collect();
            let min = scores.iter().copied().min().unwrap_or(0);
            let cands = p
                .cands
                .iter()
                .zip(&scores)
                .filter(|(_, s)| **s == min)
                .map(|(c, _)| c.clone())
                .collect();
            Pending {
                cells: p.cells.clone(),
                cands,
                complete: p.complete,
                guess: p.guess.clone(),
                table: p.table,
                name: p.name.clone(),
                short: p.short.clone(),
                line: p.line,
                source: p.source.clone(),
            }
        })
        .collect()
}

/// Chooses a candidate for every row, the rows weighed together (they depend on each other through the column
/// relations: a few passes settle them, then moves of two rows at once); writes the choice into `values`.
fn settle(
    t: &Template,
    values: &mut [Value],
    (pending, rels): (&[Pending], &[Vec<usize>]),
    parts: &[Vec<Vec<Diff>>],
) -> Vec<usize> {
    let mut choice: Vec<usize> = vec![0; pending.len()];
    for p in pending {
        if let Some(c) = p.cands.first() {
            put(values, &p.cells, c);
        }
    }
    let mut sums = relation_sums(t, values);
    for _ in 0..4 {
        let mut changed = false;
        for (i, p) in pending.iter().enumerate() {
            if p.cands.len() < 2 {
                continue;
            }
            let rows = Rows {
                pending,
                rels,
                parts,
                sums: &sums,
            };
            let weights = PairWeights::new(t, values, rows, (i, None), &choice);
            let mut best = ((usize::MAX, usize::MAX), 0);
            for k in 0..p.cands.len() {
                let v = weights.alone(k);
                if v < best.0 {
                    best = (v, k);
                }
            }
            put(values, &p.cells, &p.cands[best.1]);
            if best.1 != choice[i] {
                move_row(&mut sums, (&rels[i], &parts[i]), choice[i], best.1);
                choice[i] = best.1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let rows = Rows {
        pending,
        rels,
        parts,
        sums: &sums,
    };
    pair_moves(t, values, rows, &mut choice);
    choice
}

/// What the relations of a row say of it, looked at once for all its readings.
struct RowRelations<'a> {
    t: &'a Template,
    rels: &'a [usize],
    /// Per relation (as in `rels`): nothing (`None`: not [`informative`], its other cells, which no reading of
    /// the row changes, are blank), or whether it lies within the row.
    said: Vec<Option<bool>>,
}

impl<'a> RowRelations<'a> {
    fn of(t: &'a Template, p: &Pending, rels: &'a [usize], values: &[Value]) -> Self {
        let said = rels
            .iter()
            .map(|&r| {
                let rel = &t.relations[r];
                informative(rel, &p.cells, values).then(|| within(rel, &p.cells))
            })
            .collect();
        RowRelations { t, rels, said }
    }

    /// Whether relation `r` adds up cell `c`.
    fn adds_up(&self, r: usize, c: CellIdx) -> bool {
        let rel = &self.t.relations[r];
        rel.lhs.iter().chain(rel.rhs).any(|&x| x == c)
    }

    /// Whether an [`informative`] relation adds up cell `c`.
    fn summed(&self, c: CellIdx) -> bool {
        self.rels
            .iter()
            .zip(&self.said)
            .any(|(&r, said)| said.is_some() && self.adds_up(r, c))
    }

    /// The [`informative`] relations beyond the row (column sums, the balance) that add up cell `c`.
    fn beyond(&self, c: CellIdx) -> impl Iterator<Item = usize> {
        self.rels
            .iter()
            .zip(&self.said)
            .filter(move |&(&r, said)| *said == Some(false) && self.adds_up(r, c))
            .map(|(&r, _)| r)
    }

    /// Each reading of the row (its `parts` of the relations, [`reading_parts`]) weighed as [`violations`]
    /// weighs it, from the relations' `sums` with the reading `choice` ([`relation_sums`]): its parts taken
    /// out and the reading's put in.
    fn weigh(&self, sums: &[Diff], parts: &[Vec<Diff>], choice: usize) -> Vec<(usize, usize)> {
        let no_parts: &[Diff] = &[];
        let chosen = parts.get(choice).map_or(no_parts, Vec::as_slice);
        parts
            .iter()
            .map(|part| {
                self.rels
                    .iter()
                    .enumerate()
                    .filter_map(|(k, &r)| {
                        let inside = self.said.get(k).copied().flatten()?;
                        let sum = sums.get(r).copied().unwrap_or_default();
                        let (old, new) = (chosen.get(k)?, part.get(k)?);
                        (!sum.minus(*old).plus(*new).is_zero()).then_some(inside)
                    })
                    .fold((0, 0), count_broken)
            })
            .collect()
    }
}

/// `first` and then the readings of `more` not listed yet, each once. A set, not a search of the list, when
/// there are `many`: a row cut short by the bounds has thousands of readings that fit as badly as the chosen
/// one; a few are compared directly (hashing them costs more).
fn distinct<'v>(first: &'v Vec<Value>, more: impl Iterator<Item = &'v Vec<Value>>, many: bool) -> Vec<&'v Vec<Value>> {
    let mut seen: HashSet<&[Value]> = HashSet::new();
    if many {
        seen.insert(first.as_slice());
    }
    let mut out = vec![first];
    for c in more {
        let new = if many {
            seen.insert(c.as_slice())
        } else {
            !out.contains(&c)
        };
        if new {
            out.push(c);
        }
    }
    out
}

/// Up to this many readings of a row are told apart by comparing them, more through a set.
const FEW_READINGS: usize = 16;

/// A doubt about a row the weighing had nothing to say about: its one reading, as now in `values`; the cells
/// are for the caller to name.
fn as_read(t: &Template, values: &[Value], p: &Pending) -> Outcome {
    let read: Vec<Value> = p
        .cells
        .iter()
        .map(|&c| values.get(c).cloned().unwrap_or(Value::Blank))
        .collect();
    let kinds: Vec<ValueKind> = p.cells.iter().map(|&c| t.cells[c].kind).collect();
    Outcome {
        cells: Vec::new(),
        fits: true,
        read: show(&read, &kinds),
        others: Vec::new(),
        readings: 1,
        complete: true,
        unchecked: false,
    }
}

/// What is left to say about a row read with its `choice` ([`weighed`]); on a row that lost a number
/// ([`Guess::Lost`]) a cell left blank is unknown, not blank, and is named by the doubt too.
fn outcome(
    t: &Template,
    values: &mut [Value],
    row: (&Pending, &[usize], &[Vec<Diff>]),
    sums: &[Diff],
    choice: usize,
    joint: &[usize],
) -> Option<Outcome> {
    let said = weighed(t, values, row, sums, choice, joint);
    let p = row.0;
    if !matches!(p.guess, Guess::Lost { .. }) {
        return said;
    }
    // Blank after the weighing: left out by the reading taken and not made 0 by the sums.
    let unknown = |c: &CellIdx| values.get(*c).is_some_and(Value::is_blank);
    let mut o = match said {
        Some(o) => o,
        None if !p.cells.iter().any(unknown) => return None,
        None => as_read(t, values, p),
    };
    o.cells = p
        .cells
        .iter()
        .copied()
        .filter(|c| o.cells.contains(c) || unknown(c))
        .collect();
    Some(o)
}

/// What is left to say about a row read with its `choice`: nothing when every fitting reading agrees (a 0
/// every fitting reading leaves out is written as 0), else a doubt naming the cells that differ and the other
/// readings, or that no reading fits the totals. `joint` are candidates that fit as well together with another
/// row's other reading.
fn weighed(
    t: &Template,
    values: &mut [Value],
    (p, rels, parts): (&Pending, &[usize], &[Vec<Diff>]),
    sums: &[Diff],
    choice: usize,
    joint: &[usize],
) -> Option<Outcome> {
    let kinds: Vec<ValueKind> = p.cells.iter().map(|&c| t.cells[c].kind).collect();
    let chosen = p.cands.get(choice)?;
    let said = RowRelations::of(t, p, rels, values);
    // The columns the reading breaks: a reading that keeps the row total by chance, where the publisher added
    // it wrong, is a guess the table does not bear out.
    let broken: Vec<CellIdx> = p
        .cells
        .iter()
        .copied()
        .filter(|&c| said.beyond(c).any(|r| sums.get(r).is_some_and(|d| !d.is_zero())))
        .collect();
    if p.complete && broken.is_empty() && p.cands.iter().all(|c| c == chosen) {
        return None;
    }
    let scored: Vec<((usize, usize), &Vec<Value>)> =
        said.weigh(sums, parts, choice).into_iter().zip(&p.cands).collect();
    let best = scored.iter().map(|s| s.0).min().unwrap_or((0, 0));
    let joint = joint.iter().filter_map(|&k| p.cands.get(k));
    let tied = distinct(
        chosen,
        scored.iter().filter(|s| s.0 == best).map(|s| s.1).chain(joint),
        p.cands.len() > FEW_READINGS,
    );
    let differing: Vec<CellIdx> = p
        .cells
        .iter()
        .enumerate()
        .filter(|&(k, _)| tied.iter().any(|c| c[k] != chosen[k]))
        .map(|(_, &c)| c)
        .collect();
    // Readings that differ only in where a 0 was left out: the numbers are certain, the blank is not.
    // A cell no relation with published cells reaches is not "0 by the sums": a blank there stays a doubt.
    let zero_only = tied.iter().all(|c| {
        c.iter().zip(chosen).all(|(a, b)| {
            a == b || (a.is_blank() || b.is_blank()) && a.as_decimal().is_zero() && b.as_decimal().is_zero()
        })
    }) && differing.iter().all(|&c| said.summed(c));
    if !p.complete {
        // Readings not weighed may fit as well: nothing of the row is certain.
        Some(Outcome {
            cells: p.cells.clone(),
            fits: best.0 == 0 && tied.len() > 1,
            read: show(chosen, &kinds),
            others: tied[1..].iter().take(2).map(|c| show(c, &kinds)).collect(),
            readings: tied.len(),
            complete: false,
            unchecked: false,
        })
    } else if best.0 > 0 {
        Some(Outcome {
            cells: p.cells.clone(),
            fits: false,
            read: show(chosen, &kinds),
            others: Vec::new(),
            readings: 0,
            complete: true,
            unchecked: false,
        })
    } else if !broken.is_empty() {
        // The sums beyond the row do not bear the reading out, so they cannot vouch for any of its cells either:
        // every cell that another reading keeping the row's own relations reads differently is doubtful (a
        // column another row's misreading happens to balance tells nothing).
        let own_fit: Vec<&Vec<Value>> = scored.iter().filter(|s| s.0.0 == 0).map(|s| s.1).collect();
        Some(Outcome {
            cells: p
                .cells
                .iter()
                .enumerate()
                .filter(|&(k, c)| {
                    broken.contains(c) || differing.contains(c) || own_fit.iter().any(|o| o[k] != chosen[k])
                })
                .map(|(_, &c)| c)
                .collect(),
            fits: false,
            read: show(chosen, &kinds),
            others: Vec::new(),
            readings: 0,
            complete: true,
            unchecked: false,
        })
    } else if tied.len() > 1 && zero_only {
        // Every fitting reading gives these cells 0 or leaves them out, and a left-out cell is 0 by the sums
        // whichever it is: 0 is certain.
        for (k, &c) in p.cells.iter().enumerate() {
            if chosen[k].is_blank()
                && differing.contains(&c)
                && let Some(slot) = values.get_mut(c)
            {
                *slot = if kinds[k] == ValueKind::Money {
                    Value::Money(Decimal::ZERO)
                } else {
                    Value::Int(0)
                };
            }
        }
        None
    } else if tied.len() > 1 {
        Some(Outcome {
            cells: differing,
            fits: true,
            read: show(chosen, &kinds),
            others: tied[1..].iter().take(2).map(|c| show(c, &kinds)).collect(),
            readings: tied.len(),
            complete: true,
            unchecked: false,
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Edition;
    use ValueKind::{Count, Money, Signed};

    fn ints(v: &[i64]) -> Vec<Value> {
        v.iter().map(|&n| Value::Int(n)).collect()
    }

    #[test]
    fn cutting_respects_leading_zeros_and_kinds() {
        let (c, _) = split_candidates(
            &["898989".into()],
            &[Count; 3],
            &[false; 3],
            (false, &OwnSums::default()),
        );
        assert_eq!(c[0], ints(&[89, 89, 89]), "balanced first");
        assert!(c.contains(&ints(&[8, 98, 989])));
        assert!(!c.iter().any(|v| v.len() != 3));
        // "075" is not a number as published.
        let (c, _) = split_candidates(
            &["732000075".into()],
            &[Count; 7],
            &[false; 7],
            (false, &OwnSums::default()),
        );
        assert!(c.contains(&ints(&[73, 2, 0, 0, 0, 0, 75])));
        let (c, _) = split_candidates(
            &["472-53".into()],
            &[Count, Signed],
            &[false; 2],
            (false, &OwnSums::default()),
        );
        assert_eq!(c, vec![ints(&[472, -53])]);
        // The amount alone, the count left blank, is a reading too, after the full cut.
        let (c, _) = split_candidates(
            &["16.0248".into()],
            &[Count, Money],
            &[false; 2],
            (false, &OwnSums::default()),
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[1][0], Value::Blank);
        let (c, _) = split_candidates(
            &["１２３".into()],
            &[Count, Count],
            &[false; 2],
            (false, &OwnSums::default()),
        );
        assert_eq!(c.len(), 4);
        assert!(c[..2].iter().all(|v| !v.contains(&Value::Blank)));
        // A long run that cannot be cut ends quickly with nothing.
        let (c, _) = split_candidates(
            &["0".repeat(400)],
            &[Count; 15],
            &[false; 15],
            (false, &OwnSums::default()),
        );
        assert!(c.is_empty());
    }

    /// Two groups of three cells, the third of each the sum of the other two (as 四's groups are).
    fn two_groups() -> OwnSums {
        let sum = |total: usize| OwnSum {
            last: total,
            lhs: vec![total],
            rhs: vec![total - 2, total - 1],
        };
        OwnSums {
            sums: vec![sum(2), sum(5)],
        }
    }

    fn keeps_all(own: &OwnSums, v: &[Value]) -> bool {
        (1..=v.len()).all(|l| own.keep(&v[..l]))
    }

    /// Cutting cell by cell within the sums gives exactly the readings, blanks and all, that cutting every way
    /// and then keeping those that keep the sums gives.
    #[test]
    fn kept_readings_are_the_readings_that_keep_the_sums() {
        let own = two_groups();
        assert_eq!(own.groups(6), vec![(0, 3), (3, 6)]);
        assert!(own.beyond_total(6));
        let cases: &[&[&str]] = &[
            &["112224"],
            &["1120"],
            &["1012113"],
            &["0000"],
            &["11", "2101"],
            &["123"],
            &["99999"],
        ];
        for &tokens in cases {
            let tokens: Vec<String> = tokens.iter().map(|s| (*s).to_owned()).collect();
            let (every, complete) = cut_readings(&tokens, &[Count; 6], &[false; 6], false);
            assert!(complete, "{tokens:?}");
            let mut want: Vec<Vec<Value>> = every.into_iter().filter(|v| keeps_all(&own, v)).collect();
            let (mut got, complete) = kept_readings(&tokens, &[Count; 6], &[false; 6], &own);
            assert!(complete, "{tokens:?}");
            assert!(got.iter().all(|v| keeps_all(&own, v)), "{tokens:?}");
            want.sort_by_key(|v| format!("{v:?}"));
            got.sort_by_key(|v| format!("{v:?}"));
            assert_eq!(got, want, "{tokens:?}");
        }
        // 1 1 2 | 2 2 4 is the one reading without blanks of the first case.
        let (c, _) = split_candidates(&["112224".into()], &[Count; 6], &[false; 6], (false, &own));
        assert_eq!(c.first(), Some(&ints(&[1, 1, 2, 2, 2, 4])));
    }

    /// 四's row: three blocks of five cells, the fifth of each the sum of the other four.
    fn three_blocks() -> OwnSums {
        let sum = |total: usize| OwnSum {
            last: total,
            lhs: vec![total],
            rhs: (total - 4..total).collect(),
        };
        OwnSums {
            sums: vec![sum(4), sum(9), sum(14)],
        }
    }

    /// The readings and steps of a cell-by-cell cut, blocks cut by [`KeptCut::block`] or as any group.
    fn block_cut(tokens: &[String], own: &OwnSums, n: usize, by_blocks: bool) -> (Vec<Vec<Value>>, usize) {
        let kinds = vec![Count; n];
        let mut cut = KeptCut::new(tokens, &kinds, own);
        if !by_blocks {
            cut.blocks.fill(false);
        }
        (cut.all(), cut.steps)
    }

    #[test]
    fn rows_of_blocks_are_seen() {
        assert_eq!(three_blocks().groups(15), vec![(0, 5), (5, 10), (10, 15)]);
        assert!((0..3).all(|b| three_blocks().is_block((5 * b, 5 * b + 5))));
        assert!(two_groups().is_block((3, 6)));
        let crossing = OwnSums {
            sums: vec![OwnSum {
                last: 2,
                lhs: vec![0],
                rhs: vec![1, 2],
            }],
        };
        assert!(!crossing.is_block((0, 3)));
    }

    /// 四's runs of the samples and a long one: the same readings both ways, no more steps.
    #[test]
    fn blocks_of_the_samples_are_cut_as_any_group() {
        let runs = [
            "7070146031101100011",
            "210141000100101",
            "1321051596927389396045917389396853477191124311269632116463221",
        ];
        for run in runs {
            let tokens = vec![run.to_owned()];
            let (want, want_steps) = block_cut(&tokens, &three_blocks(), 15, false);
            let (got, steps) = block_cut(&tokens, &three_blocks(), 15, true);
            assert!(!got.is_empty(), "{run}");
            assert_eq!(got, want, "{run}");
            println!("{run}: {steps} steps, {want_steps} as any group");
            assert!(steps <= want_steps, "{run}");
        }
    }

    proptest::proptest! {
        /// A block is cut into the readings any group's cut gives, in the same order, in no more steps.
        #[test]
        fn blocks_are_cut_as_any_group(
            tokens in proptest::collection::vec("[0-9]{1,12}|[01]{1,12}", 1..3),
            four in proptest::bool::ANY,
        ) {
            let (own, n) = if four { (three_blocks(), 15) } else { (two_groups(), 6) };
            let (want, want_steps) = block_cut(&tokens, &own, n, false);
            let (got, steps) = block_cut(&tokens, &own, n, true);
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert!(steps <= want_steps);
        }
    }

    /// A row whose sums no reading keeps (a total published wrong) still gets every reading, to be weighed.
    #[test]
    fn sums_kept_by_no_reading_leave_every_reading() {
        let (c, _) = split_candidates(&["119229".into()], &[Count; 6], &[false; 6], (false, &two_groups()));
        assert!(c.contains(&ints(&[1, 1, 9, 2, 2, 9])));
    }

    /// Cutting the total from the end with a budget gives exactly the cuts that keep the total, none lost.
    #[test]
    fn total_cuts_are_the_cuts_that_keep_the_total() {
        let cases: &[(&[&str], &[ValueKind])] = &[
            (&["732000075"], &[Count; 7]),
            (&["721344010040126"], &[Count; 7]),
            (&["7213440100"], &[Count; 4]),
            (&["12", "315"], &[Count; 4]),
            (&["1", "1", "2"], &[Count; 3]),
            (&["0000"], &[Count; 4]),
            (&["00000"], &[Count; 4]),
            (&["1.51.53"], &[Money; 3]),
            (&["12.25001.250013.5"], &[Money; 3]),
            (&["9999999999991999999999998"], &[Count; 3]),
        ];
        for &(tokens, kinds) in cases {
            let tokens: Vec<String> = tokens.iter().map(|s| (*s).to_owned()).collect();
            let (mut all, mut steps) = (Vec::new(), 0);
            cut_tokens(&tokens, kinds, None, &mut Vec::new(), &mut all, &mut steps);
            all.retain(|v| {
                let (total, parts) = v.split_last().unwrap();
                parts.iter().map(Value::as_decimal).sum::<Decimal>() == total.as_decimal()
            });
            let (mut kept, mut steps) = (Vec::new(), 0);
            total_cuts(&tokens, kinds, &mut kept, &mut steps);
            all.sort_by_key(|v| format!("{v:?}"));
            kept.sort_by_key(|v| format!("{v:?}"));
            assert_eq!(kept, all, "{tokens:?}");
        }
        // The budget is what lets a long run be weighed whole: 45 digits into 7 cells are cut short blindly,
        // and all cut within the bound with it.
        let run = ["721344010040126".repeat(3)];
        let (mut all, mut steps) = (Vec::new(), 0);
        cut_tokens(&run, &[Count; 7], None, &mut Vec::new(), &mut all, &mut steps);
        assert!(steps > MAX_STEPS || all.len() >= MAX_CANDIDATES);
        let (mut kept, mut steps) = (Vec::new(), 0);
        total_cuts(&run, &[Count; 7], &mut kept, &mut steps);
        assert!(steps <= MAX_STEPS, "{steps} steps");
    }

    #[test]
    fn combinations_are_listed_in_order() {
        let all = |n, k| {
            let mut c = Combinations::new(n, k);
            let mut out = Vec::new();
            while let Some(at) = c.next_subset() {
                out.push(at.to_vec());
            }
            out
        };
        assert_eq!(all(4, 2), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
        assert_eq!(all(3, 0), [Vec::<usize>::new()]);
        assert_eq!(all(3, 3), [[0, 1, 2]]);
        assert!(all(2, 3).is_empty());
    }

    #[test]
    fn blanks_go_right_first() {
        let (c, _) = blank_candidates(&["1".into(), "2".into()], &[Count; 3], &[false; 3]);
        assert_eq!(c[0], vec![Value::Int(1), Value::Int(2), Value::Blank]);
        assert_eq!(c.len(), 3);
        let (c, _) = blank_candidates(&["1".into(), "2".into()], &[Count; 3], &[false, false, true]);
        assert_eq!(c[0], vec![Value::Int(1), Value::Blank, Value::Int(2)]);
    }

    #[test]
    fn the_row_total_picks_the_split() {
        let t = Edition::E2021.template();
        let row = &t.table("s3").unwrap().rows[0];
        assert!(has_row_total(t, row.cells));
        assert!(!has_row_total(t, t.table("s2.regs").unwrap().rows[1].cells));
        let kinds: Vec<ValueKind> = row.cells.iter().map(|&c| t.cells[c].kind).collect();
        let computed: Vec<bool> = row.cells.iter().map(|&c| t.cells[c].computed).collect();
        let p = Pending {
            cells: row.cells.to_vec(),
            cands: split_candidates(&["732000075".into()], &kinds, &computed, (true, &OwnSums::default())).0,
            complete: true,
            guess: Guess::Split("732000075".into()),
            table: 0,
            name: "一".into(),
            short: "一".into(),
            line: 1,
            source: String::new(),
        };
        let mut values = vec![Value::Blank; t.cells.len()];
        let out = resolve(t, &mut values, std::slice::from_ref(&p), &[]);
        assert_eq!(out, vec![None]);
        let got: Vec<Value> = row.cells.iter().map(|&c| values[c].clone()).collect();
        assert_eq!(got, ints(&[73, 2, 0, 0, 0, 0, 75]));
        // One digit more and no split adds up: a doubt, never a silent guess.
        let p = Pending {
            cands: split_candidates(&["7320000075".into()], &kinds, &computed, (true, &OwnSums::default())).0,
            complete: true,
            ..p
        };
        let out = resolve(t, &mut values, std::slice::from_ref(&p), &[]);
        let o = out[0].as_ref().unwrap();
        assert!(message(&p, o).contains("没有一种读法"), "{out:?}");
    }

    /// The row 行政规范性文件 (three counts, no relation) read from the run-together digits `run`.
    fn normative_split(cells: &[CellIdx], run: &str) -> Pending {
        Pending {
            cells: cells.to_vec(),
            cands: split_candidates(&[run.into()], &[Count; 3], &[false; 3], (false, &OwnSums::default())).0,
            complete: true,
            guess: Guess::Split(run.into()),
            table: 0,
            name: "行政规范性文件".into(),
            short: "行政规范性文件".into(),
            line: 3,
            source: String::new(),
        }
    }

    #[test]
    fn an_ambiguous_split_is_a_doubt() {
        let t = Edition::E2021.template();
        let row = &t.table("s2.regs").unwrap().rows[1];
        let p = normative_split(row.cells, "898989");
        let mut values = vec![Value::Blank; t.cells.len()];
        let out = resolve(t, &mut values, std::slice::from_ref(&p), &[]);
        let o = out[0].as_ref().unwrap();
        assert!(message(&p, o).contains("89、89、89"), "{}", message(&p, o));
        assert_eq!(values[row.cells[0]], Value::Int(89));
    }

    #[test]
    fn as_many_digits_as_cells_may_still_have_lost_a_blank() {
        // `719` for three cells is 7、1、9, or 7、19 with a blank cell the text lost: a doubt on every cell.
        let t = Edition::E2021.template();
        let row = &t.table("s2.regs").unwrap().rows[1];
        let p = normative_split(row.cells, "719");
        assert_eq!(p.cands[0], ints(&[7, 1, 9]), "the full cut first");
        assert!(p.cands.contains(&vec![Value::Blank, Value::Int(7), Value::Int(19)]));
        let mut values = vec![Value::Blank; t.cells.len()];
        let out = resolve(t, &mut values, std::slice::from_ref(&p), &[]);
        let o = out[0].as_ref().unwrap();
        assert_eq!(o.cells, row.cells.to_vec());
        assert_eq!(values[row.cells[0]], Value::Int(7));
    }
}

/// The solver on small tables: rows of 三 given exactly or as pending readings, the relations of the 2021
/// template deciding.
#[cfg(test)]
mod solver_tests {
    use super::*;
    use crate::template::Edition;

    /// How a row is given to the solver.
    enum Given {
        /// Read exactly: these values.
        Exact(&'static [i64]),
        /// Fewer numbers than cells.
        Blanks(&'static [&'static str]),
        /// Digits run together.
        Split(&'static [&'static str]),
        /// Text that could not be read: the cells stay blank.
        Unread,
    }
    use Given::{Blanks, Exact, Split, Unread};

    struct Case {
        name: &'static str,
        rows: &'static [(&'static str, Given)],
        /// The values read, row by row (`None`: blank).
        want: &'static [(&'static str, &'static [Option<i64>])],
        /// Per row: the columns (0-based) a doubt names, `None` for no doubt.
        doubts: &'static [(&'static str, Option<&'static [usize]>)],
        /// A word each doubt's message has.
        says: &'static str,
    }

    const Z: Option<i64> = Some(0);

    /// The values read and, per pending row, its doubt with its message.
    type Read = (Vec<Value>, Vec<(&'static str, Option<(String, Outcome)>)>);

    fn run(case: &Case) -> Read {
        let t = Edition::E2021.template();
        let table = t.table("s3").unwrap();
        let row = |id: &str| table.rows.iter().find(|r| r.id == id).unwrap();
        let mut values = vec![Value::Blank; t.cells.len()];
        let mut pending = Vec::new();
        let mut ids = Vec::new();
        let mut unread: Vec<CellIdx> = Vec::new();
        for (id, given) in case.rows {
            let r = row(id);
            let kinds: Vec<ValueKind> = r.cells.iter().map(|&c| t.cells[c].kind).collect();
            let computed: Vec<bool> = r.cells.iter().map(|&c| t.cells[c].computed).collect();
            let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
            let ((cands, complete), guess) = match given {
                Exact(v) => {
                    for (&c, &n) in r.cells.iter().zip(*v) {
                        values[c] = Value::Int(n);
                    }
                    continue;
                }
                Unread => {
                    unread.extend(r.cells);
                    continue;
                }
                Blanks(v) => (
                    blank_candidates(&owned(v), &kinds, &computed),
                    Guess::Blanks {
                        have: v.len(),
                        need: kinds.len(),
                    },
                ),
                Split(v) => (
                    split_candidates(
                        &owned(v),
                        &kinds,
                        &computed,
                        (has_row_total(t, r.cells), &OwnSums::of(t, r.cells)),
                    ),
                    Guess::Split(v.join(" ")),
                ),
            };
            ids.push(*id);
            pending.push(Pending {
                cells: r.cells.to_vec(),
                cands,
                complete,
                guess,
                table: 0,
                name: r.label().to_owned(),
                short: r.short.to_owned(),
                line: pending.len() + 1,
                source: String::new(),
            });
        }
        let out = resolve(t, &mut values, &pending, &unread);
        let named = ids
            .into_iter()
            .zip(out)
            .zip(&pending)
            .map(|((id, o), p)| (id, o.map(|o| (message(p, &o), o))))
            .collect();
        (values, named)
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "a table of cases")]
    fn small_tables() {
        let cases = [
            Case {
                name: "unique split by the row total",
                rows: &[("s3.new", Split(&["732000075"]))],
                want: &[("s3.new", &[Some(73), Some(2), Z, Z, Z, Z, Some(75)])],
                doubts: &[("s3.new", None)],
                says: "",
            },
            Case {
                // 辉县: the column sums place 5 and 3; the lost column is one of the zeros, 0 whichever it is.
                name: "a value every fitting reading agrees on is certain",
                rows: &[
                    ("s3.new", Blanks(&["5", "3", "0", "0", "0", "8"])),
                    ("s3.carried_in", Exact(&[0; 7])),
                    ("s3.handled_total", Exact(&[5, 3, 0, 0, 0, 0, 8])),
                    ("s3.carried_out", Exact(&[0; 7])),
                ],
                want: &[("s3.new", &[Some(5), Some(3), Z, Z, Z, Z, Some(8)])],
                doubts: &[("s3.new", None)],
                says: "",
            },
            Case {
                // 5+3+0+0+0 = 8 ≠ 9 whichever column was lost: the 9 stays the total, and no reading is certain.
                name: "a wrong published total with a lost cell is kept, with a doubt",
                rows: &[("s3.new", Blanks(&["5", "3", "0", "0", "0", "9"]))],
                want: &[("s3.new", &[Some(5), Some(3), Z, Z, Z, None, Some(9)])],
                doubts: &[("s3.new", Some(&[0, 1, 2, 3, 4, 5, 6]))],
                says: "没有一种读法",
            },
            Case {
                // 5 and 3 in any two of the six applicant columns make the total 8: the total alone is certain.
                name: "readings that fit equally: a doubt on the cells that differ only",
                rows: &[("s3.new", Blanks(&["5", "3", "8"]))],
                want: &[("s3.new", &[Some(5), Some(3), None, None, None, None, Some(8)])],
                doubts: &[("s3.new", Some(&[0, 1, 2, 3, 4, 5]))],
                says: "也可能是",
            },
            Case {
                name: "a wrong published total is kept, not repaired",
                // 5|30|… and 53|0|… make 35 and 53, neither the published 9: the 9 stays. The reading shown
                // until the clerk checks is the one with more 0 cells (0 is the commonest value).
                rows: &[("s3.new", Split(&["53000009"]))],
                want: &[("s3.new", &[Some(53), Z, Z, Z, Z, Z, Some(9)])],
                doubts: &[("s3.new", Some(&[0, 1, 2, 3, 4, 5, 6]))],
                says: "没有一种读法",
            },
            Case {
                // 一 + 二 = 三（七） + 四 holds whichever column the 3 is in, as long as it is the same in both
                // rows (5 too): neither row is certain, though each is when the other is taken as read.
                name: "two rows that fit together in several ways: a doubt on each",
                rows: &[
                    ("s3.new", Blanks(&["5", "3", "8"])),
                    ("s3.carried_in", Exact(&[0; 7])),
                    ("s3.handled_total", Blanks(&["5", "3", "8"])),
                    ("s3.carried_out", Exact(&[0; 7])),
                ],
                want: &[
                    ("s3.new", &[Some(5), Some(3), None, None, None, None, Some(8)]),
                    ("s3.handled_total", &[Some(5), Some(3), None, None, None, None, Some(8)]),
                ],
                doubts: &[
                    ("s3.new", Some(&[0, 1, 2, 3, 4, 5])),
                    ("s3.handled_total", Some(&[0, 1, 2, 3, 4, 5])),
                ],
                says: "也可能是",
            },
            Case {
                name: "a column sum decides what the row total cannot",
                rows: &[
                    ("s3.new", Blanks(&["5", "3", "8"])),
                    ("s3.carried_in", Exact(&[0; 7])),
                    ("s3.handled_total", Exact(&[5, 0, 0, 3, 0, 0, 8])),
                    ("s3.carried_out", Exact(&[0; 7])),
                ],
                want: &[("s3.new", &[Some(5), None, None, Some(3), None, None, Some(8)])],
                doubts: &[("s3.new", None)],
                says: "",
            },
            Case {
                // The only cut that keeps the row total leaves two columns that do not add up: a published
                // total may be wrong and the cut with it, so those cells are doubted.
                name: "a reading whose columns do not add up is doubted where they break",
                rows: &[
                    ("s3.new", Split(&["732000075"])),
                    ("s3.carried_in", Exact(&[0; 7])),
                    ("s3.handled_total", Exact(&[72, 3, 0, 0, 0, 0, 75])),
                    ("s3.carried_out", Exact(&[0; 7])),
                ],
                want: &[("s3.new", &[Some(73), Some(2), Z, Z, Z, Z, Some(75)])],
                doubts: &[("s3.new", Some(&[0, 1]))],
                says: "没有一种读法",
            },
            Case {
                // Were the unread total taken as blank, the balance would put the 5 under 商业企业 (beside the
                // 5 carried over) with no doubt on it.
                name: "a relation through a row that could not be read decides nothing",
                rows: &[
                    ("s3.new", Blanks(&["5", "3", "8"])),
                    ("s3.carried_in", Exact(&[0; 7])),
                    ("s3.handled_total", Unread),
                    ("s3.carried_out", Exact(&[0, 5, 0, 0, 0, 0, 5])),
                ],
                want: &[("s3.new", &[Some(5), Some(3), None, None, None, None, Some(8)])],
                doubts: &[("s3.new", Some(&[0, 1, 2, 3, 4, 5]))],
                says: "也可能是",
            },
            Case {
                // Published 6、49955、49969 (added up wrong): cut as 6、4、9955、4、9969 the digits keep the row
                // total, and with a row unread no column sum can say otherwise. The total too is in doubt.
                name: "a cut only the row's own total vouches for is doubted whole",
                rows: &[
                    ("s3.new", Split(&["64995549969"])),
                    ("s3.carried_in", Exact(&[0; 7])),
                    ("s3.handled_total", Unread),
                ],
                want: &[(
                    "s3.new",
                    &[None, None, Some(6), Some(4), Some(9955), Some(4), Some(9969)],
                )],
                doubts: &[("s3.new", Some(&[0, 1, 2, 3, 4, 5, 6]))],
                says: "各列合计无法核对",
            },
        ];
        for case in &cases {
            let t = Edition::E2021.template();
            let (values, out) = run(case);
            for (id, want) in case.want {
                let r = t.table("s3").unwrap().rows.iter().find(|r| r.id == *id).unwrap();
                let got: Vec<Option<i64>> = r
                    .cells
                    .iter()
                    .map(|&c| match values[c] {
                        Value::Int(n) => Some(n),
                        _ => None,
                    })
                    .collect();
                assert_eq!(got, *want, "{}: values of {id}", case.name);
            }
            for (id, want) in case.doubts {
                let r = t.table("s3").unwrap().rows.iter().find(|r| r.id == *id).unwrap();
                let o = out.iter().find(|(i, _)| i == id).and_then(|(_, o)| o.as_ref());
                let got: Option<Vec<usize>> = o.map(|(_, o)| {
                    o.cells
                        .iter()
                        .map(|c| r.cells.iter().position(|x| x == c).unwrap())
                        .collect()
                });
                assert_eq!(got.as_deref(), *want, "{}: doubt of {id}: {o:?}", case.name);
                if let Some((message, _)) = o {
                    assert!(message.contains(case.says), "{}: {message}", case.name);
                }
            }
        }
    }
}
