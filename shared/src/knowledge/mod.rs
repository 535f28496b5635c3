//! The question bank (`knowledge/`): interview questions with key points and follow-ups, and coding problems
//! with tests and reference solutions in both languages. The local interviewer plans interviews from it, the
//! evaluator scores answers against its key points, and the same files are the Bedrock Knowledge Base's source.

mod markdown;

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

pub use markdown::{BankError, parse_coding, parse_questions};

use crate::domain::InterviewType;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/knowledge_files.rs"));
}

/// How hard a question is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "easy" => Some(Self::Easy),
            "medium" => Some(Self::Medium),
            "hard" => Some(Self::Hard),
            _ => None,
        }
    }
}

/// What a question probes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionCategory {
    Technical,
    SystemDesign,
    Behavioral,
    Architecture,
}

impl QuestionCategory {
    fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
            "technical" => Some(Self::Technical),
            "system_design" => Some(Self::SystemDesign),
            "behavioral" => Some(Self::Behavioral),
            "architecture" => Some(Self::Architecture),
            _ => None,
        }
    }
}

/// Something a good answer covers, how to recognise it, and what to ask when it is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyPoint {
    pub point: String,
    /// Lowercase words or phrases any of which shows the point was addressed.
    pub keywords: Vec<String>,
    pub follow_up: Option<String>,
}

/// A common misconception or wrong claim about a question's subject. Asserted in an answer (one of its phrases in
/// a sentence, not negated), it cancels the key point it contradicts, lowers the answer's score, and is quoted as
/// evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RedFlag {
    /// The wrong claim, as a reviewer would state it ("a hash collision overwrites the old key").
    pub claim: String,
    /// The key point (its text) this claim contradicts, if any.
    pub cancels: Option<String>,
    /// Lowercase phrases any of which, said in one sentence and not negated, asserts the claim.
    pub phrases: Vec<String>,
}

/// One interview question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub interview_type: InterviewType,
    pub title: String,
    pub difficulty: Difficulty,
    pub category: QuestionCategory,
    /// Skills (taxonomy names) the question exercises; resume-based questions are picked by these.
    pub skills: Vec<String>,
    pub text: String,
    pub key_points: Vec<KeyPoint>,
    /// Misconceptions about the subject (see [`RedFlag`]).
    pub red_flags: Vec<RedFlag>,
    pub follow_ups: Vec<String>,
}

/// A value per language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Language2 {
    pub python: String,
    pub javascript: String,
}

/// A coding problem with tests and reference solutions in both languages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CodingProblem {
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
    /// Interview types that use it; empty means every type that has coding.
    pub interview_types: Vec<InterviewType>,
    pub statement: String,
    pub function_names: Language2,
    pub starters: Language2,
    pub solutions: Language2,
    /// Worked examples shown to the candidate with the statement, in the code executor's form (`{args, expected}`).
    pub examples: Vec<Value>,
    /// Tests that never leave the server (not in any message, not in the knowledge base): a graded run is judged
    /// by the examples and these, so code that only hard-codes the examples fails.
    pub hidden_tests: Vec<Value>,
    pub key_points: Vec<KeyPoint>,
    /// Misconceptions about the approach (see [`RedFlag`]).
    pub red_flags: Vec<RedFlag>,
}

impl CodingProblem {
    /// What a candidate's client is sent to show and run the problem, whoever poses it (the local interviewer, or
    /// the Bedrock agent through return of control): the statement, function names and starters, and the worked
    /// examples as its tests. Reference solutions and hidden tests never leave the server.
    pub fn for_client(&self) -> Value {
        serde_json::json!({
            "id": self.id,
            "title": self.title,
            "difficulty": self.difficulty,
            "statement": self.statement,
            "functionName": {"python": self.function_names.python, "javascript": self.function_names.javascript},
            "starter": {"python": self.starters.python, "javascript": self.starters.javascript},
            "testCases": self.examples,
        })
    }

    /// Every test a graded run is judged by: the examples, then the hidden tests.
    pub fn graded_tests(&self) -> impl Iterator<Item = &Value> {
        self.examples.iter().chain(&self.hidden_tests)
    }
}

/// The whole bank.
#[derive(Clone, Debug, Default)]
pub struct QuestionBank {
    pub questions: Vec<Question>,
    pub coding: Vec<CodingProblem>,
}

impl QuestionBank {
    /// Parses bank files given as (path under `knowledge/`, contents).
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, BankError> {
        let mut bank = Self::default();
        for (name, text) in files {
            if name.starts_with("questions/") {
                bank.questions.extend(parse_questions(name, text)?.1);
            } else if name.starts_with("coding/") {
                bank.coding.push(parse_coding(name, text)?);
            }
        }
        let mut ids: Vec<&str> = bank.questions.iter().map(|q| q.id.as_str()).collect();
        ids.extend(bank.coding.iter().map(|c| c.id.as_str()));
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(BankError {
                file: "knowledge/".into(),
                message: format!("duplicate id {}", w[0]),
            });
        }
        Ok(bank)
    }

    /// The bank compiled into this binary. A test proves the embedded files parse, so a failure here is a bug in
    /// a commit, reported by an empty bank and a log line rather than a crash in production.
    pub fn embedded() -> &'static QuestionBank {
        static BANK: OnceLock<QuestionBank> = OnceLock::new();
        BANK.get_or_init(|| {
            Self::from_files(embedded::FILES.iter().copied()).unwrap_or_else(|e| {
                tracing::error!(error = %e, "embedded question bank does not parse");
                QuestionBank::default()
            })
        })
    }

    /// The questions for one interview type.
    pub fn questions_for(&self, interview_type: InterviewType) -> impl Iterator<Item = &Question> {
        self.questions
            .iter()
            .filter(move |q| q.interview_type == interview_type)
    }

    /// A question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// A coding problem by id.
    pub fn coding_problem(&self, id: &str) -> Option<&CodingProblem> {
        self.coding.iter().find(|c| c.id == id)
    }

    /// The bank question whose text matches `text` (ignoring case and surrounding blanks).
    pub fn find_by_text(&self, text: &str) -> Option<&Question> {
        let wanted = normalise(text);
        self.questions.iter().find(|q| normalise(&q.text) == wanted)
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Every embedded file, for tests that check the bank's size and shape.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUESTIONS: &str = "# Coding questions\n\nInterview type: Coding\n\n## [coding-01] Hash maps\n- Difficulty: easy\n- Category: technical\n- Skills: Data Structures, Python\n\nQuestion: How does a hash map work\nand what is its lookup cost?\n\nKey points:\n- Hashing to buckets | keywords: hash, bucket | follow-up: What does the hash function do?\n- Collisions | keywords: collision, chaining, open addressing\n\nRed flags:\n- A collision overwrites the stored key | cancels: Collisions | phrases: collision overwrites, overwrites the old key\n\nFollow-ups:\n- When would you prefer a tree map?\n";

    const CODING: &str = "# [two-sum] Two Sum\n- Difficulty: easy\n- Topics: arrays, hash map\n- Function: python two_sum; javascript twoSum\n\n## Statement\nReturn indices of the two numbers adding to target.\n\n## Examples\n```json\n[{\"args\": [[2,7,11,15], 9], \"expected\": [0,1]}]\n```\n\n## Hidden tests\n```json\n[{\"args\": [[3,3], 6], \"expected\": [0,1]}, {\"args\": [[], 1], \"expected\": []}]\n```\n\n## Python starter\n```python\ndef two_sum(nums, target):\n    pass\n```\n\n## JavaScript starter\n```javascript\nfunction twoSum(nums, target) {\n}\n```\n\n## Python solution\n```python\ndef two_sum(nums, target):\n    seen = {}\n    for i, n in enumerate(nums):\n        if target - n in seen:\n            return [seen[target - n], i]\n        seen[n] = i\n```\n\n## JavaScript solution\n```javascript\nfunction twoSum(nums, target) {\n  const seen = new Map();\n  for (let i = 0; i < nums.length; i++) {\n    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];\n    seen.set(nums[i], i);\n  }\n}\n```\n\n## Key points\n- Linear time with a hash map | keywords: o(n), hash map, dictionary | follow-up: What is the complexity?\n\n## Red flags\n- Sorting first keeps the original indices | cancels: Linear time with a hash map | phrases: sort the array first, sorting keeps the indices\n";

    #[test]
    fn parses_a_question_file() {
        let (kind, qs) = parse_questions("questions/coding.md", QUESTIONS).unwrap();
        assert_eq!(kind, InterviewType::Coding);
        assert_eq!(qs.len(), 1);
        let q = &qs[0];
        assert_eq!(q.id, "coding-01");
        assert_eq!(
            q.text,
            "How does a hash map work and what is its lookup cost?"
        );
        assert_eq!(q.key_points.len(), 2);
        assert_eq!(
            q.key_points[0].follow_up.as_deref(),
            Some("What does the hash function do?")
        );
        assert_eq!(
            q.key_points[1].keywords,
            ["collision", "chaining", "open addressing"]
        );
        assert_eq!(q.follow_ups, ["When would you prefer a tree map?"]);
        assert_eq!(q.red_flags.len(), 1);
        assert_eq!(
            q.red_flags[0].claim,
            "A collision overwrites the stored key"
        );
        assert_eq!(q.skills, ["Data Structures", "Python"]);
    }

    #[test]
    fn parses_a_coding_file() {
        let p = parse_coding("coding/two-sum.md", CODING).unwrap();
        assert_eq!(p.id, "two-sum");
        assert_eq!(p.function_names.javascript, "twoSum");
        assert!(p.solutions.python.contains("seen[n] = i"));
        assert_eq!((p.examples.len(), p.hidden_tests.len()), (1, 2));
        assert_eq!(p.graded_tests().count(), 3);
        assert_eq!(p.key_points.len(), 1);
        assert_eq!(
            p.red_flags[0].cancels.as_deref(),
            Some("Linear time with a hash map")
        );
        assert_eq!(p.red_flags[0].phrases.len(), 2);
    }

    #[test]
    fn rejects_incomplete_entries() {
        let broken = QUESTIONS.replace("Question: How does", "Q: How does");
        assert!(parse_questions("questions/x.md", &broken).is_err());
        let no_tests = CODING.replace("## Hidden tests", "## Notes");
        assert!(parse_coding("coding/x.md", &no_tests).is_err());
    }
}
