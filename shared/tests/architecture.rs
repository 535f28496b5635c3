//! The library's shape, checked from its source: which top-level module may use which.
//!
//! - `handlers/` (REST) and `ws/` (socket) are adapters over `app/`: neither reaches `adapters/` (they get ports from
//!   the context their entrance built), and `ws/` never calls into `handlers/`.
//! - `app/` (the use cases) sees ports, never adapters, entrances or HTTP.
//! - No cycles between top-level modules (folders and files), so each layer can be read without the ones above it.
//!
//! Dependencies are read from `crate::<module>` paths in the source, outside comments and test modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every top-level module and the other top-level modules its non-test code names.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let root = source_dir();
    for file in rust_files(&root) {
        let relative = file.strip_prefix(&root).unwrap();
        if relative.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let deps = graph.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or_default();
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != top {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// A cycle through `start`, if any (depth-first).
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        let here = path.last().unwrap().clone();
        for next in graph.get(&here).into_iter().flatten() {
            if next == &path[0] {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if let Some(cycle) = walk(graph, path, seen) {
                    return Some(cycle);
                }
                path.pop();
            }
        }
        None
    }
    walk(
        graph,
        &mut vec![start.to_owned()],
        &mut BTreeSet::from([start.to_owned()]),
    )
}

#[test]
fn the_module_graph_has_no_cycles() {
    let graph = module_graph();
    assert!(graph.len() > 10, "the scan found the modules: {graph:?}");
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(cycles.is_empty(), "module cycles: {cycles:#?}");
}

#[test]
fn entrances_reach_the_outside_only_through_ports() {
    let graph = module_graph();
    let forbidden: [(&str, &[&str]); 3] = [
        ("handlers", &["adapters", "ws", "entry"]),
        ("ws", &["adapters", "handlers", "entry", "routes"]),
        (
            "app",
            &[
                "adapters", "handlers", "ws", "api", "entry", "routes", "context",
            ],
        ),
    ];
    for (module, banned) in forbidden {
        let uses = &graph[module];
        for b in banned {
            assert!(!uses.contains(*b), "{module}/ must not use {b}/: {uses:?}");
        }
    }
}

#[test]
fn the_check_sees_a_cycle_when_there_is_one() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        cycle_from(&graph, "a"),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(cycle_from(&graph, "d"), None);
}
