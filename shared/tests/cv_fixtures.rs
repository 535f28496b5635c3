//! The resume fixtures in `tests/fixtures/cv/` (real PDF, DOCX and text files made by `generate.py` there) read by
//! the local extractor and analysed, scored against their hand-written ground truth. Prints precision, recall and
//! F1 per field and fails below the targets: F1 ≥ 0.95 for name, email and phone; ≥ 0.9 for skills; ≥ 0.8 for
//! experience entries; years of experience within 0.5 on every resume.
//!
//! `cargo test -p prepai-shared --test cv_fixtures -- --nocapture` shows the table and each resume's misses.

mod support;

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use prepai::extract::LocalExtractor;
use prepai::tools::cv_analyzer::{CvAnalysis, Options, analyze};
use support::cv_score::{Score, entry_keys, lower_set, phone_digits, text_of};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/cv")
}

/// The date the ground truth's "Present" and totals are computed for.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

/// An experience entry is right when all of these are.
const EXPERIENCE_KEY: &[&str] = &["title", "company", "startDate", "endDate"];
/// An education entry is right when all of these are.
const EDUCATION_KEY: &[&str] = &["degree", "institution", "year"];

#[test]
fn fixture_resumes_meet_the_accuracy_targets() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "pdf" || x == "docx" || x == "txt")
        })
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 15, "only {} fixtures", fixtures.len());

    let extractor = LocalExtractor::default();
    let (mut name, mut email, mut phone) = (Score::default(), Score::default(), Score::default());
    let (mut skills, mut experience, mut education) =
        (Score::default(), Score::default(), Score::default());
    let mut worst_years: (f64, String) = (0.0, String::new());
    let mut kinds = HashSet::new();
    for path in &fixtures {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let (bytes, kind, truth) = support::cv_score::fixture(path);
        kinds.insert(kind);
        let extracted = extractor
            .extract_blocking(&bytes, kind)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let analysis: CvAnalysis = analyze(
            &extracted.text,
            &Options {
                today: today(),
                extract_skills: true,
                interview_type: None,
            },
        )
        .unwrap();
        let got = serde_json::to_value(&analysis).unwrap();

        let mut notes = Vec::new();
        if !name.single(
            text_of(&got["candidateName"]),
            text_of(&truth["candidateName"]),
        ) {
            notes.push(format!("name {:?}", got["candidateName"]));
        }
        if !email.single(
            text_of(&got["email"]).map(|e| e.to_lowercase()),
            text_of(&truth["email"]).map(|e| e.to_lowercase()),
        ) {
            notes.push(format!("email {:?}", got["email"]));
        }
        if !phone.single(
            text_of(&got["phone"]).map(|p| phone_digits(&p)),
            text_of(&truth["phone"]).map(|p| phone_digits(&p)),
        ) {
            notes.push(format!("phone {:?}", got["phone"]));
        }
        let (missed, extra) = skills.set(lower_set(&got["skills"]), lower_set(&truth["skills"]));
        if !missed.is_empty() || !extra.is_empty() {
            notes.push(format!("skills missed {missed:?} extra {extra:?}"));
        }
        let (missed, extra) = experience.set(
            entry_keys(&got["experience"], EXPERIENCE_KEY),
            entry_keys(&truth["experience"], EXPERIENCE_KEY),
        );
        if !missed.is_empty() || !extra.is_empty() {
            notes.push(format!("experience missed {missed:?} extra {extra:?}"));
        }
        let (missed, extra) = education.set(
            entry_keys(&got["education"], EDUCATION_KEY),
            entry_keys(&truth["education"], EDUCATION_KEY),
        );
        if !missed.is_empty() || !extra.is_empty() {
            notes.push(format!("education missed {missed:?} extra {extra:?}"));
        }
        let years_error = (got["totalYearsExperience"].as_f64().unwrap()
            - truth["totalYearsExperience"].as_f64().unwrap())
        .abs();
        if years_error > worst_years.0 {
            worst_years = (years_error, file.clone());
        }
        if years_error > 0.0 {
            notes.push(format!(
                "years {} vs {}",
                got["totalYearsExperience"], truth["totalYearsExperience"]
            ));
        }
        if notes.is_empty() {
            println!("{file}: all fields right");
        } else {
            println!("{file}: {}", notes.join("; "));
        }
    }

    println!(
        "\n{} resumes ({} formats)\n{:<12} {:>9} {:>9} {:>9}",
        fixtures.len(),
        kinds.len(),
        "field",
        "precision",
        "recall",
        "F1"
    );
    for (field, score) in [
        ("name", &name),
        ("email", &email),
        ("phone", &phone),
        ("skills", &skills),
        ("experience", &experience),
        ("education", &education),
    ] {
        println!(
            "{field:<12} {:>9.3} {:>9.3} {:>9.3}",
            score.precision(),
            score.recall(),
            score.f1()
        );
    }
    println!(
        "years        max error {:.1} ({})",
        worst_years.0, worst_years.1
    );

    assert!(kinds.len() >= 3, "fixtures cover PDF, DOCX and text");
    assert!(name.f1() >= 0.95, "name F1 {:.3}", name.f1());
    assert!(email.f1() >= 0.95, "email F1 {:.3}", email.f1());
    assert!(phone.f1() >= 0.95, "phone F1 {:.3}", phone.f1());
    assert!(skills.f1() >= 0.9, "skills F1 {:.3}", skills.f1());
    assert!(
        experience.f1() >= 0.8,
        "experience F1 {:.3}",
        experience.f1()
    );
    assert!(
        worst_years.0 <= 0.5,
        "years off by {:.1} on {}",
        worst_years.0,
        worst_years.1
    );
}
