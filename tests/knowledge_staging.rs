//! `scripts/stage-knowledge` turns the question bank into what the knowledge base ingests: one file per question
//! and per coding problem (the data source makes each file one chunk), with no reference solution and no hidden
//! test anywhere, since the interviewer reads whatever it retrieves.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn stage(source: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(repo().join("scripts/stage-knowledge"))
        .arg(out.path().join("staged"))
        .arg(source)
        .status()
        .expect("python3 runs scripts/stage-knowledge");
    assert!(status.success(), "stage-knowledge failed on {source:?}");
    out
}

fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn every_question_and_problem_becomes_one_file_without_solutions() {
    let knowledge = repo().join("knowledge");
    let out = stage(&knowledge);
    let staged = out.path().join("staged");

    let mut question_ids = BTreeSet::new();
    for entry in std::fs::read_dir(knowledge.join("questions")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| l.starts_with("## [")) {
            let id = &line[4..line.find(']').unwrap()];
            question_ids.insert(format!("{id}.md"));
        }
    }
    assert!(
        question_ids.len() >= 160,
        "{} questions",
        question_ids.len()
    );
    assert_eq!(files(&staged.join("questions")), question_ids);
    assert_eq!(
        files(&staged.join("coding")),
        files(&knowledge.join("coding"))
    );

    for dir in ["questions", "coding"] {
        for name in files(&staged.join(dir)) {
            let text = std::fs::read_to_string(staged.join(dir).join(&name)).unwrap();
            let lower = text.to_lowercase();
            for withheld in [
                "## python solution",
                "## javascript solution",
                "## hidden tests",
            ] {
                assert!(!lower.contains(withheld), "{dir}/{name} has {withheld}");
            }
            if dir == "questions" {
                assert_eq!(
                    text.lines().filter(|l| l.starts_with("## ")).count(),
                    1,
                    "{name} holds one question"
                );
                assert!(
                    text.contains("Interview type: "),
                    "{name} says its interview"
                );
                assert!(text.contains("Key points:"), "{name} keeps its key points");
            } else {
                for kept in [
                    "## Statement",
                    "## Python starter",
                    "## JavaScript starter",
                    "## Key points",
                ] {
                    assert!(text.contains(kept), "{name} keeps {kept}");
                }
                // The tests the candidate is shown: `## Tests`, or `## Examples` once hidden tests are split off.
                assert!(
                    text.contains("## Tests") || text.contains("## Examples"),
                    "{name} keeps the visible tests"
                );
            }
        }
    }
}

#[test]
fn hidden_tests_and_solutions_are_cut_wherever_they_appear() {
    let source = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(source.path().join("questions")).unwrap();
    std::fs::create_dir_all(source.path().join("coding")).unwrap();
    std::fs::write(
        source.path().join("questions/behavioral.md"),
        "# Behavioral\n\nInterview type: Behavioral\n\n## [behavioral-01] Conflict\nQuestion: A conflict?\n\nKey points:\n- STAR | keywords: situation\n\n## [behavioral-02] Failure\nQuestion: A failure?\n\nKey points:\n- Reflection | keywords: learned\n",
    )
    .unwrap();
    std::fs::write(
        source.path().join("coding/sum.md"),
        "# [sum] Sum\n- Difficulty: easy\n\n## Statement\nAdd.\n\n## Hidden tests\n```json\n[{\"args\": [1, 2], \"expected\": 3}]\n```\n\n## Python solution\n```python\ndef add(a, b):\n    return a + b\n```\n\n## Tests\n```json\n[]\n```\n\n## JavaScript Solution\n```javascript\nconst add = (a, b) => a + b;\n```\n\n## Key points\n- Adds | keywords: plus\n",
    )
    .unwrap();
    let out = stage(source.path());
    let staged = out.path().join("staged");
    assert_eq!(
        files(&staged.join("questions")),
        BTreeSet::from(["behavioral-01.md".to_owned(), "behavioral-02.md".to_owned()])
    );
    let second = std::fs::read_to_string(staged.join("questions/behavioral-02.md")).unwrap();
    assert!(second.starts_with("# Behavioral\nInterview type: Behavioral\n"));
    assert!(!second.contains("Conflict"));
    let problem = std::fs::read_to_string(staged.join("coding/sum.md")).unwrap();
    assert!(!problem.contains("return a + b"));
    assert!(!problem.contains("=> a + b"));
    assert!(!problem.contains("\"expected\": 3"));
    assert!(problem.contains("## Tests") && problem.contains("## Key points"));
}
