/** The coding problem: statement, examples, language switch, editor (drafts saved as you type), Run, and the latest
 * result, scrolled into view when it arrives. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { DraftSaver, pickDrafts, readLocalDraft, SAVE_WORDS, writeLocalDraft, type SaveState } from "../interview/drafts";
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
  sessionId,
  problem,
  result,
  running,
  onRun,
}: {
  sessionId: string;
  problem: CodingProblem;
  result: CodeResult | null;
  running: boolean;
  onRun: (code: string, language: Language) => void;
}) {
  const [language, setLanguage] = useState<Language>("python");
  const [drafts, setDrafts] = useState<Record<Language, string>>(problem.starter);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const saver = useRef<DraftSaver | null>(null);
  const resultsRef = useRef<HTMLDivElement>(null);
  const problemId = problem.id;
  const starter = problem.starter;

  // One problem's drafts: this browser's copy at once, the server's when it answers (the newer of the two wins).
  useEffect(() => {
    let cancelled = false;
    const local = () => ({
      python: readLocalDraft(localStorage, sessionId, problemId, "python"),
      javascript: readLocalDraft(localStorage, sessionId, problemId, "javascript"),
    });
    setDrafts(pickDrafts(starter, [], local(), problemId));
    api
      .drafts(sessionId)
      .then(({ drafts: stored }) => {
        if (cancelled) return;
        setDrafts(pickDrafts(starter, stored, local(), problemId));
        const latest = stored.find((d) => d.problemId === problemId);
        if (latest) setLanguage(latest.language);
      })
      .catch(() => {
        // offline: this browser's copy stands
      });
    const current = new DraftSaver((lang, code) => api.saveDraft(sessionId, { problemId, language: lang, code }), setSaveState);
    saver.current = current;
    return () => {
      cancelled = true;
      void current.flush().finally(() => current.close());
    };
  }, [sessionId, problemId, starter]);

  useEffect(() => {
    if (result) resultsRef.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, [result]);

  const edit = useCallback(
    (lang: Language, code: string) => {
      setDrafts((d) => ({ ...d, [lang]: code }));
      writeLocalDraft(localStorage, sessionId, problemId, lang, { code, updatedAt: new Date().toISOString() });
      saver.current?.edit(lang, code);
    },
    [sessionId, problemId],
  );

  return (
    <section className="code-panel card" aria-labelledby="problem-title">
      <div className="problem-header">
        <h2 id="problem-title">{problem.title}</h2>
        <span className={`badge badge-${problem.difficulty}`}>{problem.difficulty}</span>
      </div>
      <div className="statement" tabIndex={0} aria-label="Problem statement">
        {problem.statement.split(/\n\n+/).map((paragraph, i) => (
          <p key={i}>
            <InlineCode text={paragraph.replace(/\n/g, " ")} />
          </p>
        ))}
      </div>
      <details className="examples">
        <summary>Tests ({problem.testCases.length})</summary>
        <ul tabIndex={0} aria-label="Example tests">
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
        <button type="button" className="button button-secondary button-small" onClick={() => edit(language, problem.starter[language])}>
          Reset
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            void saver.current?.flush();
            onRun(drafts[language], language);
          }}
          disabled={running}
        >
          {running ? "Running…" : "Run tests"}
        </button>
      </div>
      <CodeEditor
        value={drafts[language]}
        language={language}
        label={`${language === "python" ? "Python" : "JavaScript"} code editor`}
        onChange={(code) => edit(language, code)}
      />
      <p className={`draft-state draft-${saveState}`} role="status" data-testid="draft-state">
        {SAVE_WORDS[saveState]}
      </p>
      <div ref={resultsRef}>{result && <TestResults result={result} />}</div>
    </section>
  );
}
