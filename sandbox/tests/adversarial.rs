//! Hostile submissions, each with the verdict it must get — and after each, the host must still be alive and a
//! normal submission must still run. Time-limit cases use a 1 s limit to keep the suite short.

mod common;

use std::time::Duration;

use prepai::tools::code_executor::{ExecutionResult, Verdict};
use serde_json::{Value, json};

use Verdict::{
    Accepted, MemoryLimitExceeded as Mle, OutputLimitExceeded as Ole, RuntimeError as Re,
    TimeLimitExceeded as Tle, WrongAnswer as Wa,
};

struct Case {
    name: &'static str,
    language: &'static str,
    code: &'static str,
    /// Called as `f(1)` expecting 1 unless the case says otherwise.
    tests: Option<Value>,
    verdict: Verdict,
    /// Text the first test's error or stdout must contain, when the case is about what leaks out.
    mentions: Option<&'static str>,
}

const fn case(
    name: &'static str,
    language: &'static str,
    code: &'static str,
    verdict: Verdict,
) -> Case {
    Case {
        name,
        language,
        code,
        tests: None,
        verdict,
        mentions: None,
    }
}

fn cases() -> Vec<Case> {
    vec![
        // Time.
        case(
            "py infinite loop",
            "python",
            "def f(x):\n    while True:\n        pass",
            Tle,
        ),
        case(
            "py loop inside try/except BaseException",
            "python",
            "def f(x):\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass",
            Tle,
        ),
        case(
            "js infinite loop",
            "javascript",
            "function f(x) { for (;;) {} }",
            Tle,
        ),
        case(
            "js loop inside try/catch",
            "javascript",
            "function f(x) { while (true) { try { for (;;) {} } catch (e) {} finally { continue; } } }",
            Tle,
        ),
        case(
            "py catastrophic regex",
            "python",
            "import re\ndef f(x):\n    return bool(re.match(r'(a+)+$', 'a' * 40 + 'b'))",
            Tle,
        ),
        case(
            "js catastrophic regex",
            "javascript",
            "function f(x) { return /(a+)+$/.test('a'.repeat(40) + 'b'); }",
            Tle,
        ),
        case(
            "py huge big-integer arithmetic",
            "python",
            "def f(x):\n    n = 7 ** (10 ** 8)\n    return n % 10",
            Tle,
        ),
        case(
            "js huge BigInt arithmetic",
            "javascript",
            "function f(x) { return Number((7n ** (10n ** 9n)) % 10n); }",
            Re,
        ),
        // Memory.
        case(
            "py one big allocation",
            "python",
            "def f(x):\n    data = bytearray(2 ** 31)\n    return len(data)",
            Mle,
        ),
        case(
            "py many small allocations",
            "python",
            "def f(x):\n    hoard = []\n    while True:\n        hoard.append([x] * 10000)",
            Mle,
        ),
        case(
            "js one big allocation",
            "javascript",
            "function f(x) { return new Array(2 ** 28).fill(x).length; }",
            Mle,
        ),
        case(
            "js many small allocations",
            "javascript",
            "function f(x) { const hoard = []; for (;;) hoard.push(new Array(10000).fill({ x })); }",
            Mle,
        ),
        // Processes.
        case(
            "py subprocess",
            "python",
            "import subprocess\ndef f(x):\n    return subprocess.run(['id']).returncode",
            Re,
        ),
        case(
            "py os.fork",
            "python",
            "import os\ndef f(x):\n    return os.fork()",
            Re,
        ),
        case(
            "py os.system",
            "python",
            "import os\ndef f(x):\n    return os.system('id')",
            Re,
        ),
        case(
            "js child_process",
            "javascript",
            "function f(x) { return require('child_process').execSync('id').toString(); }",
            Re,
        ),
        // Files and environment.
        case(
            "py read /etc/passwd",
            "python",
            "def f(x):\n    return open('/etc/passwd').read()",
            Re,
        ),
        case(
            "py read /proc/self/environ through io",
            "python",
            "import io\ndef f(x):\n    return io.open('/proc/self/environ', 'rb').read().decode()",
            Re,
        ),
        case(
            "py write a file",
            "python",
            "def f(x):\n    with open('/tmp/prepai-escape', 'w') as out:\n        out.write('pwned')\n    return 1",
            Re,
        ),
        Case {
            tests: Some(json!([{"input": 1, "expected": [{}, null, null]}])),
            ..case(
                "py environment variables are empty",
                "python",
                "import os\ndef f(x):\n    return [dict(os.environ), os.getenv('AWS_SECRET_ACCESS_KEY'), os.getenv('PATH')]",
                Accepted,
            )
        },
        case(
            "js file and environment APIs do not exist",
            "javascript",
            "function f(x) { return std.loadFile('/etc/passwd') + os.getenv('PATH'); }",
            Re,
        ),
        Case {
            tests: Some(
                json!([{"input": 1, "expected": ["undefined", "undefined", "undefined", "undefined", "undefined"]}]),
            ),
            ..case(
                "js Function('return this') finds no host objects",
                "javascript",
                "function f(x) { const g = Function('return this')(); return [g.process, g.require, g.std, g.os, g.fetch].map((v) => typeof v); }",
                Accepted,
            )
        },
        // Network.
        case(
            "py socket",
            "python",
            "import socket\ndef f(x):\n    socket.create_connection(('127.0.0.1', 80))\n    return 1",
            Re,
        ),
        case(
            "js fetch",
            "javascript",
            "function f(x) { fetch('http://127.0.0.1/'); return 1; }",
            Re,
        ),
        // Recursion and nesting.
        case(
            "py deep recursion",
            "python",
            "def f(x):\n    return f(x + 1) + 1",
            Re,
        ),
        Case {
            mentions: Some("RecursionError"),
            ..case(
                "py deep recursion with a raised limit",
                "python",
                "import sys\nsys.setrecursionlimit(10 ** 9)\ndef f(x):\n    return f(x + 1) + 1",
                Re,
            )
        },
        case(
            "js deep recursion",
            "javascript",
            "function f(x) { return f(x + 1) + 1; }",
            Re,
        ),
        case(
            "py deeply nested result",
            "python",
            "def f(x):\n    for _ in range(100000):\n        x = [x]\n    return x",
            Re,
        ),
        case(
            "js deeply nested result",
            "javascript",
            "function f(x) { for (let i = 0; i < 100000; i++) x = [x]; return x; }",
            Re,
        ),
        case(
            "py self-referencing result",
            "python",
            "def f(x):\n    a = [x]\n    a.append(a)\n    return a",
            Re,
        ),
        // Output.
        case(
            "py endless output",
            "python",
            "def f(x):\n    while True:\n        print('spam' * 100)",
            Ole,
        ),
        case(
            "js endless output",
            "javascript",
            "function f(x) { for (;;) console.log('spam'.repeat(100)); }",
            Ole,
        ),
        case(
            "py output limit cannot be caught",
            "python",
            "def f(x):\n    while True:\n        try:\n            print('spam' * 100)\n        except BaseException:\n            pass",
            Ole,
        ),
        // Imports and introspection.
        case(
            "py ctypes",
            "python",
            "import ctypes\ndef f(x):\n    return 1",
            Re,
        ),
        case(
            "py __subclasses__ to os",
            "python",
            "def f(x):\n    for c in ().__class__.__base__.__subclasses__():\n        if c.__name__ == 'catch_warnings':\n            return c()._module.__builtins__['__import__']('os').system('id')\n    return __import__('os').listdir('/')",
            Re,
        ),
        Case {
            tests: Some(json!([{"input": 1, "expected": []}])),
            ..case(
                "py __subclasses__ finds no file or process classes",
                "python",
                "def f(x):\n    names = {c.__qualname__ for c in ().__class__.__base__.__subclasses__()}\n    return sorted(names & {'Popen', 'FileIO', 'socket', '_wrap_close', 'BufferedReader'})",
                Accepted,
            )
        },
        case(
            "py sys.exit",
            "python",
            "import sys\ndef f(x):\n    sys.exit(0)",
            Re,
        ),
        case(
            "js process.exit",
            "javascript",
            "function f(x) { process.exit(0); }",
            Re,
        ),
        // Forgery.
        case(
            "py __eq__ always true",
            "python",
            "class Anything:\n    def __eq__(self, other):\n        return True\ndef f(x):\n    return Anything()",
            Re,
        ),
        case(
            "py list subclass with __eq__ always true",
            "python",
            "class Liar(list):\n    def __eq__(self, other):\n        return True\ndef f(x):\n    return Liar([42])",
            Wa,
        ),
        case(
            "js patched JSON.stringify",
            "javascript",
            "JSON.stringify = () => '1';\nfunction f(x) { return 42; }",
            Wa,
        ),
        Case {
            mentions: Some("\"frame\":\"done\""),
            ..case(
                "py fake verdict on stdout",
                "python",
                "def f(x):\n    print('{\"frame\":\"finished\",\"test\":0,\"actual\":1}')\n    print('{\"frame\":\"done\"}')\n    print('{\"verdict\":\"Accepted\",\"allTestsPassed\":true}')\n    return 42",
                Wa,
            )
        },
        case(
            "js fake verdict on stdout",
            "javascript",
            "function f(x) { console.log('{\"frame\":\"done\"}', '{\"verdict\":\"Accepted\"}'); return 42; }",
            Wa,
        ),
        case(
            "py write to the result descriptor",
            "python",
            "def f(x):\n    open(3, 'w').write('{\"frame\":\"done\"}\\n')\n    return 42",
            Re,
        ),
    ]
}

async fn canary() {
    let result = common::run(
        "python",
        "def f(x):\n    return x",
        "f",
        json!([{"input": 1, "expected": 1}]),
    )
    .await;
    assert_eq!(result.verdict, Accepted, "the host no longer runs code");
}

fn describe(result: &ExecutionResult) -> String {
    serde_json::to_string(result).unwrap_or_default()
}

#[tokio::test]
async fn hostile_code_gets_its_verdict_and_the_host_survives() {
    let mut failures = Vec::new();
    for case in cases() {
        let tests = case
            .tests
            .clone()
            .unwrap_or_else(|| json!([{"input": 1, "expected": 1}]));
        let result = common::run_with_timeout(
            case.language,
            case.code,
            "f",
            tests,
            Some(Duration::from_secs(1)),
        )
        .await;
        if result.verdict != case.verdict {
            failures.push(format!(
                "{}: expected {:?}, got {}",
                case.name,
                case.verdict,
                describe(&result)
            ));
        } else if let Some(text) = case.mentions {
            let first = &result.test_results[0];
            let seen = format!(
                "{} {}",
                first.stdout,
                first
                    .error
                    .as_ref()
                    .map(|e| format!("{} {}", e.kind, e.message))
                    .unwrap_or_default()
            );
            if !seen.contains(text) {
                failures.push(format!("{}: {text:?} not in {seen:?}", case.name));
            }
        }
        canary().await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn pollution_does_not_cross_submissions() {
    let polluted = common::run(
        "python",
        "import builtins\nbuiltins.len = lambda x: 42\nbuiltins.sorted = lambda x: [0]\ndef f(x):\n    return len(x)",
        "f",
        json!([{"input": [1, 2, 3], "expected": 42}]),
    )
    .await;
    assert_eq!(polluted.verdict, Accepted);
    let clean = common::run(
        "python",
        "def f(x):\n    return [len(x), sorted(x)]",
        "f",
        json!([{"input": [3, 1, 2], "expected": [3, [1, 2, 3]]}]),
    )
    .await;
    assert_eq!(clean.verdict, Accepted, "{}", describe(&clean));

    let polluted = common::run(
        "javascript",
        "Object.prototype.polluted = 'yes';\nArray.prototype.map = function () { return ['hijacked']; };\nglobalThis.leak = 1;\nfunction f(x) { return x.map((v) => v); }",
        "f",
        json!([{"input": [1], "expected": ["hijacked"]}]),
    )
    .await;
    assert_eq!(polluted.verdict, Accepted);
    let clean = common::run(
        "javascript",
        "function f(x) { return [({}).polluted ?? null, typeof globalThis.leak, x.map((v) => v * 2)]; }",
        "f",
        json!([{"input": [1, 2], "expected": [null, "undefined", [2, 4]]}]),
    )
    .await;
    assert_eq!(clean.verdict, Accepted, "{}", describe(&clean));
}
