/** One code run: verdict, per-test pass/fail with input, expected, actual and error, and quality metrics. */
import type { CodeResult, TestResult } from "../interview/messages";

const VERDICT_WORDS: Record<string, string> = {
  Accepted: "All tests pass",
  WrongAnswer: "Wrong answer",
  RuntimeError: "Runtime error",
  CompileError: "Doesn't compile",
  TimeLimitExceeded: "Too slow (time limit)",
  MemoryLimitExceeded: "Too much memory",
  OutputLimitExceeded: "Too much output",
};

const show = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value));

function errorText(error: TestResult["error"] | CodeResult["error"]): string | null {
  if (!error) return null;
  if (typeof error === "string") return error;
  return [error.kind, error.message].filter(Boolean).join(": ") + (error.line ? ` (line ${error.line})` : "");
}

export function TestResults({ result }: { result: CodeResult }) {
  const accepted = result.verdict === "Accepted";
  const topError = errorText(result.error);
  return (
    <section className="test-results" aria-labelledby="results-heading" aria-live="polite">
      <div className="results-header">
        <h3 id="results-heading">
          <span className={`verdict ${accepted ? "verdict-pass" : "verdict-fail"}`} data-verdict={result.verdict}>
            {VERDICT_WORDS[result.verdict] ?? result.verdict}
          </span>
        </h3>
        <span className="muted">
          {result.passedCount}/{result.totalCount} tests · {(result.executionTime * 1000).toFixed(1)} ms · {result.language}
        </span>
      </div>
      {topError && <pre className="error-output">{topError}</pre>}
      {result.qualityMetrics && (
        <dl className="metrics">
          <div>
            <dt>Quality</dt>
            <dd>{result.qualityMetrics.qualityScore.toFixed(1)}/10</dd>
          </div>
          <div>
            <dt>Lines</dt>
            <dd>{result.qualityMetrics.linesOfCode}</dd>
          </div>
          <div>
            <dt>Complexity</dt>
            <dd>{result.qualityMetrics.cyclomaticComplexity}</dd>
          </div>
          <div>
            <dt>Nesting</dt>
            <dd>{result.qualityMetrics.maxNestingDepth}</dd>
          </div>
        </dl>
      )}
      <ol className="test-list" tabIndex={0} aria-label="Test results">
        {result.testResults.map((test) => (
          <li key={test.testNumber} className={`test ${test.passed ? "test-pass" : "test-fail"}`}>
            <span className="test-status" aria-label={test.passed ? "passed" : "failed"}>
              {test.passed ? "✓" : "✗"}
            </span>
            <span>Test {test.testNumber}</span>
            <code className="test-io">input {show(test.input)}</code>
            {!test.passed && (
              <>
                <code className="test-io">expected {show(test.expected)}</code>
                <code className="test-io">got {errorText(test.error) ?? show(test.actual)}</code>
              </>
            )}
            <span className="muted test-time">{(test.executionTime * 1000).toFixed(2)} ms</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
