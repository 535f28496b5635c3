//! The blind red-flag frames set (`tests/fixtures/red-flag-frames/`, see its README), read once for the test that
//! holds it and the bench that prints its figures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One bank question's pair: a correct rebuttal naming one of its misconceptions (`rejects`) to reject it, and a
/// trap asserting one (`asserts`) in the flag's own phrase inside rejecting-sounding words.
#[derive(Deserialize)]
pub struct Framed {
    pub rebuttal: String,
    pub rejects: String,
    pub trap: String,
    pub asserts: String,
}

/// Every pair of every file in the set, by question id.
pub fn frames() -> BTreeMap<String, Framed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/red-flag-frames");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the frames folder")
        .map(|entry| entry.expect("a frames entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut pairs = BTreeMap::new();
    for path in files {
        let file: BTreeMap<String, Framed> =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("a frames file"))
                .expect("a frames file parses");
        pairs.extend(file);
    }
    pairs
}
