//! Reading order from glyph positions. A PDF's content stream may draw a two-column page line by line across both
//! columns, or a sidebar after the body; neither order is the one a reader follows. Here glyphs are grouped into
//! rows by baseline, a column boundary is found where many rows start text at the same x after a gap and few rows
//! run across it, and each stretch of column rows is read left column first, then right.

/// One glyph as the PDF reader placed it, in points with y growing downwards.
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
    /// The content stream drew a space just before this glyph.
    pub space_before: bool,
}

impl Glyph {
    fn end(&self) -> f64 {
        self.x + self.width
    }
}

/// A gap wider than this many font sizes separates words.
const WORD_GAP: f64 = 0.15;
/// A gap wider than this many font sizes inside a row becomes a tab (a right-aligned date, a table cell).
const TAB_GAP: f64 = 1.0;
/// The smallest gap, in font sizes, at which a row may be cut at a column boundary: wider than a word space,
/// narrower than the padding of a table cell or a column gutter.
const COLUMN_GAP: f64 = 0.45;
/// How far from a column boundary, in points, a row may start and still count as aligned to it.
const ALIGN: f64 = 1.5;

/// A row: glyphs sharing a baseline, left to right.
struct Row {
    y: f64,
    size: f64,
    glyphs: Vec<Glyph>,
}

/// The text of one page in reading order.
pub(super) fn page_text(mut glyphs: Vec<Glyph>) -> String {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.width.is_finite());
    for g in &mut glyphs {
        if !(g.size.is_finite() && g.size > 0.1) {
            g.size = 1.0;
        }
        if g.width < 0.0 {
            g.width = 0.0;
        }
    }
    let rows = rows(glyphs);
    let boundary = column_boundary(&rows);
    let mut out = Lines::default();
    match boundary {
        None => {
            for row in &rows {
                out.push(row.y, row.size, render(&row.glyphs));
            }
        }
        Some(bx) if is_margin(&rows, bx) => margin_text(&rows, bx, &mut out),
        Some(bx) => {
            let mut left = Lines::default();
            let mut right = Lines::default();
            for row in &rows {
                match split(row, bx) {
                    Some((l, r)) => {
                        if !l.is_empty() {
                            left.push(row.y, row.size, render(&l));
                        }
                        if !r.is_empty() {
                            right.push(row.y, row.size, render(&r));
                        }
                    }
                    None => {
                        out.append(std::mem::take(&mut left));
                        out.append(std::mem::take(&mut right));
                        out.push(row.y, row.size, render(&row.glyphs));
                    }
                }
            }
            out.append(left);
            out.append(right);
        }
    }
    out.text
}

/// The widest a left margin column may be, as a share of the text's width: dates or headings beside the body
/// (moderncv, CV classes with headings in the margin), not a sidebar with content of its own.
const MARGIN_SHARE: f64 = 0.2;

/// Whether the text left of `bx` is a margin of labels rather than a column: narrow, and beside fewer than half of
/// the rows.
fn is_margin(rows: &[Row], bx: f64) -> bool {
    let (min_x, max_x) = text_span(rows);
    let mut labelled = 0;
    let mut widest: f64 = 0.0;
    for row in rows {
        if let Some((left, _)) = split(row, bx)
            && let Some(last) = left.last()
        {
            labelled += 1;
            widest = widest.max(last.end() - min_x);
        }
    }
    labelled > 0 && widest <= MARGIN_SHARE * (max_x - min_x) && labelled * 2 <= rows.len()
}

/// A page with a margin of labels: each label (its rows joined while they follow one another closely, so a date
/// range wrapped as "2021 –" / "Present" is one label) is read as a line of its own just before the text it
/// starts beside.
fn margin_text(rows: &[Row], bx: f64, out: &mut Lines) {
    // Labels by the index of the row they start on.
    let mut labels: Vec<(usize, String)> = Vec::new();
    let mut last_label: Option<(f64, f64)> = None;
    for (i, row) in rows.iter().enumerate() {
        let Some((left, _)) = split(row, bx) else {
            last_label = None;
            continue;
        };
        if left.is_empty() {
            continue;
        }
        let text = render(&left);
        match (last_label, labels.last_mut()) {
            (Some((y, size)), Some((_, label))) if row.y - y <= 1.6 * size.max(row.size) => {
                label.push(' ');
                label.push_str(text.trim());
            }
            _ => labels.push((i, text.trim().to_owned())),
        }
        last_label = Some((row.y, row.size));
    }
    let mut labels = labels.into_iter().peekable();
    for (i, row) in rows.iter().enumerate() {
        if let Some((_, label)) = labels.next_if(|(at, _)| *at == i) {
            out.push(row.y, row.size, label);
        }
        match split(row, bx) {
            Some((_, right)) => {
                if !right.is_empty() {
                    out.push(row.y, row.size, render(&right));
                }
            }
            None => out.push(row.y, row.size, render(&row.glyphs)),
        }
    }
}

fn rows(mut glyphs: Vec<Glyph>) -> Vec<Row> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Row> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if (g.y - row.y).abs() <= 0.35 * g.size.max(row.size) => {
                row.size = row.size.max(g.size);
                row.glyphs.push(g);
            }
            _ => rows.push(Row {
                y: g.y,
                size: g.size,
                glyphs: vec![g],
            }),
        }
    }
    for row in &mut rows {
        row.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        // Fake bold: the same glyph drawn twice at almost the same place.
        row.glyphs
            .dedup_by(|b, a| b.text == a.text && (b.x - a.x).abs() < 0.1 * a.size);
    }
    rows
}

/// Where a glyph begins a new block of text: first in its row, or after a gap of at least [`COLUMN_GAP`].
fn block_starts(row: &Row) -> impl Iterator<Item = f64> + '_ {
    row.glyphs.iter().enumerate().filter_map(|(i, g)| {
        let starts = i == 0 || g.x - row.glyphs[i - 1].end() >= COLUMN_GAP * g.size;
        starts.then_some(g.x)
    })
}

/// The leftmost start and rightmost end of the rows' text.
fn text_span(rows: &[Row]) -> (f64, f64) {
    let min_x = rows
        .iter()
        .flat_map(|r| r.glyphs.first())
        .map(|g| g.x)
        .fold(f64::INFINITY, f64::min);
    let max_x = rows
        .iter()
        .flat_map(|r| r.glyphs.last())
        .map(Glyph::end)
        .fold(f64::NEG_INFINITY, f64::max);
    (min_x, max_x)
}

/// The x at which the page splits into two columns, if it does.
fn column_boundary(rows: &[Row]) -> Option<f64> {
    if rows.len() < 4 {
        return None;
    }
    let (min_x, max_x) = text_span(rows);
    let width = max_x - min_x;
    // Also false for NaN, which the comparison below would let through.
    if width.is_nan() || width <= 50.0 {
        return None;
    }
    // Candidate x positions: block starts away from the left margin, rounded to the point.
    let mut candidates: Vec<f64> = rows
        .iter()
        .flat_map(block_starts)
        .filter(|&x| x > min_x + 0.15 * width && x < min_x + 0.85 * width)
        .map(f64::round)
        .collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let mut best: Option<(usize, f64)> = None;
    for bx in candidates {
        let mut starts = 0;
        let mut right_rows = 0;
        let mut crossing = 0;
        for row in rows {
            if row.glyphs.iter().any(|g| g.x >= bx - ALIGN) {
                right_rows += 1;
            }
            if block_starts(row).any(|x| (x - bx).abs() <= ALIGN) {
                starts += 1;
            }
            if split(row, bx).is_none() {
                crossing += 1;
            }
        }
        let aligned = starts >= 3 && starts * 10 >= right_rows * 3;
        // A few rows (a name or contact line over both columns) may run across.
        let clean = crossing <= 2 || crossing * 100 <= rows.len() * 15;
        if aligned && clean && best.is_none_or(|(s, _)| starts > s) {
            best = Some((starts, bx));
        }
    }
    best.map(|(_, bx)| bx)
}

/// The row cut at `bx` into its left and right glyphs, or `None` when text runs across `bx` without a gap wide
/// enough to be a column gutter.
fn split(row: &Row, bx: f64) -> Option<(Vec<Glyph>, Vec<Glyph>)> {
    let at = row.glyphs.partition_point(|g| g.x < bx - ALIGN);
    if at > 0 {
        let last_left = &row.glyphs[at - 1];
        if last_left.end() > bx + ALIGN {
            return None;
        }
        if let Some(first_right) = row.glyphs.get(at)
            && first_right.x - last_left.end() < COLUMN_GAP * first_right.size
        {
            return None;
        }
    }
    Some((row.glyphs[..at].to_vec(), row.glyphs[at..].to_vec()))
}

fn render(glyphs: &[Glyph]) -> String {
    let mut line = String::new();
    let mut previous: Option<&Glyph> = None;
    for g in glyphs {
        if let Some(p) = previous {
            let gap = g.x - p.end();
            if gap > TAB_GAP * g.size {
                line.push('\t');
            } else if g.space_before || gap > WORD_GAP * g.size {
                line.push(' ');
            }
        }
        line.push_str(&g.text);
        previous = Some(g);
    }
    line
}

/// Lines with their baselines, so a paragraph gap can become a blank line.
#[derive(Default)]
struct Lines {
    text: String,
    last: Option<(f64, f64)>,
}

impl Lines {
    fn push(&mut self, y: f64, size: f64, line: String) {
        if line.trim().is_empty() {
            return;
        }
        if let Some((last_y, last_size)) = self.last
            && y - last_y > 2.0 * last_size.max(size)
        {
            self.text.push('\n');
        }
        self.text.push_str(line.trim_end());
        self.text.push('\n');
        self.last = Some((y, size));
    }

    fn append(&mut self, other: Lines) {
        if other.text.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(&other.text);
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays `text` out as glyphs 6 points wide from `x` on baseline `y`.
    fn word(x: f64, y: f64, text: &str) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut cx = x;
        for c in text.chars() {
            if c == ' ' {
                cx += 3.0;
                continue;
            }
            out.push(Glyph {
                x: cx,
                y,
                width: 6.0,
                size: 10.0,
                text: c.to_string(),
                space_before: false,
            });
            cx += 6.0;
        }
        out
    }

    #[test]
    fn interleaved_columns_read_column_by_column() {
        let mut glyphs = word(
            50.0,
            40.0,
            "Jane Doe, jane@example.com, +44 7700 900123, London UK",
        );
        let left = [
            "Experience",
            "Engineer, Acme",
            "2019 - 2021",
            "Built things",
        ];
        let right = ["Skills", "Go, Rust", "Education", "BSc, Leeds"];
        for (i, (l, r)) in left.iter().zip(right.iter()).enumerate() {
            let y = 80.0 + 14.0 * i as f64;
            // The stream draws the right column's line first.
            glyphs.extend(word(330.0, y, r));
            glyphs.extend(word(50.0, y, l));
        }
        let text = page_text(glyphs);
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "Jane Doe, jane@example.com, +44 7700 900123, London UK",
                "Experience",
                "Engineer, Acme",
                "2019 - 2021",
                "Built things",
                "Skills",
                "Go, Rust",
                "Education",
                "BSc, Leeds"
            ]
        );
    }

    #[test]
    fn one_column_with_right_aligned_dates_stays_on_one_line() {
        let mut glyphs = Vec::new();
        let rows = [
            ("Senior Engineer - Acme", Some("Jan 2021 - Present")),
            (
                "Built a payment service used by millions of people every day",
                None,
            ),
            ("Engineer - Initech", Some("June 2017 - Dec 2020")),
            (
                "Wrote reports about the reports that were written before",
                None,
            ),
            ("Intern - Globex", Some("May 2016 - Aug 2016")),
            (
                "Wrote unit tests for the reporting service and the website",
                None,
            ),
        ];
        for (i, (left, right)) in rows.iter().enumerate() {
            let y = 50.0 + 14.0 * i as f64;
            glyphs.extend(word(50.0, y, left));
            if let Some(r) = right {
                let w = 6.0 * r.chars().filter(|c| *c != ' ').count() as f64
                    + 3.0 * r.matches(' ').count() as f64;
                glyphs.extend(word(545.0 - w, y, r));
            }
        }
        let text = page_text(glyphs);
        assert!(
            text.contains("Senior Engineer - Acme\tJan 2021 - Present"),
            "{text}"
        );
        assert!(
            text.contains("Intern - Globex\tMay 2016 - Aug 2016"),
            "{text}"
        );
    }

    #[test]
    fn spaces_come_from_gaps_or_the_stream() {
        let mut glyphs = word(10.0, 10.0, "ab");
        let mut c = word(24.0, 10.0, "c");
        c[0].space_before = true;
        glyphs.extend(c);
        glyphs.extend(word(40.0, 10.0, "d"));
        assert_eq!(page_text(glyphs), "ab c d\n");
    }

    #[test]
    fn a_margin_of_dates_is_read_before_the_text_beside_it() {
        let mut glyphs = Vec::new();
        // A wrapped date range in a narrow margin beside each entry, the body to its right.
        let rows: [(&str, &str); 8] = [
            ("", "Experience"),
            ("2021 -", "Platform Engineer, Globex, Springfield"),
            (
                "Present",
                "Runs the build farm and the release train for every team",
            ),
            ("", "and keeps the lights on through the night shift rota"),
            ("2018 - 2021", "Engineer, Initech, Austin"),
            (
                "",
                "Wrote reports about the reports that were written before",
            ),
            ("", "Education"),
            ("", "Bachelor of Science in Physics, Lakeside University"),
        ];
        for (i, (margin, body)) in rows.iter().enumerate() {
            let y = 50.0 + 14.0 * i as f64;
            glyphs.extend(word(40.0, y, margin));
            glyphs.extend(word(130.0, y, body));
        }
        let text = page_text(glyphs);
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines[..5],
            [
                "Experience",
                "2021 - Present",
                "Platform Engineer, Globex, Springfield",
                "Runs the build farm and the release train for every team",
                "and keeps the lights on through the night shift rota",
            ],
            "{text}"
        );
        assert_eq!(lines[5..7], ["2018 - 2021", "Engineer, Initech, Austin"]);
    }
}
