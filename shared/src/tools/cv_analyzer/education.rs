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
    "Associate's",
    "Associate’s",
    "Associates",
    "B.S.E.",
    "M.S.E.",
    "BSE",
    "MSE",
    "M.B.A.",
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
    text.split(['\t', ';'])
        .flat_map(|cell| cell.split(", ").enumerate())
        // "Boston, MA": a two-letter code after a comma, alone, is a state, not a Master of Arts.
        .filter(|(i, piece)| !(*i > 0 && is_state_code(piece.trim())))
        .any(|(_, piece)| {
            piece
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '-' | '/'))
                .any(|w| DEGREE_WORDS.contains(&w))
        })
}

fn is_state_code(piece: &str) -> bool {
    piece.len() == 2 && piece.chars().all(|c| c.is_ascii_uppercase())
}

fn has_institution(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| INSTITUTION_WORDS.contains(&w.to_lowercase().as_str()))
}

/// The fields of a line: its cells (tab-separated) and the pieces between separators that never occur inside a
/// degree's or an institution's name. A comma does not split here: "Bachelor of Arts in Computer Science, Minor
/// in Business" is one degree.
fn parts(text: &str) -> Vec<String> {
    let mut pieces = vec![text.to_owned()];
    for sep in ["\t", " — ", " – ", " | ", " · "] {
        pieces = pieces
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>())
            .collect();
    }
    pieces
        .into_iter()
        .map(|p| trim_field(&p).to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn trim_field(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '–' | '—' | '-' | ';'))
}

/// A part that is only a year, a range of years, or a short note around one ("Expected May 2026").
fn is_year_part(part: &str) -> bool {
    !years(part).is_empty()
        && part.chars().filter(|c| c.is_alphabetic()).count() <= 16
        && !has_institution(part)
        && !has_degree(part)
}

/// A field's comma-separated pieces, without those that are only dates.
fn comma_pieces(field: &str) -> Vec<&str> {
    field
        .split(", ")
        .map(trim_field)
        .filter(|p| !p.is_empty() && !is_year_part(p))
        .collect()
}

/// The degree and institution a field names. A field naming both ("MSc, Trinity College Dublin") splits at its
/// commas: the institution is the piece with an institution word, the degree runs from the piece with a degree
/// word up to it. A field naming one keeps its commas, less any dates ("…, expected May 2016").
fn read_field(field: &str) -> (Option<String>, Option<String>) {
    if let Some(read) = institution_in_brackets(field) {
        return read;
    }
    let pieces = comma_pieces(field);
    let degree_at = pieces.iter().position(|p| has_degree(p));
    let institution_at = pieces
        .iter()
        .position(|p| has_institution(p) && !has_degree(p));
    match (degree_at, institution_at) {
        (Some(d), Some(i)) => {
            let degree_end = if i > d { i } else { pieces.len() };
            (
                Some(pieces[d..degree_end].join(", ")),
                Some(pieces[i].to_owned()),
            )
        }
        (Some(d), None) => (Some(pieces[d..].join(", ")), None),
        (None, Some(i)) => (None, Some(pieces[i].to_owned())),
        (None, None) => (None, None),
    }
}

/// "Bachelor of Science in Physics, Lakeside State, Austin, USA": when no line names the institution with a word
/// such as "University", the first capitalised comma piece after the degree that does not continue it (as
/// "Minor in Music" or "Specialization in AI" do) is the institution's name.
fn degree_then_name(degree: &str) -> Option<(String, String)> {
    let pieces = comma_pieces(degree);
    let continues =
        |p: &str| p.contains(" in ") || p.contains(" of ") || p.starts_with(char::is_lowercase);
    let at = (1..pieces.len()).find(|&i| !continues(pieces[i]))?;
    pieces[at]
        .starts_with(char::is_uppercase)
        .then(|| (pieces[..at].join(", "), pieces[at].to_owned()))
}

/// "BA (Christ's College) in History": the institution in brackets inside the degree.
fn institution_in_brackets(field: &str) -> Option<(Option<String>, Option<String>)> {
    let open = field.find('(')?;
    let close = open + field[open..].find(')')?;
    let inside = field[open + 1..close].trim();
    if !has_institution(inside) || !has_degree(&field[..open]) {
        return None;
    }
    let degree = format!(
        "{} {}",
        field[..open].trim_end(),
        field[close + 1..].trim_start()
    );
    let degree = comma_pieces(degree.trim()).join(", ");
    Some((Some(degree), Some(inside.to_owned())))
}

/// The institution a neighbouring line names: the field with an institution word, else its first field that is
/// not a date.
fn institution_on(text: &str) -> Option<String> {
    let fields = parts(text);
    fields.iter().find_map(|f| read_field(f).1).or_else(|| {
        fields
            .iter()
            .find(|f| !is_year_part(f))
            .and_then(|f| comma_pieces(f).first().map(|p| (*p).to_owned()))
    })
}

/// The degrees in `lines`: in the education section when there is one, else lines naming both a degree and an
/// institution. An institution not on the degree's line is on the line above (the institution heads the entry, as
/// most templates set it) unless that line belongs to another degree, else on the line below.
pub fn extract(lines: &[SectionLine<'_>]) -> Vec<EducationEntry> {
    let has_section = lines.iter().any(|l| l.section == Section::Education);
    let texts: Vec<&str> = lines
        .iter()
        .map(|l| strip_bullet(l.text).unwrap_or(l.text).trim())
        .collect();
    let mut entries = Vec::new();
    let mut used = vec![false; lines.len()];
    let mut last_section = None;
    let mut heading_institution = false;
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
        used[i] = true;
        let mut degree = None;
        let mut institution = None;
        for field in parts(text) {
            if is_year_part(&field) {
                continue;
            }
            let (d, inst) = read_field(&field);
            if degree.is_none() {
                degree = d;
            }
            if institution.is_none() {
                institution = inst;
            }
        }
        let mut degree = degree.unwrap_or_else(|| text.to_owned());
        let mut year = years(text).last().copied();
        let usable = |n: usize| {
            lines.get(n).is_some_and(|l| {
                !l.heading
                    && l.section == line.section
                    && !has_degree(texts[n])
                    && !texts[n].is_empty()
            })
        };
        let above = i.checked_sub(1).filter(|&n| usable(n) && !used[n]);
        let below = Some(i + 1).filter(|&n| usable(n));
        let above_names = above.and_then(|n| {
            institution_on(texts[n])
                .filter(|p| has_institution(p))
                .map(|p| (n, p))
        });
        let below_names = below.and_then(|n| institution_on(texts[n]).map(|p| (n, p)));
        // Lines of detail under the previous degree ("• GPA: 3.7") name no institution.
        let plain = |n: &usize| strip_bullet(lines[*n].text).is_none();
        let previous: Option<&EducationEntry> = entries.last();
        let inherited = previous
            .filter(|_| heading_institution && last_section == Some(line.section))
            .map(|e| e.institution.clone());
        let own_line = institution.is_some();
        if institution.is_none() {
            let chosen = above_names
                .or_else(|| below_names.clone().filter(|(_, p)| has_institution(p)))
                .or_else(|| inherited.map(|p| (i, p)))
                .or_else(|| {
                    above
                        .filter(plain)
                        .and_then(|n| institution_on(texts[n]).map(|p| (n, p)))
                })
                .or_else(|| below_names.clone().filter(|(n, _)| plain(n)));
            if let Some((n, name)) = chosen {
                used[n] = true;
                institution = Some(name);
                if year.is_none() {
                    year = years(texts[n]).last().copied();
                }
            }
        }
        if institution.is_none()
            && let Some((field, name)) = degree_then_name(&degree)
        {
            degree = field;
            institution = Some(name);
        }
        for n in [below, above].into_iter().flatten() {
            if year.is_none() {
                year = years(texts[n]).last().copied();
            }
        }
        last_section = Some(line.section);
        // An institution on a line of its own heads the degrees under it until another is named.
        heading_institution = !own_line && institution.is_some();
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

    #[test]
    fn institution_above_shared_by_degrees_or_in_brackets() {
        let text = "Education\n\
            Lakeside University\tAustin, TX\n\
            Bachelor of Science in Physics, Minor in Music\tAug. 2015 – May 2019\n\
            Riverbend College\tWaco, TX\n\
            Associate’s in General Studies\tAug. 2013 – May 2015\n\
            Boston, MA\tNortheast Institute of Technology\tFall 2019 – May 2021\n\
            • M.S.E. in Robotics, May 2021. GPA: 3.8\n\
            • B.S.E. in Mechanical Engineering, expected December 2021\n\
            • Coursework: Control; Vision.\n\
            BA (Hill Street College) in History\t1999";
        assert_eq!(
            edu(text),
            [
                (
                    "Bachelor of Science in Physics, Minor in Music".into(),
                    "Lakeside University".into(),
                    Some("2019".into())
                ),
                (
                    "Associate’s in General Studies".into(),
                    "Riverbend College".into(),
                    Some("2015".into())
                ),
                (
                    "M.S.E. in Robotics".into(),
                    "Northeast Institute of Technology".into(),
                    Some("2021".into())
                ),
                (
                    "B.S.E. in Mechanical Engineering".into(),
                    "Northeast Institute of Technology".into(),
                    Some("2021".into())
                ),
                (
                    "BA in History".into(),
                    "Hill Street College".into(),
                    Some("1999".into())
                ),
            ]
        );
    }

    #[test]
    fn a_name_after_the_degree_without_an_institution_word() {
        assert_eq!(
            edu(
                "Education\n2010 – 2014\nBachelor of Science in Physics, Minor in Music, Lakeside State, Austin, USA"
            ),
            [(
                "Bachelor of Science in Physics, Minor in Music".into(),
                "Lakeside State".into(),
                Some("2014".into())
            )]
        );
    }
}
