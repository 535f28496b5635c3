//! Finds Intel oneMKL (or fetches it) and links it for CTranslate2.
//!
//! Why a stand-in: `ct2rs`'s own MKL finder downloads Intel's installer at build time, which build machines that
//! reach only package registries cannot do, and CTranslate2 without MKL decodes Whisper several times slower.
//! The metadata below (`DEP_MKL_ROOT`, `DEP_MKL_INCLUDE_PATH`, `DEP_MKL_LIBRARY_PATH`) is what `ct2rs`'s build
//! script reads to point CTranslate2's CMake at MKL.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The static libraries CTranslate2 calls into with ILP64 integers and GNU OpenMP threads (Intel's link line for
/// that combination: interface, threading layer, core). `scripts/fetch-mkl` keeps the same three.
const LIBRARIES: [&str; 3] = ["mkl_intel_ilp64", "mkl_gnu_thread", "mkl_core"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=MKLROOT");
    println!("cargo::rerun-if-env-changed=PREPAI_MKL_DIR");
    if env::var_os("DOCS_RS").is_some() {
        return;
    }
    // MKL exists for x86-64 only; `prepai-local` asks for it only on x86-64 Linux, so anywhere else there is
    // nothing to link.
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if arch != "x86_64" || os != "linux" {
        return;
    }
    let mkl = match locate() {
        Ok(found) => found,
        Err(problem) => {
            // A build script reports a failure by exiting non-zero; the message is what the developer sees.
            eprintln!("{problem}");
            std::process::exit(1);
        }
    };
    for library in LIBRARIES {
        println!(
            "cargo::rerun-if-changed={}",
            mkl.lib.join(format!("lib{library}.a")).display()
        );
    }
    println!("cargo::rustc-link-search=native={}", mkl.lib.display());
    // Bundled into this crate's rlib: the three archives then reach the linker as one, so their circular
    // references resolve without a linker group (which a dependency's build script cannot ask for).
    for library in LIBRARIES {
        println!("cargo::rustc-link-lib=static={library}");
    }
    println!("cargo::metadata=ROOT={}", mkl.root.display());
    println!("cargo::metadata=INCLUDE_PATH={}", mkl.include().display());
    println!("cargo::metadata=LIBRARY_PATH={}", mkl.lib.display());
}

/// A complete MKL: its root (headers under `include/`) and the directory holding [`LIBRARIES`].
struct Mkl {
    root: PathBuf,
    lib: PathBuf,
}

impl Mkl {
    fn include(&self) -> PathBuf {
        self.root.join("include")
    }
}

/// A complete MKL: `MKLROOT` if set, else the fetched copy (fetching it first when absent).
fn locate() -> Result<Mkl, String> {
    if let Some(root) = env::var_os("MKLROOT").filter(|v| !v.is_empty()) {
        let root = PathBuf::from(root);
        return complete(&root).ok_or_else(|| {
            format!(
                "MKLROOT={} has no include/mkl.h with lib/ or lib/intel64/ holding {}; unset it to let the \
                 build fetch MKL from PyPI",
                root.display(),
                names()
            )
        });
    }
    let cache = cache_dir()?;
    if let Some(found) = complete(&cache) {
        return Ok(found);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/fetch-mkl");
    let status = Command::new("bash").arg(&script).arg(&cache).status();
    match status {
        Ok(status) if status.success() => complete(&cache).ok_or_else(|| {
            format!(
                "{} finished but {} is incomplete",
                script.display(),
                cache.display()
            )
        }),
        outcome => Err(format!(
            "local speech recognition needs Intel oneMKL and fetching it failed ({}).\n\
             Fetch it by hand with `scripts/fetch-mkl`, point MKLROOT at an installed oneMKL, or build \
             prepai-local without it: `--no-default-features --features whisper` (slower speech recognition).",
            match outcome {
                Ok(status) => format!("{} exited with {status}", script.display()),
                Err(e) => format!("could not run {}: {e}", script.display()),
            }
        )),
    }
}

/// Where `scripts/fetch-mkl` puts MKL: `PREPAI_MKL_DIR`, else `~/.cache/prepai/mkl` (beside the Whisper model).
fn cache_dir() -> Result<PathBuf, String> {
    if let Some(dir) = env::var_os("PREPAI_MKL_DIR").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".cache/prepai/mkl"))
        .ok_or_else(|| "neither PREPAI_MKL_DIR nor HOME is set: nowhere to keep MKL".to_string())
}

/// The MKL at `root`, when its headers and libraries hold what CTranslate2 needs.
fn complete(root: &Path) -> Option<Mkl> {
    if !root.join("include/mkl.h").is_file() {
        return None;
    }
    [root.join("lib"), root.join("lib/intel64")]
        .into_iter()
        .find(|lib| {
            LIBRARIES
                .iter()
                .all(|name| lib.join(format!("lib{name}.a")).is_file())
        })
        .map(|lib| Mkl {
            root: root.to_path_buf(),
            lib,
        })
}

fn names() -> String {
    LIBRARIES.map(|name| format!("lib{name}.a")).join(", ")
}
