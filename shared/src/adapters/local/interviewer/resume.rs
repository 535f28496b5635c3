//! What the candidate's resume — the session's CV analysis, as they last corrected it — gives the interviewer:
//! skills to pick questions by, and positions (company, title, highlights or projects) to ask about, so a
//! resume question is about the candidate's own work rather than a skill name alone.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Session;

/// A position held, as the CV analysis lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub company: Option<String>,
    pub title: Option<String>,
    /// Still held (the analysis's `endDate` is "Present").
    pub current: bool,
    /// What the candidate did there: the position's highlights, projects or description, one line each.
    pub highlights: Vec<String>,
}

/// A position as a question mentions it (kept in the plan, so a resumed interview asks the same thing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleMention {
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub current: bool,
    /// The highlight or project the question is about, when one fits.
    #[serde(default)]
    pub highlight: Option<String>,
    /// The position was introduced before (by the greeting or an earlier question): its title is not repeated.
    #[serde(default)]
    pub introduced: bool,
}

impl Position {
    /// This position as a question mentions it, about `highlight` when one fits.
    pub fn mention(&self, highlight: Option<&str>, introduced: bool) -> RoleMention {
        RoleMention {
            company: self.company.clone(),
            title: self.title.clone(),
            current: self.current,
            highlight: highlight.map(str::to_owned),
            introduced,
        }
    }
}

/// The resume's skills, in the analysis's order.
pub fn skills(session: &Session) -> Vec<String> {
    session
        .cv_analysis
        .as_ref()
        .and_then(|cv| cv.get("skills"))
        .and_then(Value::as_array)
        .map(|skills| {
            skills
                .iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The positions on the resume: the current one first (the greeting names it), then the others as listed.
/// Positions with neither a title nor a company are left out.
pub fn positions(session: &Session) -> Vec<Position> {
    let Some(jobs) = session
        .cv_analysis
        .as_ref()
        .and_then(|cv| cv.get("experience"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut positions: Vec<Position> = jobs.iter().filter_map(position).collect();
    if let Some(current) = positions.iter().position(|p| p.current) {
        let p = positions.remove(current);
        positions.insert(0, p);
    }
    positions
}

fn position(job: &Value) -> Option<Position> {
    let field = |name: &str| {
        job.get(name)
            .and_then(Value::as_str)
            .map(tidy)
            .filter(|t| !t.is_empty())
    };
    let (company, title) = (field("company"), field("title"));
    if company.is_none() && title.is_none() {
        return None;
    }
    let current = job
        .get("endDate")
        .and_then(Value::as_str)
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("present"));
    let mut highlights = Vec::new();
    for key in HIGHLIGHT_FIELDS {
        match job.get(*key) {
            Some(Value::String(s)) => highlights.extend(highlight(s)),
            Some(Value::Array(items)) => highlights.extend(
                items
                    .iter()
                    .filter_map(item_text)
                    .filter_map(|t| highlight(&t)),
            ),
            _ => {}
        }
    }
    highlights.dedup();
    Some(Position {
        company,
        title,
        current,
        highlights,
    })
}

/// Fields of a position that say what the candidate did there, most specific first.
const HIGHLIGHT_FIELDS: &[&str] = &[
    "highlights",
    "projects",
    "achievements",
    "responsibilities",
    "bullets",
    "description",
    "summary",
];

/// A highlight or project as text: a string, or an object's name and description.
fn item_text(item: &Value) -> Option<String> {
    match item {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let get = |k: &str| {
                o.get(k)
                    .and_then(Value::as_str)
                    .map(tidy)
                    .filter(|t| !t.is_empty())
            };
            let name = get("name").or_else(|| get("title"));
            let about = get("description").or_else(|| get("summary"));
            match (name, about) {
                (Some(n), Some(a)) => Some(format!("{n}: {a}")),
                (Some(t), None) | (None, Some(t)) => Some(t),
                (None, None) => None,
            }
        }
        _ => None,
    }
}

/// The longest highlight quoted, in characters; longer ones are cut at a word.
const MAX_HIGHLIGHT_CHARS: usize = 120;

/// A resume line fit to quote: its first sentence, without bullet marks or a final full stop, at most
/// [`MAX_HIGHLIGHT_CHARS`]; `None` when under two words.
fn highlight(raw: &str) -> Option<String> {
    let text = tidy(raw.trim_start_matches(['•', '-', '*', '–', '·', ' ']));
    let first = super::text_match::sentences(&text)
        .first()
        .map(|s| s.trim_end_matches(['.', ';', ',']).to_owned())?;
    if first.split_whitespace().count() < 2 {
        return None;
    }
    if first.chars().count() <= MAX_HIGHLIGHT_CHARS {
        return Some(first);
    }
    let mut cut = String::new();
    for word in first.split_whitespace() {
        if cut.chars().count() + word.chars().count() + 1 > MAX_HIGHLIGHT_CHARS {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    cut.push('…');
    Some(cut)
}

/// Whitespace collapsed to single spaces.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The position the greeting names, as "title at company".
pub fn greeting_role(position: &Position) -> String {
    match (&position.title, &position.company) {
        (Some(title), Some(company)) => format!("{title} at {company}"),
        (Some(title), None) => title.clone(),
        (None, Some(company)) => format!("a member of the team at {company}"),
        (None, None) => String::new(),
    }
}

impl RoleMention {
    fn tense(&self) -> &'static str {
        if self.current { "work" } else { "worked" }
    }

    /// The first mention: "At Acme you worked as Senior Engineer".
    fn introduction(&self) -> String {
        match (&self.company, &self.title) {
            (Some(c), Some(t)) => format!("At {c} you {} as {t}", self.tense()),
            (Some(c), None) => format!("At {c}"),
            (None, Some(t)) => format!("You {} as {t}", self.tense()),
            (None, None) => "In your work".to_owned(),
        }
    }

    /// Where, once introduced: "at Acme", or "as Senior Engineer".
    fn place(&self) -> String {
        match (&self.company, &self.title) {
            (Some(c), _) => format!("at {c}"),
            (None, Some(t)) => format!("as {t}"),
            (None, None) => "in that role".to_owned(),
        }
    }

    /// [`Self::place`] opening a sentence.
    fn place_opening(&self) -> String {
        match (&self.company, &self.title) {
            (Some(c), _) => format!("At {c}"),
            (None, Some(t)) => format!("In your role as {t}"),
            (None, None) => "In that role".to_owned(),
        }
    }

    /// What is said before a bank question asked about this position: the position, the highlight or the resume
    /// skill the question was picked for, and an invitation to answer from that work. It ends with a full stop, so
    /// the bank question that follows stays a sentence of its own (the scorer recognises bank questions by their
    /// sentences).
    pub fn lead_in(&self, skill: Option<&str>) -> String {
        match (&self.highlight, skill, self.introduced) {
            (Some(h), _, false) => format!(
                "{} — your resume mentions “{h}”. Tell me how you did it there as you answer.",
                self.introduction()
            ),
            (Some(h), _, true) => format!(
                "{}, your resume mentions “{h}” — tell me how you did it there as you answer.",
                self.place_opening()
            ),
            (None, Some(s), false) => format!(
                "{}, and I see {s} on your resume. Draw on that work as you answer.",
                self.introduction()
            ),
            (None, Some(s), true) => format!(
                "I see {s} on your resume — draw on your work {} as you answer.",
                self.place()
            ),
            (None, None, false) => {
                format!("{}. Draw on that work as you answer.", self.introduction())
            }
            (None, None, true) => format!("Draw on your work {} as you answer.", self.place()),
        }
    }

    /// A question about this position itself, for when no bank question fits it.
    pub fn question(&self) -> String {
        match (&self.highlight, self.introduced) {
            (Some(h), false) => format!(
                "{} — your resume mentions “{h}”: how did you go about it, and what would you do differently today?",
                self.introduction()
            ),
            (Some(h), true) => format!(
                "{}, your resume mentions “{h}”: how did you go about it, and what would you do differently today?",
                self.place_opening()
            ),
            (None, false) => format!(
                "{}: what piece of work there are you proudest of, how did you go about it, and how did it turn out?",
                self.introduction()
            ),
            (None, true) => format!(
                "Tell me about the piece of work {} you're proudest of: how did you go about it, and how did it turn out?",
                self.place()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_positions_with_their_highlights_current_first() {
        let cv = serde_json::json!({"experience": [
            {"title": "Engineer", "company": "Babbage & Co", "endDate": "2020-06",
             "highlights": ["• Built the  billing pipeline on Kafka.", "Did"]},
            {"title": "Staff Engineer", "company": "Difference Works", "endDate": "Present",
             "projects": [{"name": "Ledger", "description": "Double-entry ledger in Go"}]},
            {"title": "", "company": ""}
        ]});
        let jobs: Vec<Position> = cv["experience"]
            .as_array()
            .map(|a| a.iter().filter_map(position).collect())
            .unwrap_or_default();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].highlights, ["Built the billing pipeline on Kafka"]);
        assert_eq!(jobs[1].highlights, ["Ledger: Double-entry ledger in Go"]);
        assert!(jobs[1].current);
        let mention = jobs[0].mention(Some("Built the billing pipeline on Kafka"), false);
        assert_eq!(
            mention.lead_in(None),
            "At Babbage & Co you worked as Engineer — your resume mentions “Built the billing pipeline on Kafka”. \
             Tell me how you did it there as you answer."
        );
    }
}
