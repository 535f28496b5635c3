/** The optional resume step before an interview: drop or pick a file, watch it upload, review the analysis. */
import { useEffect, useRef, useState, type DragEvent } from "react";
import { api, uploadCv } from "../api/client";
import { ApiError } from "../api/errors";
import type { CvAnalysis } from "../api/types";
import { correctionsOf, CvAnalysisView } from "../components/CvAnalysisView";
import { ErrorNotice } from "../components/ErrorNotice";
import { Loading } from "../components/Loading";
import { ACCEPT_ATTRIBUTE, checkCvFile } from "../cv/fileCheck";
import { Link, navigate, paths } from "../router";

export function CvPage({ sessionId }: { sessionId: string }) {
  const [analysis, setAnalysis] = useState<CvAnalysis | null>(null);
  const [loading, setLoading] = useState(true);
  const [progress, setProgress] = useState<number | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .cvAnalysis(sessionId)
      .then((r) => setAnalysis(r.analysis))
      .catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === "no_cv")) setError(e);
      })
      .finally(() => setLoading(false));
  }, [sessionId]);

  const send = (file: File) => {
    setError(null);
    const problem = checkCvFile(file);
    setFileProblem(problem);
    if (problem) return;
    setProgress(0);
    uploadCv(sessionId, file, setProgress)
      .then((r) => {
        setAnalysis(r.analysis);
        setDirty(false);
      })
      .catch(setError)
      .finally(() => setProgress(null));
  };

  /** Saves the corrections on the server; true when there was nothing to save or it worked. */
  const save = async (): Promise<boolean> => {
    if (!analysis || !dirty) return true;
    setSaving(true);
    setSaveError(null);
    try {
      const result = await api.correctCv(sessionId, correctionsOf(analysis));
      setAnalysis(result.analysis);
      setDirty(false);
      setSaved(true);
      return true;
    } catch (e) {
      setSaveError(e);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) send(file);
  };

  return (
    <main className="page" id="main">
      <nav className="steps" aria-label="Interview steps">
        <span className="step step-current" aria-current="step">1. Resume (optional)</span>
        <span className="step">2. Interview</span>
        <span className="step">3. Report</span>
      </nav>
      <h1>Add your resume</h1>
      <p className="muted">The interviewer asks about the skills it finds. PDF, Word (.docx) or text, up to 5 MB.</p>

      <div className="card stack">
        {loading ? (
          <Loading label="Checking for a resume…" />
        ) : (
          <div
            className={`dropzone${dragging ? " dragging" : ""}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
          >
            <p>
              <strong>Drop your resume here</strong> or
            </p>
            <button type="button" className="button button-secondary" onClick={() => inputRef.current?.click()} disabled={progress !== null}>
              {analysis ? "Choose another file" : "Choose a file"}
            </button>
            <input
              ref={inputRef}
              type="file"
              accept={ACCEPT_ATTRIBUTE}
              className="visually-hidden"
              aria-label="Resume file"
              data-testid="cv-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) send(file);
                e.target.value = "";
              }}
            />
          </div>
        )}
        {progress !== null && (
          <div className="upload-progress">
            <label htmlFor="upload-progress">{progress < 1 ? "Uploading…" : "Reading your resume…"}</label>
            <progress id="upload-progress" max={1} value={progress} />
          </div>
        )}
        {fileProblem && (
          <div className="notice notice-error" role="alert">
            {fileProblem}
          </div>
        )}
        {error != null && <ErrorNotice error={error} />}
      </div>

      {analysis && (
        <section className="card" aria-labelledby="analysis-heading">
          <h2 id="analysis-heading">What we found</h2>
          <CvAnalysisView
            analysis={analysis}
            onChange={(next) => {
              setAnalysis(next);
              setDirty(true);
              setSaved(false);
            }}
          />
          <div className="row row-wrap save-row">
            <button type="button" className="button" onClick={() => void save()} disabled={!dirty || saving}>
              {saving ? "Saving…" : "Save corrections"}
            </button>
            <span className="muted" role="status" data-testid="cv-save-state">
              {dirty ? "You have unsaved corrections." : saved ? "Corrections saved: the interviewer uses them." : ""}
            </span>
          </div>
          {saveError != null && <ErrorNotice error={saveError} />}
        </section>
      )}

      <div className="row row-end sticky-actions">
        {!analysis && (
          <Link className="button button-secondary" href={paths.interview(sessionId)}>
            Skip this step
          </Link>
        )}
        <Link
          className="button button-large"
          href={paths.interview(sessionId)}
          onClick={(event) => {
            if (!dirty) return;
            // Unsaved corrections are saved first, so the interviewer sees them.
            event.preventDefault();
            void save().then((ok) => ok && navigate(paths.interview(sessionId)));
          }}
        >
          Continue to the interview
        </Link>
      </div>
    </main>
  );
}
