//! The CV analyzer tool: resume text in, the seed's structured analysis out —
//! `candidateName, email, phone, skills, experience[], education[], totalYearsExperience` — plus the skills grouped
//! by category, the category most of them fall in, and how well the profile matches an interview type.
//!
//! Pure logic: no I/O. The `cv-analyzer` Lambda calls [`run`]; the upload route calls [`analyze`] directly.

mod contact;
mod dates;
mod education;
mod experience;
mod sections;
mod taxonomy;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::InterviewType;
use crate::tools::ToolError;

pub use dates::{DateRange, End, YearMonth, find_ranges, total_years};
pub use education::EducationEntry;
pub use experience::ExperienceEntry;
pub use taxonomy::{Skill, Taxonomy, TaxonomyError};

/// The longest resume text the tool accepts; about fifty pages.
pub const MAX_CV_TEXT_CHARS: usize = 200_000;

/// What to analyse and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// The date "Present" means; a parameter so results are reproducible.
    pub today: NaiveDate,
    /// The seed's `extractSkills`: when false, `skills` and the category fields stay empty.
    pub extract_skills: bool,
    /// The interview to match the profile against, if any.
    pub interview_type: Option<InterviewType>,
}

/// How well the resume's skills fit an interview type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterviewMatch {
    pub interview_type: InterviewType,
    /// 0–100: coverage of the type's key skills (70%) and depth in its categories (30%).
    pub score: u8,
    /// `strong` (≥ 70), `moderate` (≥ 40) or `weak`.
    pub level: String,
    pub matched_skills: Vec<String>,
    /// Key skills the resume does not mention, for the interviewer to probe.
    pub missing_skills: Vec<String>,
    pub summary: String,
}

/// The analysis, in the seed's shape with our additions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CvAnalysis {
    pub candidate_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Canonical skill names in order of first mention.
    pub skills: Vec<String>,
    /// The same skills by category ("Software Engineering", "Cloud Architecture", "Data Science", …).
    pub skills_by_category: BTreeMap<String, Vec<String>>,
    /// The category with the most skills: the profile's industry.
    pub primary_category: Option<String>,
    pub experience: Vec<ExperienceEntry>,
    pub education: Vec<EducationEntry>,
    /// Years covered by at least one position, overlaps counted once, to one decimal.
    pub total_years_experience: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview_match: Option<InterviewMatch>,
}

impl CvAnalysis {
    /// Whether the text had nothing a resume has: no name, email, phone, position, degree or skill. Such a text
    /// is some other document (or a few words), and an empty analysis of it would only mislead the interviewer.
    pub fn found_nothing(&self) -> bool {
        self.candidate_name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.skills.is_empty()
            && self.experience.is_empty()
            && self.education.is_empty()
    }
}

/// The tool's input: the seed's `{cvText, extractSkills}` plus an optional `interviewType`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ToolInput {
    cv_text: Option<Value>,
    #[serde(default)]
    extract_skills: Option<Value>,
    #[serde(default)]
    interview_type: Option<String>,
}

/// The Lambda's entry: validates the arguments, analyses with today's date, returns the analysis as JSON.
pub async fn run(args: Value) -> Result<Value, ToolError> {
    let today = chrono::Utc::now().date_naive();
    run_on(args, today)
}

/// [`run`] with a fixed date, for tests.
pub fn run_on(args: Value, today: NaiveDate) -> Result<Value, ToolError> {
    let input: ToolInput = serde_json::from_value(args).map_err(|e| {
        ToolError::invalid_input(format!(
            "expected {{cvText, extractSkills?, interviewType?}}: {e}"
        ))
    })?;
    let text = match input.cv_text {
        Some(Value::String(text)) if !text.trim().is_empty() => text,
        _ => {
            return Err(ToolError::invalid_input(
                "cvText must be the resume's text as a non-empty string",
            ));
        }
    };
    if text.chars().count() > MAX_CV_TEXT_CHARS {
        return Err(ToolError::invalid_input(format!(
            "cvText is longer than {MAX_CV_TEXT_CHARS} characters; send the resume's text only"
        )));
    }
    let extract_skills = match input.extract_skills {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => b,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(other) => {
            return Err(ToolError::invalid_input(format!(
                "extractSkills must be true or false, not {other}"
            )));
        }
    };
    let interview_type = input
        .interview_type
        .filter(|t| !t.trim().is_empty())
        .map(|t| InterviewType::parse(&t))
        .transpose()
        .map_err(|e| ToolError::invalid_input(e.to_string()))?;
    let options = Options {
        today,
        extract_skills,
        interview_type,
    };
    let analysis = analyze(&text, &options).map_err(|e| ToolError {
        code: "internal",
        message: e.to_string(),
    })?;
    serde_json::to_value(analysis).map_err(|e| ToolError {
        code: "internal",
        message: e.to_string(),
    })
}

/// Analyses resume text.
pub fn analyze(text: &str, options: &Options) -> Result<CvAnalysis, TaxonomyError> {
    let taxonomy = Taxonomy::embedded()?;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = sections::label(&text);
    let candidate_name = contact::name(&text);
    let email = contact::email(&text);
    let phone = contact::phone(&text);
    let (experience, periods) = experience::extract(&lines, options.today);
    let education = education::extract(&lines);
    let total_years_experience = total_years(&periods, options.today);

    let mut analysis = CvAnalysis {
        candidate_name,
        email,
        phone,
        skills: Vec::new(),
        skills_by_category: BTreeMap::new(),
        primary_category: None,
        experience,
        education,
        total_years_experience,
        interview_match: None,
    };
    if options.extract_skills {
        let found = find_skills(taxonomy, &lines, &analysis);
        for skill in &found {
            analysis
                .skills_by_category
                .entry(skill.category.clone())
                .or_default()
                .push(skill.name.clone());
        }
        analysis.primary_category = taxonomy
            .categories
            .iter()
            .filter_map(|c| analysis.skills_by_category.get(c).map(|s| (c, s.len())))
            .fold(None, |best: Option<(&String, usize)>, (c, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((c, n)),
            })
            .map(|(c, _)| c.clone());
        analysis.skills = found.into_iter().map(|s| s.name).collect();
    }
    if let Some(kind) = options.interview_type {
        analysis.interview_match = Some(match_interview(taxonomy, &analysis, kind));
    }
    Ok(analysis)
}

/// The category a skill is filed under when the taxonomy does not know it (a candidate's own addition).
pub const OTHER_CATEGORY: &str = "Other";

/// Recomputes what follows from the skills, positions and dates after a candidate corrected them: skill names the
/// taxonomy knows take its spelling, skills are filed by category (unknown ones under [`OTHER_CATEGORY`]), the
/// primary category and the fit with `interview_type` are recomputed, and the years of experience are counted again
/// from the positions' dates (overlaps once; a position without readable dates counts its `durationMonths`).
pub fn revise(
    analysis: &mut CvAnalysis,
    interview_type: Option<InterviewType>,
    today: NaiveDate,
) -> Result<(), TaxonomyError> {
    let taxonomy = Taxonomy::embedded()?;
    let mut skills: Vec<String> = Vec::new();
    let mut by_category: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for raw in &analysis.skills {
        let known = taxonomy
            .skills
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(raw.trim()));
        let (name, category) = match known {
            Some(skill) => (skill.name.clone(), skill.category.clone()),
            None => (raw.trim().to_owned(), OTHER_CATEGORY.to_owned()),
        };
        if name.is_empty() || skills.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
            continue;
        }
        by_category.entry(category).or_default().push(name.clone());
        skills.push(name);
    }
    analysis.skills = skills;
    analysis.primary_category = by_category
        .iter()
        .filter(|(c, _)| c.as_str() != OTHER_CATEGORY)
        .fold(None, |best: Option<(&String, usize)>, (c, s)| match best {
            Some((_, n)) if n >= s.len() => best,
            _ => Some((c, s.len())),
        })
        .map(|(c, _)| c.clone());
    analysis.skills_by_category = by_category;
    analysis.total_years_experience = dates::years_covered(
        analysis.experience.iter().map(|e| {
            (
                e.start_date.as_str(),
                e.end_date.as_str(),
                e.duration_months,
            )
        }),
        today,
    );
    analysis.interview_match = interview_type.map(|kind| match_interview(taxonomy, analysis, kind));
    Ok(())
}

/// Skills in order of first mention. The candidate's name, email and web addresses and the employers' names are
/// blanked first: "Ruby Chen" is not a Ruby developer, and working at Datadog is not using it.
fn find_skills(
    taxonomy: &Taxonomy,
    lines: &[sections::SectionLine<'_>],
    analysis: &CvAnalysis,
) -> Vec<Skill> {
    let mut masks: Vec<&str> = analysis
        .experience
        .iter()
        .map(|e| e.company.as_str())
        .filter(|c| c.chars().count() >= 3)
        .collect();
    if let Some(name) = &analysis.candidate_name {
        masks.push(name);
    }
    let mut seen = Vec::new();
    let mut skills = Vec::new();
    for line in lines {
        let mut masked = line.text.to_owned();
        let mut spans = contact::email_spans(&masked);
        spans.extend(contact::url_spans(&masked));
        for span in spans {
            masked.replace_range(span.clone(), &" ".repeat(span.len()));
        }
        for mask in &masks {
            if masked.contains(mask) {
                masked = masked.replace(mask, &" ".repeat(mask.len()));
            }
        }
        let in_skills = line.section == sections::Section::Skills;
        for index in taxonomy.find_in_line(&masked, in_skills) {
            if !seen.contains(&index) {
                seen.push(index);
                skills.push(taxonomy.skills[index].clone());
            }
        }
    }
    // What the candidate listed as skills counts even when the taxonomy does not know it ("PyCharm").
    for line in skill_list_lines(lines) {
        for item in listed_items(&line) {
            let known = !taxonomy.find_in_line(item, true).is_empty();
            let repeated = skills.iter().any(|s| s.name.eq_ignore_ascii_case(item));
            if !known && !repeated {
                skills.push(Skill {
                    name: item.to_owned(),
                    category: OTHER_CATEGORY.to_owned(),
                });
            }
        }
    }
    skills
}

/// The lines of the skills sections, with a list wrapped over two lines joined again: a long line that does not
/// end at a separator, followed by one that starts no new bullet or label, continues it ("…, System" /
/// "Design, …").
fn skill_list_lines(lines: &[sections::SectionLine<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        if line.section != sections::Section::Skills || line.heading {
            open = false;
            continue;
        }
        let text = line.text.trim();
        let continues = open
            && sections::strip_bullet(text).is_none()
            && category_label(text).is_none()
            && !text.contains('\t');
        match out.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(text);
            }
            _ => out.push(text.to_owned()),
        }
        // Only a line long enough to have filled the width wraps.
        open = text.contains(',') && !text.ends_with([',', ';', '.']) && text.chars().count() >= 60;
    }
    out
}

/// The category label a list line starts with and the list after it: "Developer Tools: Git, Docker",
/// "Current – Crime solving, Disguise", or a table row's first cell ("Cloud\tAWS, Azure").
fn category_label(text: &str) -> Option<(&str, &str)> {
    let short = |label: &str| (1..=4).contains(&label.split_whitespace().count());
    for separator in [":", " – ", " - ", "\t"] {
        if let Some((label, rest)) = text.split_once(separator)
            && short(label)
            && (separator == ":" || rest.contains(','))
        {
            return Some((label, rest));
        }
    }
    None
}

/// The items of a line in a skills list: separated by commas, semicolons, bullets or bars, after any category
/// label. Only short items count; a sentence in the section is not a skill.
fn listed_items(line: &str) -> Vec<&str> {
    let text = sections::strip_bullet(line).unwrap_or(line);
    let text = category_label(text).map_or(text, |(_, rest)| rest);
    text.split([',', ';', '•', '|', '·', '\t'])
        .map(|item| item.trim().trim_end_matches('.').trim())
        .filter(|item| {
            let words = item.split_whitespace().count();
            (1..=3).contains(&words)
                && item.chars().count() <= 30
                && item.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !item.contains(['(', ')', '='])
                && item.chars().next().is_some_and(char::is_alphanumeric)
        })
        .collect()
}

fn match_interview(
    taxonomy: &Taxonomy,
    analysis: &CvAnalysis,
    kind: InterviewType,
) -> InterviewMatch {
    let profile = taxonomy.profiles.get(kind.as_str());
    let has = |name: &str| analysis.skills.iter().any(|s| s.eq_ignore_ascii_case(name));
    let (matched, missing): (Vec<String>, Vec<String>) = profile
        .map(|p| p.key_skills.clone())
        .unwrap_or_default()
        .into_iter()
        .partition(|k| has(k));
    let depth: usize = profile
        .map(|p| {
            p.categories
                .iter()
                .filter_map(|c| analysis.skills_by_category.get(c))
                .map(Vec::len)
                .sum()
        })
        .unwrap_or(0);
    let coverage = (matched.len() as f64 / 6.0).min(1.0);
    let depth_share = (depth as f64 / 10.0).min(1.0);
    let score = (70.0 * coverage + 30.0 * depth_share)
        .round()
        .clamp(0.0, 100.0) as u8;
    let level = match score {
        70.. => "strong",
        40..=69 => "moderate",
        _ => "weak",
    };
    let summary = if matched.is_empty() {
        format!("{level} match for {kind}: none of its key skills appear in the resume")
    } else {
        format!(
            "{level} match for {kind}: {} of its key skills ({})",
            matched.len(),
            matched.join(", ")
        )
    };
    InterviewMatch {
        interview_type: kind,
        score,
        level: level.to_owned(),
        matched_skills: matched,
        missing_skills: missing,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
    }

    const RESUME: &str = "Ruby Chen\nruby.chen@example.com | +1 415 555 0100\n\n\
        Experience\nSenior Engineer — Datadog\tJan 2020 – Present\n• Built Go services on Kubernetes.\n\
        Engineer, Acme Corp\n2016 – 2020\n• Python and PostgreSQL.\n\n\
        Education\nBSc Computer Science, University of Leeds, 2016\n\n\
        Skills\nGo, Python, Kubernetes, Distributed Systems, System Design, Algorithms, Data Structures";

    #[test]
    fn the_seed_fields_and_our_additions() {
        let analysis = analyze(
            RESUME,
            &Options {
                today: today(),
                extract_skills: true,
                interview_type: Some(InterviewType::GoogleSde),
            },
        )
        .unwrap();
        assert_eq!(analysis.candidate_name.as_deref(), Some("Ruby Chen"));
        assert_eq!(analysis.email.as_deref(), Some("ruby.chen@example.com"));
        assert_eq!(analysis.phone.as_deref(), Some("+1 415 555 0100"));
        assert_eq!(
            analysis.skills,
            [
                "Go",
                "Kubernetes",
                "Python",
                "PostgreSQL",
                "Distributed Systems",
                "System Design",
                "Algorithms",
                "Data Structures"
            ]
        );
        assert!(
            !analysis
                .skills
                .iter()
                .any(|s| s == "Ruby" || s == "Datadog")
        );
        assert_eq!(analysis.experience.len(), 2);
        assert_eq!(analysis.experience[1].start_date, "2016");
        // 2016-01..2019-12 and 2020-01..2026-06, no overlap: 126 months.
        assert_eq!(analysis.total_years_experience, 10.5);
        assert_eq!(analysis.education[0].institution, "University of Leeds");
        assert_eq!(
            analysis.primary_category.as_deref(),
            Some("Software Engineering")
        );
        let matched = analysis.interview_match.unwrap();
        assert_eq!(matched.level, "strong");
        assert!(matched.missing_skills.contains(&"Java".to_owned()));
    }

    #[test]
    fn run_validates_and_answers_in_the_seed_shape() {
        let out = run_on(json!({"cvText": RESUME, "extractSkills": false}), today()).unwrap();
        assert_eq!(out["candidateName"], "Ruby Chen");
        assert_eq!(out["skills"], json!([]));
        assert!(out.get("interviewMatch").is_none());
        assert_eq!(out["experience"][0]["durationMonths"], 78);
        let err = run_on(json!({"cvText": "  "}), today()).unwrap_err();
        assert_eq!(err.code, "invalid_input");
        let err = run_on(json!({"cvText": "x", "interviewType": "Netflix"}), today()).unwrap_err();
        assert!(err.message.contains("Google SDE"), "{}", err.message);
    }

    #[test]
    fn listed_skills_count_even_when_the_taxonomy_does_not_know_them() {
        let text = "Kim Park\nkim@example.com\n\nSkills\n\
            Developer Tools: Git, PyCharm, Zettel Notes\n\
            Cloud\tAWS, Quokka Desktop\n\
            Go, Python, Kubernetes, Terraform, Docker, Linux, PostgreSQL, Redis, Distributed\nSystems, Quill Editor\n\
            I enjoy pairing with other engineers on hard problems.";
        let analysis = analyze(
            text,
            &Options {
                today: today(),
                extract_skills: true,
                interview_type: None,
            },
        )
        .unwrap();
        for listed in ["PyCharm", "Zettel Notes", "Quokka Desktop", "Quill Editor"] {
            assert!(
                analysis.skills.iter().any(|s| s == listed),
                "{listed}: {:?}",
                analysis.skills
            );
        }
        // Labels, sentences and the halves of a wrapped item are not skills.
        assert!(
            !analysis.skills.iter().any(|s| {
                ["Cloud", "Developer Tools", "Distributed", "Systems"].contains(&s.as_str())
                    || s.contains("enjoy")
            }),
            "{:?}",
            analysis.skills
        );
        assert_eq!(
            analysis
                .skills_by_category
                .get(OTHER_CATEGORY)
                .map(Vec::len),
            Some(4)
        );
    }
}
