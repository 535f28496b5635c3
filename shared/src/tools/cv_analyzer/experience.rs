//! Positions held: each period in the experience section, with the title and company written beside it, above
//! it or below it — the three places resume templates put them.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::{DateRange, find_ranges, lone_date};
use super::sections::{Section, SectionLine, strip_bullet};

/// One position, in the seed's output shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExperienceEntry {
    pub title: String,
    pub company: String,
    /// `YYYY-MM`, or `YYYY` when the resume gives only the year.
    pub start_date: String,
    /// `YYYY-MM`, `YYYY`, or `Present`.
    pub end_date: String,
    pub duration_months: u32,
}

/// Words that make a phrase a job title.
const TITLE_WORDS: &[&str] = &[
    "engineer",
    "engineering",
    "developer",
    "programmer",
    "architect",
    "manager",
    "lead",
    "director",
    "head",
    "vp",
    "president",
    "cto",
    "ceo",
    "cio",
    "founder",
    "co-founder",
    "owner",
    "scientist",
    "analyst",
    "consultant",
    "administrator",
    "specialist",
    "intern",
    "internship",
    "trainee",
    "apprentice",
    "instructor",
    "teacher",
    "lecturer",
    "professor",
    "researcher",
    "assistant",
    "designer",
    "officer",
    "coordinator",
    "technician",
    "tester",
    "sre",
    "principal",
    "fellow",
    "strategist",
    "advisor",
    "adviser",
    "writer",
    "editor",
    "recruiter",
    "supervisor",
    "chief",
    "dba",
    "devops",
    "contractor",
    "freelancer",
    "freelance",
    "student",
    "tutor",
    "leader",
    "contributor",
    "maintainer",
    "ambassador",
    "member",
    "entwickler",
    "ingenieur",
    "ingénieur",
    "développeur",
    "desarrollador",
    "ingeniero",
];

/// Company suffixes and words that make a phrase an organisation.
const COMPANY_WORDS: &[&str] = &[
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "llc",
    "gmbh",
    "ag",
    "se",
    "sa",
    "s.a.",
    "plc",
    "corp",
    "corp.",
    "corporation",
    "company",
    "co.",
    "group",
    "labs",
    "technologies",
    "systems",
    "solutions",
    "bank",
    "as",
    "ab",
    "oy",
    "bv",
    "nv",
    "srl",
    "spa",
    "pty",
    "limited",
    "university",
    "agency",
];

fn words_lower(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_title(text: &str) -> bool {
    words_lower(text)
        .iter()
        .any(|w| TITLE_WORDS.contains(&w.as_str()))
}

fn is_company(text: &str) -> bool {
    words_lower(text)
        .iter()
        .any(|w| COMPANY_WORDS.contains(&w.as_str()))
}

/// Splits a header line into its parts at the separators templates use between title, company and place. Cells
/// of a tabbed line (a table row, text set apart by a wide gap) are fields as they stand: "Software Engineer,
/// Intern" in one cell is one title. Within a cell, a company suffix after a comma stays with its name
/// ("Acme Co., Ltd.").
fn parts(text: &str) -> Vec<String> {
    let cells: Vec<&str> = text.split('\t').filter(|c| !clean(c).is_empty()).collect();
    if cells.len() >= 2 {
        return cells
            .iter()
            .flat_map(|c| split_at(c, STRONG_SEPARATORS))
            .collect();
    }
    split_at(text, ALL_SEPARATORS)
}

/// Separators that never occur inside a title or a company name.
const STRONG_SEPARATORS: &[&str] = &[" — ", " – ", " | ", "|", " · ", "·", " • ", " @ "];

const ALL_SEPARATORS: &[&str] = &[
    " — ", " – ", " - ", " | ", "|", " · ", "·", " • ", ", ", " at ", " @ ", " chez ", " bei ",
];

fn split_at(text: &str, separators: &[&str]) -> Vec<String> {
    let mut pieces = vec![text.to_owned()];
    for sep in separators {
        pieces = pieces
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    let mut out: Vec<String> = Vec::new();
    for piece in pieces
        .iter()
        .flat_map(|p| after_suffix(p))
        .map(|p| clean(&p))
    {
        if piece.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(previous) if is_suffix(&piece) => {
                previous.push_str(", ");
                previous.push_str(&piece);
            }
            _ => out.push(piece),
        }
    }
    out
}

/// A phrase cut after a legal-form suffix inside it: the name ends there, and a place follows ("Acme Inc.
/// Berlin").
fn after_suffix(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').collect();
    match words[..words.len().saturating_sub(1)]
        .iter()
        .enumerate()
        .position(|(i, w)| w.ends_with('.') && is_suffix(w) && !words[i + 1].starts_with('('))
    {
        Some(at) => vec![words[..=at].join(" "), words[at + 1..].join(" ")],
        None => vec![text.to_owned()],
    }
}

/// A legal-form suffix standing alone ("Ltd.", "Inc", "LLC") after a comma belongs to the name before it.
fn is_suffix(piece: &str) -> bool {
    let lower = piece.to_lowercase();
    matches!(
        lower.trim_end_matches('.'),
        "inc" | "ltd" | "llc" | "llp" | "plc" | "gmbh" | "co" | "corp" | "s.a" | "pty" | "pte"
    )
}

/// Trims separators and stray punctuation from the ends of a phrase; a bracket stays when it closes or opens a
/// pair inside the phrase ("Acme (Payments)").
fn clean(text: &str) -> String {
    let mut trimmed = text
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, '-' | '–' | '—' | '‐' | '|' | '·' | '•' | ',' | ':' | ';')
        })
        .replace("()", "");
    loop {
        let opens = trimmed.matches('(').count();
        let closes = trimmed.matches(')').count();
        let before = trimmed.len();
        if closes > opens && trimmed.ends_with(')') {
            trimmed.pop();
        } else if opens > closes && trimmed.starts_with('(') {
            trimmed.remove(0);
        } else if opens > closes && trimmed.ends_with('(') {
            trimmed.pop();
        } else if closes > opens && trimmed.starts_with(')') {
            trimmed.remove(0);
        }
        trimmed = trimmed
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '-' | '–'))
            .to_owned();
        if trimmed.len() == before {
            return trimmed;
        }
    }
}

/// A position's period on a line: a range, or else a single date standing alone in the line's last cell (a
/// right-aligned "Summer 2004" is a position within that season).
fn period(text: &str) -> Option<DateRange> {
    if let Some(range) = find_ranges(text).into_iter().next() {
        return Some(range);
    }
    let start = text.rfind('\t')? + 1;
    lone_date(&text[start..]).map(|mut range| {
        range.span = range.span.start + start..range.span.end + start;
        range
    })
}

/// Whether a line can describe a position (not a bullet, not a sentence, not a heading).
fn header_like(line: &SectionLine<'_>) -> bool {
    let text = line.text.trim();
    !text.is_empty()
        && !line.heading
        && strip_bullet(text).is_none()
        && text.chars().count() <= 90
        && text.split_whitespace().count() <= 12
        && !text.ends_with('.')
        && !has_sentence_break(text)
}

/// A full stop followed by a capitalised word: two sentences, so a description, not a title or company.
fn has_sentence_break(text: &str) -> bool {
    text.split_whitespace().count() >= 6
        && text.match_indices(". ").any(|(i, _)| {
            let before = text[..i].split_whitespace().last().unwrap_or("");
            // "Co. Ltd", "St. Louis": an abbreviation, not the end of a sentence.
            before.chars().filter(|c| c.is_alphabetic()).count() > 3
                && text[i + 2..].chars().next().is_some_and(char::is_uppercase)
        })
}

/// The positions in `lines`: within the experience section when there is one, else anywhere outside education.
pub fn extract(
    lines: &[SectionLine<'_>],
    today: NaiveDate,
) -> (Vec<ExperienceEntry>, Vec<DateRange>) {
    let has_section = lines.iter().any(|l| l.section == Section::Experience);
    let in_scope = |l: &SectionLine<'_>| {
        if has_section {
            l.section == Section::Experience
        } else {
            !matches!(
                l.section,
                Section::Education | Section::Skills | Section::Languages
            )
        }
    };
    let mut used: HashSet<usize> = HashSet::new();
    let mut entries = Vec::new();
    let mut periods = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !in_scope(line) || line.heading {
            continue;
        }
        let Some(range) = period(line.text) else {
            continue;
        };
        // Text beside the dates: before them, or after them when the line starts with the dates. A bulleted
        // dated line is a role listed under its organisation, which heads the entry on a line of its own.
        let head = &line.text[..range.span.start];
        let bulleted = strip_bullet(head).is_some();
        let before = clean(strip_bullet(head).unwrap_or(head));
        let after = clean(&line.text[range.span.end..]);
        let mut found: Vec<String> = if before.is_empty() {
            Vec::new()
        } else {
            parts(&before)
        };
        let dates_first = before.is_empty();
        used.insert(i);

        // Lines above, up to two, that describe this position rather than the previous one.
        let mut above = Vec::new();
        let mut j = i;
        while j > 0 && above.len() < 2 {
            j -= 1;
            let l = &lines[j];
            if used.contains(&j) || !in_scope(l) || !header_like(l) || period(l.text).is_some() {
                break;
            }
            above.push(j);
        }
        above.reverse();
        let mut title = None;
        let mut company = None;
        if bulleted {
            title = found.iter().find(|p| is_title(p)).cloned();
        } else {
            assign(&found, &mut title, &mut company);
        }
        if title.is_none() || company.is_none() {
            for &j in above.iter().rev() {
                let p = parts(lines[j].text);
                assign(&p, &mut title, &mut company);
                used.insert(j);
                if title.is_some() && company.is_some() {
                    break;
                }
            }
        }
        // Lines below (dates first, or a title line with the company underneath).
        if title.is_none() || company.is_none() {
            if dates_first && !after.is_empty() {
                found = parts(&after);
                assign(&found, &mut title, &mut company);
            }
            let mut k = i + 1;
            while k < lines.len() && k <= i + 2 && (title.is_none() || company.is_none()) {
                let l = &lines[k];
                if !in_scope(l) || !header_like(l) || period(l.text).is_some() {
                    break;
                }
                let p = parts(l.text);
                assign(&p, &mut title, &mut company);
                used.insert(k);
                k += 1;
            }
        }
        let (title, company) = (title.unwrap_or_default(), company.unwrap_or_default());
        if title.is_empty() && company.is_empty() {
            continue;
        }
        let months = range.months(today);
        entries.push(ExperienceEntry {
            title,
            company,
            start_date: range.start.to_string(),
            end_date: range.end.to_string(),
            duration_months: u32::try_from(months.end - months.start).unwrap_or(0),
        });
        periods.push(range);
    }
    (entries, periods)
}

/// Fills the title with the first part that reads as a job title, and the company with the first other part
/// (one with a company suffix preferred); later parts of a line are usually a place.
fn assign(parts: &[String], title: &mut Option<String>, company: &mut Option<String>) {
    let mut rest = Vec::new();
    for p in parts {
        if title.is_none() && is_title(p) {
            *title = Some(p.clone());
        } else {
            rest.push(p);
        }
    }
    if company.is_none() {
        let chosen = rest
            .iter()
            .find(|p| is_company(p))
            .or_else(|| rest.first())
            .map(|p| (*p).clone());
        *company = chosen;
    }
}

#[cfg(test)]
mod tests {
    use super::super::sections::label;
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
    }

    fn entries(text: &str) -> Vec<(String, String, String, String)> {
        extract(&label(text), today())
            .0
            .into_iter()
            .map(|e| (e.title, e.company, e.start_date, e.end_date))
            .collect()
    }

    fn e(t: &str, c: &str, s: &str, d: &str) -> (String, String, String, String) {
        (t.into(), c.into(), s.into(), d.into())
    }

    #[test]
    fn title_and_company_beside_above_or_below_the_dates() {
        let text = "Experience\n\
            Senior Software Engineer — Stripe\tJan 2021 – Present\n\
            • Built things.\n\
            Data Analyst\nBBVA\n09/2016 – 02/2020\n\
            • Reports.\n\
            Security Engineer\nBitdefender | 2019-09 – Present\n\
            Mobile Engineer\tJan 2020 – Present\nGrab\nHo Chi Minh City\n\
            • Apps.\n\
            2018 – 2021\nSolutions Engineer\nWorkday\n\
            Machine Learning Engineer at Allegro (2021-03 – current)\n\
            Senior Java Developer - Thales - 2015 - 2020\n\
            Education\nBSc, 2014 – 2018";
        assert_eq!(
            entries(text),
            [
                e("Senior Software Engineer", "Stripe", "2021-01", "Present"),
                e("Data Analyst", "BBVA", "2016-09", "2020-02"),
                e("Security Engineer", "Bitdefender", "2019-09", "Present"),
                e("Mobile Engineer", "Grab", "2020-01", "Present"),
                e("Solutions Engineer", "Workday", "2018", "2021"),
                e("Machine Learning Engineer", "Allegro", "2021-03", "Present"),
                e("Senior Java Developer", "Thales", "2015", "2020"),
            ]
        );
    }

    #[test]
    fn durations_count_months_inclusively() {
        let (entries, _) = extract(
            &label("Experience\nEngineer, Acme\nJan 2019 – Dec 2019"),
            today(),
        );
        assert_eq!(entries[0].duration_months, 12);
    }

    #[test]
    fn cells_suffixes_brackets_and_roles_under_an_organisation() {
        let text = "Employment\n\
            Data Engineer, Intern\tNorthwind Traders\tSummer 2019\n\
            • Built pipelines.\n\
            Qlik Data Co., Ltd.\tOsaka, Japan\n\
            PLATFORM ENGiNEER\tApr. 2020 \u{2010} Present\n\
            Bluebird Pay Inc. (Bluepay)\tLisbon\n\
            Site Reliability Engineer\tMar. 2018 - Mar. 2020\n\
            Harbour Analytics Inc. Dublin, Ireland\t2016 – 2018\n\
            Analyst\n\
            Centre for Coastal Studies, Marine College\n\
            ■ Research Assistant, Survey Unit\tJan 2014 – Dec 2015\n\
            Full-stack developer on the trading desk. Worked with the platform team\n\
            Kestrel Ltd\tJan 2012 – Dec 2013\n\
            Software Developer";
        assert_eq!(
            entries(text),
            [
                e("Data Engineer, Intern", "Northwind Traders", "2019", "2019"),
                e(
                    "PLATFORM ENGiNEER",
                    "Qlik Data Co., Ltd.",
                    "2020-04",
                    "Present"
                ),
                e(
                    "Site Reliability Engineer",
                    "Bluebird Pay Inc. (Bluepay)",
                    "2018-03",
                    "2020-03"
                ),
                e("Analyst", "Harbour Analytics Inc.", "2016", "2018"),
                e(
                    "Research Assistant",
                    "Centre for Coastal Studies",
                    "2014-01",
                    "2015-12"
                ),
                e("Software Developer", "Kestrel Ltd", "2012-01", "2013-12"),
            ]
        );
    }
}
