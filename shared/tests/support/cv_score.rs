//! Scoring shared by the resume-fixture tests (`cv_fixtures`, `cv_real`): counts of right, extra and missed values
//! per field, and the normalisations the ground truth's conventions call for. Each test binary uses a part of it.
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

/// Counts for one field across all resumes.
#[derive(Default)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// A single-valued field: right, wrong (a false positive and a miss), or absent.
    pub fn single(&mut self, got: Option<String>, want: Option<String>) -> bool {
        match (got, want) {
            (Some(g), Some(w)) if g == w => {
                self.tp += 1;
                true
            }
            (Some(_), Some(_)) => {
                self.fp += 1;
                self.fn_ += 1;
                false
            }
            (Some(_), None) => {
                self.fp += 1;
                false
            }
            (None, Some(_)) => {
                self.fn_ += 1;
                false
            }
            (None, None) => true,
        }
    }

    /// A set-valued field; returns (missed, extra).
    pub fn set(
        &mut self,
        got: HashSet<String>,
        want: HashSet<String>,
    ) -> (Vec<String>, Vec<String>) {
        self.tp += got.intersection(&want).count();
        let extra: Vec<String> = got.difference(&want).cloned().collect();
        let missed: Vec<String> = want.difference(&got).cloned().collect();
        self.fp += extra.len();
        self.fn_ += missed.len();
        (missed, extra)
    }

    /// One row of the printed table.
    pub fn row(&self, field: &str) -> String {
        format!(
            "{field:<22} {:>9.3} {:>9.3} {:>9.3}",
            self.precision(),
            self.recall(),
            self.f1()
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Whitespace collapsed and lower case: the truth compares names, companies and institutions case-insensitively.
pub fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A phone number's digits, so `+1 (555) 010-0100` and `+1 555 010 0100` compare equal.
pub fn phone_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

pub fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// The values of `fields` in each entry, normalised and joined: one key per entry.
pub fn entry_keys(entries: &Value, fields: &[&str]) -> HashSet<String> {
    entries
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            fields
                .iter()
                .map(|f| norm(e[*f].as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

/// A list of strings, lower case.
pub fn lower_set(v: &Value) -> HashSet<String> {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_lowercase)
        .collect()
}

/// A fixture's bytes, its kind and its hand-written ground truth (`<file>.truth.json` beside it).
pub fn fixture(path: &Path) -> (Vec<u8>, prepai::ports::DocumentKind, Value) {
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let truth_path = format!("{}.truth.json", path.display());
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
    let bytes = std::fs::read(path).unwrap();
    let kind = prepai::extract::sniff(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
    (bytes, kind, truth)
}
