//! The question bank's file format: strict Markdown that people can read, Bedrock's Knowledge Base can ingest, and
//! this parser can load. The format is documented in `knowledge/README.md`.

use serde_json::Value;

use super::{CodingProblem, Difficulty, KeyPoint, Language2, Question, QuestionCategory, RedFlag};
use crate::domain::InterviewType;

/// Where and why a bank file does not parse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}: {message}")]
pub struct BankError {
    pub file: String,
    pub message: String,
}

fn err(file: &str, message: impl Into<String>) -> BankError {
    BankError {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// `[id] Title` from a heading's text.
fn id_and_title(file: &str, heading: &str) -> Result<(String, String), BankError> {
    let rest = heading
        .trim()
        .strip_prefix('[')
        .ok_or_else(|| err(file, format!("heading {heading:?} must start with [id]")))?;
    let (id, title) = rest
        .split_once(']')
        .ok_or_else(|| err(file, format!("heading {heading:?} has no closing ]")))?;
    let id = id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(err(
            file,
            format!("id {id:?} must be lowercase letters, digits and hyphens"),
        ));
    }
    Ok((id.to_owned(), title.trim().to_owned()))
}

/// `- Name: value` attribute lines.
fn attribute<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.trim().strip_prefix("- ")?.trim_start();
    let (key, value) = rest.split_once(':')?;
    key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
}

fn list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `- point | keywords: a, b | follow-up: question?`
fn key_point(file: &str, line: &str) -> Result<KeyPoint, BankError> {
    let body = line.trim().strip_prefix("- ").unwrap_or(line).trim();
    let mut parts = body.split(" | ");
    let point = parts.next().unwrap_or_default().trim().to_owned();
    let mut keywords = Vec::new();
    let mut follow_up = None;
    for part in parts {
        let (key, value) = part
            .split_once(':')
            .ok_or_else(|| err(file, format!("key point part {part:?} needs `name: value`")))?;
        match key.trim().to_lowercase().as_str() {
            "keywords" => keywords = list(value),
            "follow-up" => follow_up = Some(value.trim().to_owned()),
            other => return Err(err(file, format!("unknown key point part {other:?}"))),
        }
    }
    if point.is_empty() || keywords.is_empty() {
        return Err(err(
            file,
            format!("key point {body:?} needs text and keywords"),
        ));
    }
    Ok(KeyPoint {
        point,
        keywords: keywords.into_iter().map(|k| k.to_lowercase()).collect(),
        follow_up,
    })
}

/// `- <claim> | cancels: <key point> | phrases: <p1>, <p2>` — a misconception, the key point it contradicts
/// (optional), and the phrases that assert it.
fn red_flag(file: &str, line: &str) -> Result<RedFlag, BankError> {
    let body = line.trim().strip_prefix("- ").unwrap_or(line).trim();
    let mut parts = body.split(" | ");
    let claim = parts.next().unwrap_or_default().trim().to_owned();
    let mut cancels = None;
    let mut phrases = Vec::new();
    for part in parts {
        let (key, value) = part
            .split_once(':')
            .ok_or_else(|| err(file, format!("red flag part {part:?} needs `name: value`")))?;
        match key.trim().to_lowercase().as_str() {
            "cancels" => cancels = Some(value.trim().to_owned()),
            "phrases" => phrases = list(value),
            other => return Err(err(file, format!("unknown red flag part {other:?}"))),
        }
    }
    if claim.is_empty() || phrases.is_empty() {
        return Err(err(
            file,
            format!("red flag {body:?} needs a claim and phrases"),
        ));
    }
    Ok(RedFlag {
        claim,
        cancels,
        phrases: phrases.into_iter().map(|p| p.to_lowercase()).collect(),
    })
}

/// Parses a `knowledge/questions/*.md` file.
pub fn parse_questions(
    file: &str,
    text: &str,
) -> Result<(InterviewType, Vec<Question>), BankError> {
    let mut interview_type = None;
    let mut questions: Vec<Question> = Vec::new();
    let mut section = "";
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(value) = trimmed.strip_prefix("Interview type:") {
            let parsed = InterviewType::parse(value).map_err(|e| err(file, e.to_string()))?;
            interview_type = Some(parsed);
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("## ") {
            let kind = interview_type
                .ok_or_else(|| err(file, "`Interview type:` must come before questions"))?;
            let (id, title) = id_and_title(file, heading)?;
            questions.push(Question {
                id,
                interview_type: kind,
                title,
                difficulty: Difficulty::Medium,
                category: QuestionCategory::Technical,
                skills: Vec::new(),
                text: String::new(),
                key_points: Vec::new(),
                red_flags: Vec::new(),
                follow_ups: Vec::new(),
            });
            section = "";
            continue;
        }
        let Some(q) = questions.last_mut() else {
            continue;
        };
        if let Some(v) = attribute(trimmed, "Difficulty") {
            q.difficulty = Difficulty::parse(v)
                .ok_or_else(|| err(file, format!("{}: difficulty {v:?}", q.id)))?;
        } else if let Some(v) = attribute(trimmed, "Category") {
            q.category = QuestionCategory::parse(v)
                .ok_or_else(|| err(file, format!("{}: category {v:?}", q.id)))?;
        } else if let Some(v) = attribute(trimmed, "Skills") {
            q.skills = list(v);
        } else if let Some(v) = trimmed.strip_prefix("Question:") {
            q.text = v.trim().to_owned();
            section = "question";
        } else if trimmed.eq_ignore_ascii_case("Key points:") {
            section = "key points";
        } else if trimmed.eq_ignore_ascii_case("Follow-ups:") {
            section = "follow-ups";
        } else if trimmed.eq_ignore_ascii_case("Red flags:") {
            section = "red flags";
        } else if trimmed.starts_with("- ") && section == "key points" {
            q.key_points.push(key_point(file, trimmed)?);
        } else if trimmed.starts_with("- ") && section == "red flags" {
            q.red_flags.push(red_flag(file, trimmed)?);
        } else if let Some(v) = trimmed
            .strip_prefix("- ")
            .filter(|_| section == "follow-ups")
        {
            q.follow_ups.push(v.trim().to_owned());
        } else if section == "question" && !trimmed.is_empty() {
            q.text.push(' ');
            q.text.push_str(trimmed);
        }
    }
    let kind = interview_type.ok_or_else(|| err(file, "no `Interview type:` line"))?;
    for q in &questions {
        if q.text.is_empty() || q.key_points.is_empty() {
            return Err(err(
                file,
                format!("{} needs a Question: line and key points", q.id),
            ));
        }
    }
    Ok((kind, questions))
}

/// Parses a `knowledge/coding/*.md` file.
pub fn parse_coding(file: &str, text: &str) -> Result<CodingProblem, BankError> {
    let mut lines = text.lines().peekable();
    let heading = lines
        .by_ref()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.trim().strip_prefix("# "))
        .ok_or_else(|| err(file, "must start with `# [id] Title`"))?;
    let (id, title) = id_and_title(file, heading)?;
    let mut problem = CodingProblem {
        id,
        title,
        difficulty: Difficulty::Medium,
        topics: Vec::new(),
        interview_types: Vec::new(),
        statement: String::new(),
        function_names: Language2::default(),
        starters: Language2::default(),
        solutions: Language2::default(),
        examples: Vec::new(),
        hidden_tests: Vec::new(),
        key_points: Vec::new(),
        red_flags: Vec::new(),
    };
    let mut section = String::new();
    let mut fence: Option<String> = None;
    let mut block = String::new();
    for line in lines {
        let trimmed = line.trim_end();
        if let Some(open) = &fence {
            if trimmed.trim() == "```" {
                let code = std::mem::take(&mut block);
                store_block(file, &mut problem, &section, open, code)?;
                fence = None;
            } else {
                block.push_str(line);
                block.push('\n');
            }
            continue;
        }
        if let Some(lang) = trimmed.trim().strip_prefix("```") {
            fence = Some(lang.trim().to_owned());
            continue;
        }
        if let Some(h) = trimmed.strip_prefix("## ") {
            section = h.trim().to_lowercase();
            continue;
        }
        if section.is_empty() {
            if let Some(v) = attribute(trimmed, "Difficulty") {
                problem.difficulty =
                    Difficulty::parse(v).ok_or_else(|| err(file, format!("difficulty {v:?}")))?;
            } else if let Some(v) = attribute(trimmed, "Topics") {
                problem.topics = list(v);
            } else if let Some(v) = attribute(trimmed, "Interview types") {
                problem.interview_types = list(v)
                    .iter()
                    .map(|t| InterviewType::parse(t).map_err(|e| err(file, e.to_string())))
                    .collect::<Result<_, _>>()?;
            } else if let Some(v) = attribute(trimmed, "Function") {
                for part in v.split(';') {
                    let mut words = part.split_whitespace();
                    match (words.next(), words.next()) {
                        (Some("python"), Some(name)) => {
                            problem.function_names.python = name.to_owned()
                        }
                        (Some("javascript"), Some(name)) => {
                            problem.function_names.javascript = name.to_owned()
                        }
                        _ => return Err(err(file, format!("Function entry {part:?}"))),
                    }
                }
            }
            continue;
        }
        match section.as_str() {
            "statement" => {
                problem.statement.push_str(trimmed);
                problem.statement.push('\n');
            }
            "key points" if trimmed.trim_start().starts_with("- ") => {
                problem.key_points.push(key_point(file, trimmed)?);
            }
            "red flags" if trimmed.trim_start().starts_with("- ") => {
                problem.red_flags.push(red_flag(file, trimmed)?);
            }
            _ => {}
        }
    }
    if fence.is_some() {
        return Err(err(file, "unclosed code fence"));
    }
    problem.statement = problem.statement.trim().to_owned();
    let missing = [
        ("statement", problem.statement.is_empty()),
        ("examples", problem.examples.is_empty()),
        ("hidden tests", problem.hidden_tests.is_empty()),
        (
            "python function name",
            problem.function_names.python.is_empty(),
        ),
        (
            "javascript function name",
            problem.function_names.javascript.is_empty(),
        ),
        ("python starter", problem.starters.python.is_empty()),
        ("javascript starter", problem.starters.javascript.is_empty()),
        ("python solution", problem.solutions.python.is_empty()),
        (
            "javascript solution",
            problem.solutions.javascript.is_empty(),
        ),
    ];
    if let Some((what, _)) = missing.iter().find(|(_, m)| *m) {
        return Err(err(file, format!("{} has no {what}", problem.id)));
    }
    Ok(problem)
}

fn store_block(
    file: &str,
    problem: &mut CodingProblem,
    section: &str,
    lang: &str,
    code: String,
) -> Result<(), BankError> {
    match section {
        "examples" | "hidden tests" => {
            let tests: Vec<Value> =
                serde_json::from_str(&code).map_err(|e| err(file, format!("{section}: {e}")))?;
            for t in &tests {
                if t.get("expected").is_none()
                    || (t.get("args").is_none() && t.get("input").is_none())
                {
                    return Err(err(
                        file,
                        format!("test {t} needs args (or input) and expected"),
                    ));
                }
            }
            if section == "examples" {
                problem.examples = tests;
            } else {
                problem.hidden_tests = tests;
            }
        }
        "python starter" => problem.starters.python = code,
        "javascript starter" => problem.starters.javascript = code,
        "python solution" => problem.solutions.python = code,
        "javascript solution" => problem.solutions.javascript = code,
        other => {
            return Err(err(
                file,
                format!("code block ({lang}) in unexpected section {other:?}"),
            ));
        }
    }
    Ok(())
}
