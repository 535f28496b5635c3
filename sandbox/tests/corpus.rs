//! The corpus: classic interview problems under `tests/fixtures/corpus/`, each with a correct and an incorrect
//! solution in Python and JavaScript written the way candidates write them (heapq, collections, itertools,
//! functools, dataclasses, statistics, random; Map/Set, classes, generators, destructuring, template literals).
//! Every correct solution must be accepted and every incorrect one must not.

mod common;

use std::path::{Path, PathBuf};

use prepai::tools::code_executor::Verdict;
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

#[tokio::test]
async fn every_correct_solution_passes_and_every_incorrect_one_fails() {
    let mut problems: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    problems.sort();
    assert!(
        problems.len() >= 30,
        "the corpus has {} problems",
        problems.len()
    );
    let mut failures = Vec::new();
    for problem in &problems {
        let name = problem.file_name().unwrap().to_string_lossy().into_owned();
        let spec: Value =
            serde_json::from_str(&std::fs::read_to_string(problem.join("tests.json")).unwrap())
                .unwrap();
        for (language, extension) in [("python", "py"), ("javascript", "js")] {
            let function = spec[language].as_str().unwrap();
            for correct in [true, false] {
                let file = format!(
                    "{}.{extension}",
                    if correct { "correct" } else { "incorrect" }
                );
                let code = std::fs::read_to_string(problem.join(&file)).unwrap();
                let result =
                    common::run(language, &code, function, spec["testCases"].clone()).await;
                let metrics = result.quality_metrics.as_ref();
                let as_expected = if correct {
                    result.verdict == Verdict::Accepted && result.all_tests_passed
                } else {
                    result.verdict != Verdict::Accepted && result.passed_count < result.total_count
                };
                if !as_expected || metrics.is_none_or(|m| m.lines_of_code == 0) {
                    failures.push(format!(
                        "{name}/{file}: {:?} {}/{} {}",
                        result.verdict,
                        result.passed_count,
                        result.total_count,
                        serde_json::to_string(&result.test_results).unwrap()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
