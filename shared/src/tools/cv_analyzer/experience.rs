//! Positions held: each period in the experience section, with the title and company written beside it, above
//! it or below it — the three places resume templates put them.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::{DateRange, find_ranges};
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

/// Splits a header line into its parts at the separators templates use between title, company and place.
fn parts(text: &str) -> Vec<String> {
    let mut pieces = vec![text.to_owned()];
    for sep in [
        "\t", " — ", " – ", " - ", " | ", "|", " · ", "·", " • ", ", ", " at ", " @ ", " chez ",
        " bei ",
    ] {
        pieces = pieces
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    pieces
        .into_iter()
        .map(|p| clean(&p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Trims separators, brackets and stray punctuation from the ends of a phrase.
fn clean(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '-' | '–' | '—' | '|' | '·' | '•' | ',' | ':' | ';' | '(' | ')'
            )
    });
    trimmed.replace("()", "").trim().to_owned()
}

/// Whether a line can describe a position (not a bullet, not a sentence, not a heading).
fn header_like(line: &SectionLine<'_>) -> bool {
    let text = line.text.trim();
    !text.is_empty()
        && !line.heading
        && strip_bullet(text).is_none()
        && text.chars().count() <= 90
        && !text.ends_with('.')
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
        let Some(range) = find_ranges(line.text).into_iter().next() else {
            continue;
        };
        // Text beside the dates: before them, or after them when the line starts with the dates.
        let before = clean(&line.text[..range.span.start]);
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
            if used.contains(&j)
                || !in_scope(l)
                || !header_like(l)
                || !find_ranges(l.text).is_empty()
            {
                break;
            }
            above.push(j);
        }
        above.reverse();
        let mut title = None;
        let mut company = None;
        assign(&found, &mut title, &mut company);
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
                if !in_scope(l) || !header_like(l) || !find_ranges(l.text).is_empty() {
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
}
