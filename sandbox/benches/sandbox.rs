//! Latency of a 10-test submission, warm host, for Python and JavaScript in the sandbox — and, as the reference,
//! the same work done the naive way by spawning `python3` / `node` per submission (when they are installed).
//! Also the peak memory of the host process (what the code-executor Lambda holds) and of one worker, and what the
//! seccomp filter costs: measured inside the worker (compiling and installing it, and what it adds to each allowed
//! system call) and end to end (the same submissions on the probe worker, which runs them without the filter,
//! sampled alternately with the real worker).
//!
//! `cargo bench -p prepai-sandbox` (release build); prints a Markdown table. Not a test: it asserts nothing.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use prepai::tools::code_executor::{ExecutionRequest, Verdict};
use prepai_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

const WARMUP: usize = 5;
const SAMPLES: usize = 60;

const PYTHON: &str = r#"
def two_sum(nums, target):
    """Indices of the two numbers adding up to target."""
    seen = {}
    for i, n in enumerate(nums):
        if target - n in seen:
            return [seen[target - n], i]
        seen[n] = i
    return []
"#;

const JAVASCRIPT: &str = r#"
function twoSum(nums, target) {
  const seen = new Map();
  for (const [i, n] of nums.entries()) {
    if (seen.has(target - n)) return [seen.get(target - n), i];
    seen.set(n, i);
  }
  return [];
}
"#;

/// The naive harness for CPython: read the submission on stdin, exec the code, call the function per test.
const NAIVE_PYTHON: &str = r#"
import json, sys
job = json.load(sys.stdin)
scope = {}
exec(job["code"], scope)
fn = scope[job["functionName"]]
results = []
for case in job["testCases"]:
    args = json.loads(case["input"])
    results.append(fn(*args) == json.loads(case["expected"]))
print(json.dumps(results))
"#;

/// The naive harness for Node.
const NAIVE_NODE: &str = r#"
let text = '';
process.stdin.on('data', (d) => (text += d));
process.stdin.on('end', () => {
  const job = JSON.parse(text);
  const fn = new Function(job.code + `\nreturn ${job.functionName};`)();
  const results = job.testCases.map((c) => JSON.stringify(fn(...JSON.parse(c.input))) === JSON.stringify(JSON.parse(c.expected)));
  console.log(JSON.stringify(results));
});
"#;

/// Ten two-sum cases over distinct powers of two, so each has exactly one answer.
fn ten_tests() -> Value {
    let nums: Vec<i64> = (0..50).map(|k| 1_i64 << k).collect();
    let cases: Vec<Value> = (0..10_usize)
        .map(|i| {
            let (a, b) = (5 + i, 40);
            json!({
                "input": json!([nums, nums[a] + nums[b]]).to_string(),
                "expected": json!([a, b]).to_string(),
            })
        })
        .collect();
    Value::Array(cases)
}

fn submission(language: &str, code: &str, function: &str) -> Value {
    json!({"code": code, "language": language, "functionName": function, "testCases": ten_tests()})
}

struct Row {
    what: String,
    p50: Duration,
    p95: Duration,
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| {
        let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
        samples[rank - 1]
    };
    (at(0.50), at(0.95))
}

fn measure(what: &str, mut run: impl FnMut() -> bool) -> Option<Row> {
    for _ in 0..WARMUP {
        if !run() {
            eprintln!("{what}: the submission did not pass; skipped");
            return None;
        }
    }
    let samples: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    let (p50, p95) = percentiles(samples);
    Some(Row {
        what: what.to_owned(),
        p50,
        p95,
    })
}

fn naive(program: &str, args: &[&str], job: &Value) -> bool {
    let Ok(mut child) = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(job.to_string().as_bytes());
    }
    child
        .wait_with_output()
        .map(|out| serde_json::from_slice::<Value>(&out.stdout).ok() == Some(json!(vec![true; 10])))
        .unwrap_or(false)
}

/// Runs `first` and `second` alternately, so drift in the machine's load falls on both alike.
fn measure_pair(
    what: [&str; 2],
    mut first: impl FnMut() -> bool,
    mut second: impl FnMut() -> bool,
) -> Vec<Row> {
    for _ in 0..WARMUP {
        if !first() || !second() {
            eprintln!("{what:?}: the submission did not pass; skipped");
            return Vec::new();
        }
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..SAMPLES {
        let started = Instant::now();
        first();
        a.push(started.elapsed());
        let started = Instant::now();
        second();
        b.push(started.elapsed());
    }
    [(what[0], a), (what[1], b)]
        .into_iter()
        .map(|(what, samples)| {
            let (p50, p95) = percentiles(samples);
            Row {
                what: what.to_owned(),
                p50,
                p95,
            }
        })
        .collect()
}

/// The filter's own costs, as the probe worker measures them inside a worker: p50 of each field over the runs.
fn filter_costs(probe: &Sandbox, runtime: &tokio::runtime::Runtime) -> Vec<(&'static str, f64)> {
    let request = ExecutionRequest::parse(&json!({
        "code": "#probe cost", "language": "python", "functionName": "probe",
        "testCases": [{"input": 0, "expected": 0}],
    }))
    .expect("valid");
    let fields = [
        "compile_us",
        "install_us",
        "getpid_ns_before",
        "getpid_ns_after",
    ];
    let mut seen: Vec<Vec<f64>> = vec![Vec::new(); fields.len()];
    for _ in 0..SAMPLES {
        let Ok(result) = runtime.block_on(probe.execute(request.clone())) else {
            continue;
        };
        let Some(cost) = result.test_results.first().and_then(|t| t.actual.clone()) else {
            continue;
        };
        if cost["filter"] != "installed" {
            eprintln!("the filter is not installed here: {}", cost["filter"]);
            return Vec::new();
        }
        for (values, field) in seen.iter_mut().zip(fields) {
            values.extend(cost[field].as_f64());
        }
    }
    fields
        .into_iter()
        .zip(seen)
        .map(|(field, mut values)| {
            values.sort_by(f64::total_cmp);
            (
                field,
                values.get(values.len() / 2).copied().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// This process's peak resident memory (`VmHWM`). Not `getrusage`: its `ru_maxrss` carries over the peak of the
/// image this process replaced at exec, so under `cargo bench` it reports cargo's own memory.
fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0)
        * 1024
}

fn main() {
    let sandbox = Sandbox::new(SandboxConfig {
        worker_exe: Some(env!("CARGO_BIN_EXE_prepai-sandbox").into()),
        ..SandboxConfig::default()
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let unfiltered = Sandbox::new(SandboxConfig {
        worker_exe: Some(env!("CARGO_BIN_EXE_prepai-sandbox-probe").into()),
        ..SandboxConfig::default()
    });
    let mut rows = Vec::new();
    let mut worker_peak = 0;
    for (label, language, code, function) in [
        ("Python (RustPython)", "python", PYTHON, "two_sum"),
        ("JavaScript (QuickJS)", "javascript", JAVASCRIPT, "twoSum"),
    ] {
        let request =
            ExecutionRequest::parse(&submission(language, code, function)).expect("valid");
        let passes = |sandbox: &Sandbox, peak: &mut u64| match runtime
            .block_on(sandbox.execute(request.clone()))
        {
            Ok(result) => {
                *peak = (*peak).max(result.resources.peak_memory_bytes);
                result.verdict == Verdict::Accepted
            }
            Err(_) => false,
        };
        let mut unfiltered_peak = 0;
        rows.extend(measure_pair(
            [
                &format!("sandbox, {label}"),
                &format!("sandbox without the seccomp filter, {label}"),
            ],
            || passes(&sandbox, &mut worker_peak),
            || passes(&unfiltered, &mut unfiltered_peak),
        ));
    }
    let costs = filter_costs(&unfiltered, &runtime);
    let host_peak = peak_rss_bytes();
    let python_job = submission("python", PYTHON, "two_sum");
    let node_job = submission("javascript", JAVASCRIPT, "twoSum");
    rows.extend(measure("naive: spawn python3 per submission", || {
        naive("python3", &["-c", NAIVE_PYTHON], &python_job)
    }));
    rows.extend(measure("naive: spawn node per submission", || {
        naive("node", &["-e", NAIVE_NODE], &node_job)
    }));

    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!("\n10-test submission, warm host, {SAMPLES} samples after {WARMUP} warm-up runs\n");
    println!("| run | p50 | p95 |");
    println!("| --- | ---: | ---: |");
    for row in &rows {
        println!("| {} | {} | {} |", row.what, ms(row.p50), ms(row.p95));
    }
    if !costs.is_empty() {
        println!("\n| seccomp filter, inside the worker ({SAMPLES} runs, p50) | |");
        println!("| --- | ---: |");
        for (field, value) in &costs {
            println!("| {field} | {value:.2} |");
        }
        let value = |name: &str| {
            costs
                .iter()
                .find(|(field, _)| *field == name)
                .map_or(f64::NAN, |(_, v)| *v)
        };
        println!(
            "| per run: compile + install | {:.1} µs |",
            value("compile_us") + value("install_us")
        );
        println!(
            "| per allowed system call after it | {:+.0} ns |",
            value("getpid_ns_after") - value("getpid_ns_before")
        );
    }
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0));
    println!("\n| memory | peak RSS |");
    println!("| --- | ---: |");
    println!(
        "| host process (the tool Lambda's share) | {} |",
        mib(host_peak)
    );
    println!(
        "| one worker (interpreter + submission) | {} |",
        mib(worker_peak)
    );
}
