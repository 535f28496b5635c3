//! Degrees: a line naming a degree, the institution on it or next to it, and the (last) year near it.

use serde::{Deserialize, Serialize};

use super::dates::years;
use super::sections::{Section, SectionLine, strip_bullet};

/// One degree, in the seed's output shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EducationEntry {
    pub degree: String,
    pub institution: String,
    /// The graduation year (the later year of a range), when given.
    pub year: Option<String>,
}

/// Words (matched with their case) that name a degree.
const DEGREE_WORDS: &[&str] = &[
    "Bachelor",
    "Bachelor's",
    "Bachelors",
    "Master",
    "Master's",
    "Masters",
    "B.S.",
    "B.S",
    "BS",
    "B.Sc.",
    "B.Sc",
    "BSc",
    "B.A.",
    "BA",
    "M.S.",
    "MS",
    "M.Sc.",
    "M.Sc",
    "MSc",
    "M.A.",
    "MA",
    "MBA",
    "PhD",
    "Ph.D.",
    "Ph.D",
    "Doctorate",
    "Doctor",
    "BEng",
    "B.Eng.",
    "B.Eng",
    "MEng",
    "M.Eng.",
    "M.Eng",
    "B.Tech",
    "B.Tech.",
    "BTech",
    "M.Tech",
    "M.Tech.",
    "MTech",
    "Diploma",
    "Diplom",
    "Diplôme",
    "Licence",
    "Licenciatura",
    "Grado",
    "Laurea",
    "Magister",
    "Mestrado",
    "Associate",
    "A.S.",
    "A.A.",
    "HND",
    "Abitur",
    "Baccalauréat",
];

/// Words that name a teaching institution.
const INSTITUTION_WORDS: &[&str] = &[
    "university",
    "universität",
    "université",
    "universidad",
    "università",
    "universiteit",
    "universidade",
    "uniwersytet",
    "universitatea",
    "college",
    "institute",
    "institut",
    "instituto",
    "school",
    "academy",
    "polytechnic",
    "politecnico",
    "politehnica",
    "politécnica",
    "hochschule",
    "école",
    "escuela",
    "insa",
    "eth",
    "epfl",
    "mit",
    "kth",
    "iit",
    "ucl",
    "lse",
    "technion",
];

fn has_degree(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '-' | '/'))
        .any(|w| DEGREE_WORDS.contains(&w))
}

fn has_institution(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| INSTITUTION_WORDS.contains(&w.to_lowercase().as_str()))
}

fn parts(text: &str) -> Vec<String> {
    let mut pieces = vec![text.to_owned()];
    for sep in ["\t", " — ", " – ", " - ", " | ", " · ", ", "] {
        pieces = pieces
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    pieces
        .into_iter()
        .map(|p| {
            p.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '–' | '—' | '-'))
                .to_owned()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// A part that is only a year, a range of years, or a short note around one ("Expected May 2026").
fn is_year_part(part: &str) -> bool {
    !years(part).is_empty()
        && part.chars().filter(|c| c.is_alphabetic()).count() <= 12
        && !has_institution(part)
        && !has_degree(part)
}

/// The degrees in `lines`: in the education section when there is one, else lines naming both a degree and an
/// institution.
pub fn extract(lines: &[SectionLine<'_>]) -> Vec<EducationEntry> {
    let has_section = lines.iter().any(|l| l.section == Section::Education);
    let texts: Vec<&str> = lines
        .iter()
        .map(|l| strip_bullet(l.text).unwrap_or(l.text).trim())
        .collect();
    let mut entries = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text = texts[i];
        if line.heading || !has_degree(text) {
            continue;
        }
        let in_scope = if has_section {
            line.section == Section::Education
        } else {
            has_institution(text)
        };
        if !in_scope {
            continue;
        }
        let line_parts = parts(text);
        let mut degree = None;
        let mut institution = None;
        for p in &line_parts {
            if is_year_part(p) {
                continue;
            }
            if degree.is_none() && has_degree(p) && !has_institution(p) {
                degree = Some(p.clone());
            } else if institution.is_none() && has_institution(p) {
                institution = Some(p.clone());
            }
        }
        let degree = degree.unwrap_or_else(|| text.to_owned());
        let mut year = years(text).last().copied();
        // The institution or year on the next line (or the line before, in date-first layouts).
        for neighbour in [i + 1, i.wrapping_sub(1)] {
            let Some(other) = texts.get(neighbour) else {
                continue;
            };
            if lines[neighbour].heading || has_degree(other) {
                continue;
            }
            if institution.is_none() && !other.is_empty() {
                institution = parts(other).into_iter().find(|p| !is_year_part(p));
            }
            if year.is_none() {
                year = years(other).last().copied();
            }
        }
        entries.push(EducationEntry {
            degree,
            institution: institution.unwrap_or_default(),
            year: year.map(|y| y.to_string()),
        });
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::super::sections::label;
    use super::*;

    fn edu(text: &str) -> Vec<(String, String, Option<String>)> {
        extract(&label(text))
            .into_iter()
            .map(|e| (e.degree, e.institution, e.year))
            .collect()
    }

    #[test]
    fn degree_institution_and_year_in_common_layouts() {
        let text = "Education\n\
            B.S. in Computer Science — Stanford University, 2017\n\
            MSc Data Science\nUniversidad Politécnica de Madrid, 2016\n\
            2012 – 2016\tBSc Computer Science, Trinity College Dublin\n\
            Master of Engineering, INSA Lyon, 2014\n\
            Skills\nMaster of Puppets";
        assert_eq!(
            edu(text),
            [
                (
                    "B.S. in Computer Science".into(),
                    "Stanford University".into(),
                    Some("2017".into())
                ),
                (
                    "MSc Data Science".into(),
                    "Universidad Politécnica de Madrid".into(),
                    Some("2016".into())
                ),
                (
                    "BSc Computer Science".into(),
                    "Trinity College Dublin".into(),
                    Some("2016".into())
                ),
                (
                    "Master of Engineering".into(),
                    "INSA Lyon".into(),
                    Some("2014".into())
                ),
            ]
        );
    }
}
