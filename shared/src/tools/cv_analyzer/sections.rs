//! Resume sections by their headings, in English and a few other languages resumes are commonly written in.

/// What a section holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Above the first heading: name and contact details.
    Header,
    Summary,
    Experience,
    Education,
    Skills,
    Languages,
    Other,
}

const HEADINGS: &[(&str, Section)] = &[
    ("summary", Section::Summary),
    ("professional summary", Section::Summary),
    ("profile", Section::Summary),
    ("professional profile", Section::Summary),
    ("about me", Section::Summary),
    ("about", Section::Summary),
    ("objective", Section::Summary),
    ("career objective", Section::Summary),
    ("profil", Section::Summary),
    ("experience", Section::Experience),
    ("work experience", Section::Experience),
    ("professional experience", Section::Experience),
    ("relevant experience", Section::Experience),
    ("employment", Section::Experience),
    ("employment history", Section::Experience),
    ("work history", Section::Experience),
    ("career", Section::Experience),
    ("career history", Section::Experience),
    ("professional background", Section::Experience),
    ("berufserfahrung", Section::Experience),
    ("erfahrung", Section::Experience),
    ("expérience", Section::Experience),
    ("expériences", Section::Experience),
    ("expérience professionnelle", Section::Experience),
    ("experiencia", Section::Experience),
    ("experiencia profesional", Section::Experience),
    ("experiência", Section::Experience),
    ("esperienza", Section::Experience),
    ("werkervaring", Section::Experience),
    ("doświadczenie", Section::Experience),
    ("research experience", Section::Experience),
    ("industry experience", Section::Experience),
    ("employment experience", Section::Experience),
    ("professional employment", Section::Experience),
    ("education", Section::Education),
    ("academic background", Section::Education),
    ("education and training", Section::Education),
    ("academic qualifications", Section::Education),
    ("qualifications", Section::Education),
    ("ausbildung", Section::Education),
    ("bildung", Section::Education),
    ("studium", Section::Education),
    ("formation", Section::Education),
    ("formación", Section::Education),
    ("educación", Section::Education),
    ("istruzione", Section::Education),
    ("opleiding", Section::Education),
    ("wykształcenie", Section::Education),
    ("skills", Section::Skills),
    ("computer skills", Section::Skills),
    ("programming skills", Section::Skills),
    ("technical skills", Section::Skills),
    ("core skills", Section::Skills),
    ("key skills", Section::Skills),
    ("core competencies", Section::Skills),
    ("competencies", Section::Skills),
    ("technologies", Section::Skills),
    ("tech stack", Section::Skills),
    ("technical expertise", Section::Skills),
    ("expertise", Section::Skills),
    ("toolbox", Section::Skills),
    ("tools", Section::Skills),
    ("kenntnisse", Section::Skills),
    ("fähigkeiten", Section::Skills),
    ("compétences", Section::Skills),
    ("habilidades", Section::Skills),
    ("competencias", Section::Skills),
    ("languages", Section::Languages),
    ("sprachen", Section::Languages),
    ("langues", Section::Languages),
    ("idiomas", Section::Languages),
    ("certifications", Section::Other),
    ("licenses", Section::Other),
    ("training", Section::Other),
    ("certificates", Section::Other),
    ("projects", Section::Other),
    ("personal projects", Section::Other),
    ("interests", Section::Other),
    ("hobbies", Section::Other),
    ("references", Section::Other),
    ("awards", Section::Other),
    ("publications", Section::Other),
    ("volunteering", Section::Other),
    ("achievements", Section::Other),
    ("contact", Section::Other),
    ("research", Section::Other),
    ("academic projects", Section::Other),
    ("selected projects", Section::Other),
    ("volunteer", Section::Other),
    ("volunteer experience", Section::Other),
    ("volunteer work", Section::Other),
    ("leadership", Section::Other),
    ("leadership experience", Section::Other),
    ("activities", Section::Other),
    ("campus activities", Section::Other),
    ("extracurricular activities", Section::Other),
    ("professional affiliations", Section::Other),
    ("affiliations", Section::Other),
    ("memberships", Section::Other),
    ("honors", Section::Other),
    ("honours", Section::Other),
    ("scholarships", Section::Other),
    ("miscellaneous", Section::Other),
    ("links", Section::Other),
    ("coursework", Section::Other),
    ("relevant coursework", Section::Other),
    ("courses", Section::Other),
    ("conferences", Section::Other),
    ("presentations", Section::Other),
    ("patents", Section::Other),
    ("teaching", Section::Other),
    ("additional information", Section::Other),
    ("references available upon request", Section::Other),
    ("referees", Section::Other),
];

/// The section a heading line opens, if the line is a heading: a known heading word, alone on its line (a
/// trailing colon allowed). "Skills: Python, Go" is a skills line, not a heading.
pub fn is_heading(line: &str) -> Option<Section> {
    // An icon set before a heading (a private-use glyph from an icon font) is decoration.
    let trimmed = line
        .trim()
        .trim_start_matches(is_private_use)
        .trim()
        .trim_end_matches(':')
        .trim();
    if trimmed.is_empty() || trimmed.len() > 40 {
        return None;
    }
    let lower = trimmed.to_lowercase();
    known_heading(&lower).or_else(|| compound_heading(&lower))
}

fn known_heading(lower: &str) -> Option<Section> {
    HEADINGS
        .iter()
        .find(|(h, _)| *h == lower)
        .map(|(_, section)| *section)
}

/// Words that narrow a heading without changing what it holds ("Other Work Experience", "Additional
/// Information", "Selected Projects").
const QUALIFIERS: &[&str] = &[
    "other",
    "additional",
    "selected",
    "relevant",
    "recent",
    "further",
];

/// A heading made of known headings joined ("Honors & Awards", "Work Experience and Employment", "Languages and
/// Technologies"), each part perhaps qualified ("Additional Experience and Awards"). Its parts agreeing give their
/// section; skills with languages are skills (a programming résumé's "Languages and Tools"); any other mix holds
/// more than one kind of thing, so it is not read as experience or education.
fn compound_heading(lower: &str) -> Option<Section> {
    let mut sections = Vec::new();
    for part in lower
        .split([',', '&', '/', '+'])
        .flat_map(|p| p.split(" and "))
    {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let part = QUALIFIERS
            .iter()
            .find_map(|q| part.strip_prefix(q).and_then(|rest| rest.strip_prefix(' ')))
            .unwrap_or(part)
            .trim();
        sections.push(known_heading(part)?);
    }
    let first = *sections.first()?;
    if sections.iter().all(|s| *s == first) {
        return Some(first);
    }
    if sections
        .iter()
        .all(|s| matches!(s, Section::Skills | Section::Languages))
    {
        return Some(Section::Skills);
    }
    Some(Section::Other)
}

/// A character from a private-use area: icon fonts (Font Awesome, Symbol bullets) map their glyphs there.
pub fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// One line with the section it is in.
#[derive(Clone, Debug)]
pub struct SectionLine<'a> {
    pub text: &'a str,
    pub section: Section,
    /// Whether this line is the heading itself.
    pub heading: bool,
}

/// Every line of `text` labelled with its section. Templates that set headings in a left margin put the heading
/// in the first cell of the line it stands beside, sometimes wrapped over the first cells of two or three lines
/// ("OTHER WORK" / "EXPERIENCE"): such a heading opens its section, and the rest of each line is read as content.
pub fn label(text: &str) -> Vec<SectionLine<'_>> {
    let raw: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut current = Section::Header;
    let mut i = 0;
    while i < raw.len() {
        let line = raw[i];
        if let Some(section) = is_heading(line) {
            current = section;
            out.push(SectionLine {
                text: line,
                section: current,
                heading: true,
            });
            i += 1;
            continue;
        }
        if let Some((section, taken)) = margin_heading(&raw[i..]) {
            current = section;
            let split: Vec<(&str, &str)> = raw[i..i + taken]
                .iter()
                .map(|l| l.split_once('\t').unwrap_or((l, "")))
                .collect();
            // The heading's cells first, then the lines beside it, so the content reads on uninterrupted.
            for (cell, _) in &split {
                out.push(SectionLine {
                    text: cell,
                    section: current,
                    heading: true,
                });
            }
            for (_, rest) in split.iter().filter(|(_, rest)| !rest.trim().is_empty()) {
                out.push(SectionLine {
                    text: rest,
                    section: current,
                    heading: false,
                });
            }
            i += taken;
            continue;
        }
        out.push(SectionLine {
            text: line,
            section: current,
            heading: false,
        });
        i += 1;
    }
    out
}

/// A heading set in the first cells of up to three consecutive lines, and how many lines it spans; the longest
/// such heading ("RESEARCH" / "EXPERIENCE" is research experience, not research).
fn margin_heading(lines: &[&str]) -> Option<(Section, usize)> {
    let mut words = String::new();
    let mut found = None;
    for (n, line) in lines.iter().take(3).enumerate() {
        let Some((cell, _)) = line.split_once('\t') else {
            break;
        };
        let cell = cell.trim();
        // A margin heading is set in capitals; a title or a company in the first cell is not.
        if cell.is_empty() || cell.chars().any(char::is_lowercase) {
            break;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(cell);
        if let Some(section) = is_heading(&words) {
            found = Some((section, n + 1));
        }
    }
    found
}

/// A bullet's marker, if the line starts with one.
pub fn strip_bullet(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    for marker in [
        '•', '◦', '▪', '●', '■', '‣', '\u{F0B7}', '*', '-', '–', '·', '>',
    ] {
        if let Some(rest) = trimmed.strip_prefix(marker)
            && (rest.starts_with(char::is_whitespace) || marker == '•' || marker == '\u{F0B7}')
        {
            return Some(rest.trim_start());
        }
    }
    // A symbol font's bullet, mapped to a private-use code point.
    let mut chars = trimmed.chars();
    if chars.next().is_some_and(is_private_use) {
        return Some(chars.as_str().trim_start());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_several_languages() {
        assert_eq!(is_heading("EXPERIENCE"), Some(Section::Experience));
        assert_eq!(is_heading("Berufserfahrung"), Some(Section::Experience));
        assert_eq!(is_heading("Technical Skills:"), Some(Section::Skills));
        assert_eq!(is_heading("Formation"), Some(Section::Education));
        assert_eq!(is_heading("Skills: Python, Go"), None);
        let labelled = label("Jane Doe\nSkills\nGo\nEducation\nBSc");
        let sections: Vec<Section> = labelled.iter().map(|l| l.section).collect();
        assert_eq!(
            sections,
            [
                Section::Header,
                Section::Skills,
                Section::Skills,
                Section::Education,
                Section::Education
            ]
        );
    }

    #[test]
    fn headings_joined_from_known_headings_take_the_section_their_parts_share() {
        assert_eq!(
            is_heading("Employment & Work History"),
            Some(Section::Experience)
        );
        assert_eq!(is_heading("Other Experience"), Some(Section::Experience));
        assert_eq!(is_heading("Tools, Technologies"), Some(Section::Skills));
        assert_eq!(is_heading("Skills / Languages"), Some(Section::Skills));
        assert_eq!(
            is_heading("Certifications and Awards"),
            Some(Section::Other)
        );
        assert_eq!(
            is_heading("Further Education and Projects"),
            Some(Section::Other),
            "a mix is not education"
        );
        assert_eq!(
            is_heading("Education and Sailing"),
            None,
            "every part known"
        );
        assert_eq!(is_heading("Python and Go"), None);
    }

    #[test]
    fn bullets_are_recognised() {
        assert_eq!(strip_bullet("• Built things"), Some("Built things"));
        assert_eq!(strip_bullet("  - Built things"), Some("Built things"));
        assert_eq!(strip_bullet("-2019"), None);
        assert_eq!(strip_bullet("Built things"), None);
    }

    #[test]
    fn margin_headings_and_icon_prefixed_headings() {
        assert_eq!(is_heading("\u{F02D} Education"), Some(Section::Education));
        let labelled = label(
            "EDUCATION\tAcme College\n■ BSc\nOTHER WORK\tBeta Works, Leeds\n\
             EXPERIENCE\t■ Engineer\tJan 2020 – Present\nAWARDS &\t■ Prize\nSCHOLARSHIPS\tFor work.",
        );
        let read: Vec<(&str, Section, bool)> = labelled
            .iter()
            .map(|l| (l.text, l.section, l.heading))
            .collect();
        assert_eq!(
            read,
            [
                ("EDUCATION", Section::Education, true),
                ("Acme College", Section::Education, false),
                ("■ BSc", Section::Education, false),
                ("OTHER WORK", Section::Experience, true),
                ("EXPERIENCE", Section::Experience, true),
                ("Beta Works, Leeds", Section::Experience, false),
                ("■ Engineer\tJan 2020 – Present", Section::Experience, false),
                ("AWARDS &", Section::Other, true),
                ("SCHOLARSHIPS", Section::Other, true),
                ("■ Prize", Section::Other, false),
                ("For work.", Section::Other, false),
            ]
        );
        assert_eq!(strip_bullet("\u{F0A7} Item"), Some("Item"));
    }
}
