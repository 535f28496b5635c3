//! Latency of a 10-test submission, warm host, for Python and JavaScript in the sandbox — and, as the reference,
//! the same work done the naive way by spawning `python3` / `node` per submission (when they are installed).
//! Also the peak memory of the host process (what the code-executor Lambda holds) and of one worker.
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

fn max_rss_bytes(who: i32) -> u64 {
    // SAFETY: rusage is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid for writes.
    unsafe { libc::getrusage(who, &mut usage) };
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
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
    let mut rows = Vec::new();
    let mut worker_peak = 0;
    for (label, language, code, function) in [
        ("sandbox, Python (RustPython)", "python", PYTHON, "two_sum"),
        (
            "sandbox, JavaScript (QuickJS)",
            "javascript",
            JAVASCRIPT,
            "twoSum",
        ),
    ] {
        let request =
            ExecutionRequest::parse(&submission(language, code, function)).expect("valid");
        rows.extend(measure(label, || {
            match runtime.block_on(sandbox.execute(request.clone())) {
                Ok(result) => {
                    worker_peak = worker_peak.max(result.resources.peak_memory_bytes);
                    result.verdict == Verdict::Accepted
                }
                Err(_) => false,
            }
        }));
    }
    let host_peak = max_rss_bytes(libc::RUSAGE_SELF);
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
