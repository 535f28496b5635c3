/** The coding problem: statement, examples, language switch, editor, Run, and the latest result. */
import { useEffect, useState } from "react";
import type { CodeResult, CodingProblem, Language } from "../interview/messages";
import { CodeEditor } from "./CodeEditor";
import { TestResults } from "./TestResults";

const LANGUAGES: { id: Language; label: string }[] = [
  { id: "python", label: "Python" },
  { id: "javascript", label: "JavaScript" },
];

/** Text with `backtick` spans shown as code, as the problem statements are written. */
function InlineCode({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}
    </>
  );
}

export function CodePanel({
  problem,
  result,
  running,
  onRun,
}: {
  problem: CodingProblem;
  result: CodeResult | null;
  running: boolean;
  onRun: (code: string, language: Language) => void;
}) {
  const [language, setLanguage] = useState<Language>("python");
  const [drafts, setDrafts] = useState<Record<Language, string>>(problem.starter);

  useEffect(() => setDrafts(problem.starter), [problem]);

  return (
    <section className="code-panel card" aria-labelledby="problem-title">
      <div className="problem-header">
        <h2 id="problem-title">{problem.title}</h2>
        <span className={`badge badge-${problem.difficulty}`}>{problem.difficulty}</span>
      </div>
      <div className="statement">
        {problem.statement.split(/\n\n+/).map((paragraph, i) => (
          <p key={i}>
            <InlineCode text={paragraph.replace(/\n/g, " ")} />
          </p>
        ))}
      </div>
      <details className="examples">
        <summary>Tests ({problem.testCases.length})</summary>
        <ul>
          {problem.testCases.map((t, i) => (
            <li key={i}>
              <code>
                {problem.functionName[language]}({(t.args ?? [t.input]).map((a) => JSON.stringify(a)).join(", ")}) → {JSON.stringify(t.expected)}
              </code>
            </li>
          ))}
        </ul>
      </details>
      <div className="row row-wrap editor-toolbar">
        <div role="radiogroup" aria-label="Language" className="segmented">
          {LANGUAGES.map((l) => (
            <button
              key={l.id}
              type="button"
              role="radio"
              aria-checked={language === l.id}
              className={language === l.id ? "active" : ""}
              onClick={() => setLanguage(l.id)}
            >
              {l.label}
            </button>
          ))}
        </div>
        <span className="muted mono">{problem.functionName[language]}</span>
        <button type="button" className="button button-secondary button-small" onClick={() => setDrafts((d) => ({ ...d, [language]: problem.starter[language] }))}>
          Reset
        </button>
        <button type="button" className="button" onClick={() => onRun(drafts[language], language)} disabled={running}>
          {running ? "Running…" : "Run tests"}
        </button>
      </div>
      <CodeEditor
        value={drafts[language]}
        language={language}
        label={`${language === "python" ? "Python" : "JavaScript"} code editor`}
        onChange={(code) => setDrafts((d) => ({ ...d, [language]: code }))}
      />
      {result && <TestResults result={result} />}
    </section>
  );
}
