//! Embeds every file of the question bank (`knowledge/`) into the library, so each Lambda carries the bank it was
//! built with and the local interviewer needs no files at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time, not with env!(): a build script binary can be shared between checkouts that use one
    // target directory, and each must embed its own bank.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("../knowledge");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for sub in ["questions", "coding"] {
        let dir = root.join(sub);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "md") {
                println!("cargo:rerun-if-changed={}", path.display());
                files.push((
                    format!("{sub}/{}", entry.file_name().to_string_lossy()),
                    path,
                ));
            }
        }
    }
    files.sort();
    let mut code = String::from(
        "/// Every bank file as (path under knowledge/, contents).\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &files {
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("knowledge_files.rs");
    std::fs::write(out, code).expect("write knowledge_files.rs");
}
