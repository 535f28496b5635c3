//! Dates as resumes write them — `Jan 2019`, `January 2019`, `Sept. 2018`, `01/2019`, `2019-01`, `2019/01`, bare
//! years — and ranges between them ending in a date or in "Present" (and its synonyms in a few languages).

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};

/// A month, or a year whose month was not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: Option<u32>,
}

impl fmt::Display for YearMonth {
    /// `2019-01`, or `2019` for a bare year.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.month {
            Some(m) => write!(f, "{:04}-{m:02}", self.year),
            None => write!(f, "{:04}", self.year),
        }
    }
}

/// Where a period ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Date(YearMonth),
    /// "Present", "current", "now", "heute", …: the analysis date.
    Present,
}

impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Date(d) => d.fmt(f),
            Self::Present => f.write_str("Present"),
        }
    }
}

/// A period found in a line, with the byte range it occupies there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub start: YearMonth,
    pub end: End,
    pub span: Range<usize>,
}

impl DateRange {
    /// The period as half-open month indices: months count inclusively at both ends (Jan–Dec is 12 months), a
    /// bare start year starts in January, a bare end year ends before January of that year (2018–2020 is two
    /// years, not three; the same bare year twice is one year), and Present ends with today's month.
    pub fn months(&self, today: NaiveDate) -> Range<i64> {
        let start = index(self.start.year, self.start.month.unwrap_or(1));
        let end = match self.end {
            End::Present => index(today.year(), today.month()) + 1,
            End::Date(YearMonth {
                year,
                month: Some(m),
            }) => index(year, m) + 1,
            End::Date(YearMonth { year, month: None }) => index(year, 1).max(start + 12),
        };
        start..end.max(start)
    }
}

fn index(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// The months covered by any of `ranges`, counted once, in years rounded to one decimal.
/// Years covered by positions given as `(start, end, duration_months)` in the analysis's own spelling (`YYYY-MM`,
/// `YYYY`, `Present`), overlaps counted once, to one decimal. A position whose dates do not read counts its
/// duration on its own.
pub fn years_covered<'a>(
    positions: impl Iterator<Item = (&'a str, &'a str, u32)>,
    today: NaiveDate,
) -> f64 {
    let month_of = |raw: &str, end: bool| -> Option<i64> {
        let raw = raw.trim();
        if end && raw.eq_ignore_ascii_case("present") {
            return Some(i64::from(today.year()) * 12 + i64::from(today.month0()));
        }
        let (year, month) = match raw.split_once('-') {
            Some((y, m)) => (y.parse::<i64>().ok()?, m.parse::<i64>().ok()?),
            None => (raw.parse::<i64>().ok()?, if end { 12 } else { 1 }),
        };
        ((1900..=2200).contains(&year) && (1..=12).contains(&month))
            .then_some(year * 12 + month - 1)
    };
    let mut spans: Vec<(i64, i64)> = Vec::new();
    let mut loose_months: i64 = 0;
    for (start, end, duration) in positions {
        match (month_of(start, false), month_of(end, true)) {
            (Some(a), Some(b)) if a <= b => spans.push((a, b + 1)),
            _ => loose_months += i64::from(duration.min(1200)),
        }
    }
    spans.sort_unstable();
    let mut covered = 0;
    let mut reach = i64::MIN;
    for (a, b) in spans {
        let from = a.max(reach);
        if b > from {
            covered += b - from;
        }
        reach = reach.max(b);
    }
    ((covered + loose_months) as f64 / 12.0 * 10.0).round() / 10.0
}

pub fn total_years(ranges: &[DateRange], today: NaiveDate) -> f64 {
    let months: BTreeSet<i64> = ranges.iter().flat_map(|r| r.months(today)).collect();
    (months.len() as f64 / 12.0 * 10.0).round() / 10.0
}

const MONTHS: [(&str, u32); 44] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("sept", 9),
    // German
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
];

const PRESENT: [&str; 17] = [
    "present",
    "current",
    "currently",
    "now",
    "today",
    "ongoing",
    "date",
    "heute",
    "aktuell",
    "jetzt",
    "actuel",
    "aujourd'hui",
    "présent",
    "presente",
    "actualidad",
    "actual",
    "hoy",
];

/// Between two dates. U+2010 and U+2011 are the hyphens LaTeX fonts emit for a typed `-` (NFKC folds the
/// non-breaking one into U+2010); "through" is how American resumes write a range in words.
const SEPARATORS: [&str; 15] = [
    "-", "–", "—", "−", "‐", "‑", "~", "to", "until", "till", "through", "bis", "à", "au", "hasta",
];

/// Academic seasons: a resume dated "Summer 2004" or "Fall 2003 – Spring 2005" gives the year only.
const SEASONS: [&str; 8] = [
    "spring", "summer", "summers", "fall", "autumn", "winter", "springs", "falls",
];

/// A month name or its abbreviation (three letters at least, optional full stop).
fn month_word(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    if lower.chars().count() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == lower || (lower.len() >= 3 && name.starts_with(lower)))
        .map(|(_, m)| *m)
}

fn plausible_year(y: i32) -> bool {
    (1950..=2040).contains(&y)
}

/// One date or "Present" found at some byte range of a line.
#[derive(Clone, Debug)]
struct Found {
    span: Range<usize>,
    value: Option<YearMonth>,
}

/// Tokens: runs of letters (with `'` and `.` inside or at the end) or of digits, with their byte ranges.
fn tokens(line: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let alpha = c.is_alphabetic();
        let digit = c.is_ascii_digit();
        if !alpha && !digit {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            let same = if alpha {
                d.is_alphabetic() || d == '\'' || d == '’'
            } else {
                d.is_ascii_digit()
            };
            if !same {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        if alpha && line[end..].starts_with('.') {
            end += 1;
        }
        out.push((i..end, &line[i..end]));
    }
    out
}

/// Dates and "Present" words in a line, in order.
fn find_dates(line: &str) -> Vec<Found> {
    let toks = tokens(line);
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (span, word) = (&toks[i].0, toks[i].1);
        let between = |a: usize, b: usize| &line[toks[a].0.end..toks[b].0.start];
        if word.chars().all(|c| c.is_ascii_digit()) {
            let n: i32 = word.parse().unwrap_or(-1);
            if word.len() == 4 && plausible_year(n) {
                // 2019-01, 2019/01, 2019.01
                if let Some(next) = toks.get(i + 1)
                    && next.1.len() <= 2
                    && next.1.chars().all(|c| c.is_ascii_digit())
                    && matches!(between(i, i + 1), "-" | "/" | ".")
                    && let Ok(m @ 1..=12) = next.1.parse::<u32>()
                {
                    found.push(Found {
                        span: span.start..next.0.end,
                        value: Some(YearMonth {
                            year: n,
                            month: Some(m),
                        }),
                    });
                    i += 2;
                    continue;
                }
                found.push(Found {
                    span: span.clone(),
                    value: Some(YearMonth {
                        year: n,
                        month: None,
                    }),
                });
                i += 1;
                continue;
            }
            // 01/2019, 1.2019, 01-2019
            if word.len() <= 2
                && (1..=12).contains(&n)
                && let Some(next) = toks.get(i + 1)
                && matches!(between(i, i + 1), "/" | "." | "-")
                && next.1.len() == 4
                && let Ok(y) = next.1.parse::<i32>()
                && plausible_year(y)
            {
                found.push(Found {
                    span: span.start..next.0.end,
                    value: Some(YearMonth {
                        year: y,
                        month: Some(n as u32),
                    }),
                });
                i += 2;
                continue;
            }
        } else if SEASONS.contains(&word.to_lowercase().as_str())
            && let Some(next) = toks.get(i + 1)
            && next.1.len() == 4
            && let Ok(y) = next.1.parse::<i32>()
            && plausible_year(y)
            && between(i, i + 1).trim().is_empty()
        {
            // "Summer 2004": the year, without a month.
            found.push(Found {
                span: span.start..next.0.end,
                value: Some(YearMonth {
                    year: y,
                    month: None,
                }),
            });
            i += 2;
            continue;
        } else if let Some(m) = month_word(word) {
            // Jan 2019, January, 2019, Sept. 2018
            if let Some(next) = toks.get(i + 1)
                && next.1.len() == 4
                && let Ok(y) = next.1.parse::<i32>()
                && plausible_year(y)
                && between(i, i + 1).trim().trim_matches(',').trim().is_empty()
            {
                found.push(Found {
                    span: span.start..next.0.end,
                    value: Some(YearMonth {
                        year: y,
                        month: Some(m),
                    }),
                });
                i += 2;
                continue;
            }
        } else {
            let lower = word.to_lowercase();
            let lower = lower.trim_end_matches('.');
            if PRESENT.contains(&lower) {
                found.push(Found {
                    span: span.clone(),
                    value: None,
                });
            }
        }
        i += 1;
    }
    found
}

/// The periods in a line: a date, a range separator, and a date or "Present"; or "since"/"seit"/"depuis"/"desde"
/// followed by a date.
pub fn find_ranges(line: &str) -> Vec<DateRange> {
    let found = find_dates(line);
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < found.len() {
        let Some(start) = found[i].value else {
            i += 1;
            continue;
        };
        if let Some(next) = found.get(i + 1) {
            let gap = line[found[i].span.end..next.span.start].trim();
            let gap = gap.trim_matches(|c: char| c == '(' || c == ')').trim();
            if SEPARATORS.iter().any(|s| gap.eq_ignore_ascii_case(s)) {
                let end = match next.value {
                    Some(d) => End::Date(d),
                    None => End::Present,
                };
                let ordered = match end {
                    End::Date(d) => d.year >= start.year,
                    End::Present => true,
                };
                if ordered {
                    ranges.push(DateRange {
                        start,
                        end,
                        span: found[i].span.start..next.span.end,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        let before = line[..found[i].span.start].trim_end().to_lowercase();
        if ["since", "seit", "depuis", "desde"]
            .iter()
            .any(|w| before.ends_with(w))
        {
            let word_start = before.rfind(' ').map_or(0, |p| p + 1);
            ranges.push(DateRange {
                start,
                end: End::Present,
                span: word_start..found[i].span.end,
            });
        }
        i += 1;
    }
    ranges
}

/// The date `cell` consists of, if it is one date and nothing else (punctuation aside), as a period that starts and
/// ends with it.
pub fn lone_date(cell: &str) -> Option<DateRange> {
    let found = find_dates(cell);
    let [only] = found.as_slice() else {
        return None;
    };
    let value = only.value?;
    let rest = format!("{}{}", &cell[..only.span.start], &cell[only.span.end..]);
    if rest.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(DateRange {
        start: value,
        end: End::Date(value),
        span: only.span.clone(),
    })
}

/// Four-digit years in a line, in order (education's graduation year).
pub fn years(line: &str) -> Vec<i32> {
    find_dates(line)
        .into_iter()
        .filter_map(|f| f.value.map(|v| v.year))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth {
            year,
            month: Some(month),
        }
    }

    fn one(line: &str) -> (YearMonth, End) {
        let ranges = find_ranges(line);
        assert_eq!(ranges.len(), 1, "{line}: {ranges:?}");
        (ranges[0].start, ranges[0].end)
    }

    #[test]
    fn the_usual_formats_parse() {
        assert_eq!(one("Jan 2019 – Present"), (ym(2019, 1), End::Present));
        assert_eq!(
            one("January 2019 - March 2021"),
            (ym(2019, 1), End::Date(ym(2021, 3)))
        );
        assert_eq!(one("Sept. 2018 to current"), (ym(2018, 9), End::Present));
        assert_eq!(
            one("01/2019 – 12/2022"),
            (ym(2019, 1), End::Date(ym(2022, 12)))
        );
        assert_eq!(one("(2019-01 – now)"), (ym(2019, 1), End::Present));
        assert_eq!(
            one("2019/01 – 2021/12"),
            (ym(2019, 1), End::Date(ym(2021, 12)))
        );
        assert_eq!(
            one("Engineer - Acme - 2015 - 2020").0,
            YearMonth {
                year: 2015,
                month: None
            }
        );
        assert_eq!(one("März 2020 – heute"), (ym(2020, 3), End::Present));
        assert_eq!(one("since May 2021").1, End::Present);
        assert!(find_ranges("Reduced cost by 30% in 2019").is_empty());
        assert!(find_ranges("+44 7700 900123").is_empty());
    }

    #[test]
    fn durations_and_totals_follow_the_documented_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let r = |line: &str| find_ranges(line).remove(0);
        assert_eq!(r("Jan 2019 – Dec 2019").months(today).count(), 12);
        assert_eq!(r("Jan 2021 – Present").months(today).count(), 66);
        assert_eq!(r("2018 – 2021").months(today).count(), 36);
        assert_eq!(r("2020 – 2020").months(today).count(), 12);
        // Overlapping jobs count once: 2015-01..2016-12 inside 2013-08..2016-06 adds Jul–Dec 2016 only.
        let ranges = [r("2013-08 – 2016-06"), r("2015-01 – 2016-12")];
        assert_eq!(total_years(&ranges, today), 3.4);
    }

    #[test]
    fn typeset_hyphens_seasons_and_lone_dates() {
        assert_eq!(
            one("Sep. 2023 \u{2010} Present"),
            (ym(2023, 9), End::Present)
        );
        let year = |y| YearMonth {
            year: y,
            month: None,
        };
        assert_eq!(
            one("Fall 2003 – Spring 2005"),
            (year(2003), End::Date(year(2005)))
        );
        assert_eq!(
            one("Dean's List, Fall 2002 through Spring 2005"),
            (year(2002), End::Date(year(2005)))
        );
        let lone = lone_date(" Summer 2004 ").unwrap();
        assert_eq!((lone.start, lone.end), (year(2004), End::Date(year(2004))));
        assert!(lone_date("Visual Studio (Summer 2003)").is_none());
        assert!(lone_date("2001, 2002").is_none());
    }
}
