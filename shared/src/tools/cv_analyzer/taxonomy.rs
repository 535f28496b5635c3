//! The skills taxonomy (`shared/data/skills.json`, embedded at build time) and the matcher over it.
//!
//! Canonical names are spelled as resumes list them ("PostgreSQL", "Kubernetes", "Go"), because the interviewer
//! compares its question bank's skills with these names case-insensitively. Matching is on token boundaries: no
//! "Java" inside "JavaScript", no "Go" inside "good". Names that are also ordinary words or letters carry a match
//! mode: `cased` ones ("Go", "React", "Rust") must appear in their exact case and, at the start of a sentence,
//! in a list; `listed` ones ("C", "R", "Express") only count inside a list or a skills section.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

const TAXONOMY_JSON: &str = include_str!("../../../data/skills.json");

/// How strictly an alias must appear to count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Any case, on token boundaries.
    #[default]
    Word,
    /// Exact case; at a sentence start only inside a list.
    Cased,
    /// Exact case, and only inside a list (between commas, bullets, slashes, a colon, tabs or line ends) or a
    /// skills section.
    Listed,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AliasSpec {
    Plain(String),
    Moded { text: String, r#match: MatchMode },
}

#[derive(Deserialize)]
struct SkillSpec {
    name: String,
    category: String,
    #[serde(default)]
    r#match: MatchMode,
    #[serde(default)]
    aliases: Vec<AliasSpec>,
}

/// What an interview type looks for.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterviewProfile {
    pub key_skills: Vec<String>,
    pub categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaxonomySpec {
    categories: Vec<String>,
    skills: Vec<SkillSpec>,
    interview_profiles: HashMap<String, InterviewProfile>,
}

/// One skill as the analysis reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    pub category: String,
}

/// One searchable spelling of a skill.
struct Pattern {
    skill: usize,
    text: String,
    mode: MatchMode,
}

/// The loaded taxonomy with its automaton.
pub struct Taxonomy {
    pub categories: Vec<String>,
    pub skills: Vec<Skill>,
    pub profiles: HashMap<String, InterviewProfile>,
    patterns: Vec<Pattern>,
    automaton: AhoCorasick,
}

/// Why the embedded taxonomy failed to load; only a broken build can cause it, and a unit test catches that.
#[derive(Debug, thiserror::Error)]
#[error("the embedded skills taxonomy is invalid: {0}")]
pub struct TaxonomyError(String);

impl Taxonomy {
    /// The taxonomy built into this binary, parsed once.
    pub fn embedded() -> Result<&'static Taxonomy, TaxonomyError> {
        static TAXONOMY: OnceLock<Result<Taxonomy, String>> = OnceLock::new();
        TAXONOMY
            .get_or_init(|| Taxonomy::parse(TAXONOMY_JSON).map_err(|e| e.0))
            .as_ref()
            .map_err(|e| TaxonomyError(e.clone()))
    }

    fn parse(json: &str) -> Result<Self, TaxonomyError> {
        let spec: TaxonomySpec =
            serde_json::from_str(json).map_err(|e| TaxonomyError(e.to_string()))?;
        let mut skills = Vec::new();
        let mut patterns = Vec::new();
        for (index, s) in spec.skills.into_iter().enumerate() {
            if !spec.categories.contains(&s.category) {
                return Err(TaxonomyError(format!(
                    "{} has an unknown category {}",
                    s.name, s.category
                )));
            }
            patterns.push(Pattern {
                skill: index,
                text: s.name.clone(),
                mode: s.r#match,
            });
            for alias in s.aliases {
                let (text, mode) = match alias {
                    AliasSpec::Plain(text) => (text, MatchMode::Word),
                    AliasSpec::Moded { text, r#match } => (text, r#match),
                };
                patterns.push(Pattern {
                    skill: index,
                    text,
                    mode,
                });
            }
            skills.push(Skill {
                name: s.name,
                category: s.category,
            });
        }
        for profile in spec.interview_profiles.values() {
            if let Some(unknown) = profile
                .key_skills
                .iter()
                .find(|k| !skills.iter().any(|s| &s.name == *k))
            {
                return Err(TaxonomyError(format!(
                    "interview profile names unknown skill {unknown}"
                )));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.text.as_str()))
            .map_err(|e| TaxonomyError(e.to_string()))?;
        Ok(Self {
            categories: spec.categories,
            skills,
            profiles: spec.interview_profiles,
            patterns,
            automaton,
        })
    }

    /// The skill indices found in `line`, in order of appearance. `in_skills_section` relaxes the list rules:
    /// every line there is a list.
    pub fn find_in_line(&self, line: &str, in_skills_section: bool) -> Vec<usize> {
        let mut found = Vec::new();
        for m in self.automaton.find_iter(line) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if accepts(line, m.start(), m.end(), pattern, in_skills_section) {
                found.push(pattern.skill);
            }
        }
        found
    }
}

/// Characters that separate the items of a list.
fn is_list_separator(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | '|' | '/' | '•' | '·' | '(' | ')' | ':' | '\t' | '▪' | '◦' | '●' | '*'
    )
}

fn accepts(line: &str, start: usize, end: usize, pattern: &Pattern, in_skills: bool) -> bool {
    let matched = &line[start..end];
    let before = line[..start].chars().next_back();
    let before2 = line[..start].chars().rev().nth(1);
    let mut after_chars = line[end..].chars();
    let after = after_chars.next();
    let after2 = after_chars.next();
    // Token boundaries.
    if let Some(b) = before
        && (b.is_alphanumeric()
            || matches!(b, '_' | '@' | '#' | '+')
            || (b == '.' && before2.is_some_and(char::is_alphanumeric)))
    {
        return false;
    }
    if let Some(a) = after {
        if a.is_alphanumeric() || matches!(a, '_' | '+' | '#' | '@') {
            return false;
        }
        if a == '.' && after2.is_some_and(char::is_alphanumeric) {
            return false;
        }
    }
    let hyphen_word_after = after == Some('-') && after2.is_some_and(char::is_alphabetic);
    match pattern.mode {
        MatchMode::Word => true,
        MatchMode::Cased => {
            if matched != pattern.text {
                return false;
            }
            // "Go-to-market", "C-level".
            if hyphen_word_after && matched.chars().count() <= 2 {
                return false;
            }
            let prefix = line[..start].trim_end();
            let sentence_start = prefix.is_empty()
                || prefix.ends_with(['.', '!', '?'])
                || prefix.chars().all(|c| !c.is_alphanumeric());
            !sentence_start || in_skills || list_context_after(&line[end..])
        }
        MatchMode::Listed => {
            if matched != pattern.text || hyphen_word_after {
                return false;
            }
            let prefix = line[..start].trim_end();
            let listed_before = prefix.is_empty()
                || prefix.ends_with(is_list_separator)
                || prefix.ends_with(" and")
                || prefix.ends_with(" or");
            listed_before && (list_context_after(&line[end..]) || (in_skills && prefix.is_empty()))
        }
    }
}

/// Whether what follows a match ends a list item: a separator, the end of the line, or "and"/"or".
fn list_context_after(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty()
        || rest.starts_with(is_list_separator)
        || rest == "."
        || rest.starts_with(". ")
        || rest.starts_with("and ")
        || rest.starts_with("or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str, in_skills: bool) -> Vec<String> {
        let t = Taxonomy::embedded().unwrap();
        t.find_in_line(line, in_skills)
            .into_iter()
            .map(|i| t.skills[i].name.clone())
            .collect()
    }

    #[test]
    fn the_embedded_taxonomy_is_large_and_valid() {
        let t = Taxonomy::embedded().unwrap();
        assert!(t.skills.len() >= 300, "{}", t.skills.len());
        for wanted in [
            "Python",
            "Java",
            "JavaScript",
            "TypeScript",
            "Go",
            "C++",
            "SQL",
            "PostgreSQL",
            "Kubernetes",
            "Docker",
            "AWS",
            "Azure",
            "Google Cloud",
            "Terraform",
            "Distributed Systems",
            "System Design",
            "Machine Learning",
            "React",
            "Kafka",
            "Redis",
        ] {
            assert!(t.skills.iter().any(|s| s.name == wanted), "{wanted}");
        }
        for category in [
            "Software Engineering",
            "Cloud Architecture",
            "Data Science",
            "DevOps",
        ] {
            assert!(t.categories.iter().any(|c| c == category), "{category}");
        }
    }

    #[test]
    fn aliases_resolve_to_canonical_names() {
        assert_eq!(
            names("Worked with k8s, JS, GCP and Postgres daily", false),
            ["Kubernetes", "JavaScript", "Google Cloud", "PostgreSQL"]
        );
    }

    #[test]
    fn token_boundaries_hold() {
        assert_eq!(
            names("Strong JavaScript and TypeScript", false),
            ["JavaScript", "TypeScript"]
        );
        assert!(names("a good eye; go the extra mile; Go-to-market plans", false).is_empty());
        assert!(names("Plan C for R&D, C-level reporting", false).is_empty());
        assert_eq!(
            names("Languages: C, C++, C#, R", false),
            ["C", "C++", "C#", "R"]
        );
        assert_eq!(
            names("Built .NET and ASP.NET services", false),
            [".NET", "ASP.NET"]
        );
        assert_eq!(
            names("Services in Python and Go on AWS", false),
            ["Python", "Go", "AWS"]
        );
        assert!(names("We react to incidents", false).is_empty());
        assert_eq!(
            names("Node.js, Vue.js; Next.js.", false),
            ["Node.js", "Vue.js", "Next.js"]
        );
    }
}
