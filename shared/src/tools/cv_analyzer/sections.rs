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
    ("technical skills", Section::Skills),
    ("core skills", Section::Skills),
    ("key skills", Section::Skills),
    ("skills and tools", Section::Skills),
    ("skills & tools", Section::Skills),
    ("tools & technologies", Section::Skills),
    ("tools and technologies", Section::Skills),
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
    ("certificates", Section::Other),
    ("licenses & certifications", Section::Other),
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
];

/// The section a heading line opens, if the line is a heading: a known heading word, alone on its line (a
/// trailing colon allowed). "Skills: Python, Go" is a skills line, not a heading.
pub fn is_heading(line: &str) -> Option<Section> {
    let trimmed = line.trim().trim_end_matches(':').trim();
    if trimmed.is_empty() || trimmed.len() > 40 {
        return None;
    }
    let lower = trimmed.to_lowercase();
    HEADINGS
        .iter()
        .find(|(h, _)| *h == lower)
        .map(|(_, section)| *section)
}

/// One line with the section it is in.
#[derive(Clone, Debug)]
pub struct SectionLine<'a> {
    pub text: &'a str,
    pub section: Section,
    /// Whether this line is the heading itself.
    pub heading: bool,
}

/// Every line of `text` labelled with its section.
pub fn label(text: &str) -> Vec<SectionLine<'_>> {
    let mut current = Section::Header;
    text.lines()
        .map(|line| {
            let heading = is_heading(line);
            if let Some(section) = heading {
                current = section;
            }
            SectionLine {
                text: line,
                section: current,
                heading: heading.is_some(),
            }
        })
        .collect()
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
    fn bullets_are_recognised() {
        assert_eq!(strip_bullet("• Built things"), Some("Built things"));
        assert_eq!(strip_bullet("  - Built things"), Some("Built things"));
        assert_eq!(strip_bullet("-2019"), None);
        assert_eq!(strip_bullet("Built things"), None);
    }
}
