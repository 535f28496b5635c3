/** The resume analysis, editable in place (edits stay in this browser). */
import { useId } from "react";
import type { CvAnalysis } from "../api/types";

export function CvAnalysisView({ analysis, onChange }: { analysis: CvAnalysis; onChange: (next: CvAnalysis) => void }) {
  const ids = { name: useId(), email: useId(), phone: useId() };
  const set = <K extends keyof CvAnalysis>(key: K, value: CvAnalysis[K]) => onChange({ ...analysis, [key]: value });
  const removeSkill = (category: string, skill: string) =>
    onChange({
      ...analysis,
      skills: analysis.skills.filter((s) => s !== skill),
      skillsByCategory: { ...analysis.skillsByCategory, [category]: (analysis.skillsByCategory[category] ?? []).filter((s) => s !== skill) },
    });

  return (
    <div className="cv-analysis stack">
      <p className="notice notice-info">
        You can correct what we read below. Edits stay in this browser: the interviewer uses the resume as uploaded.
      </p>
      {analysis.interviewMatch && (
        <p className="match">
          <span className={`badge badge-${analysis.interviewMatch.level}`}>{analysis.interviewMatch.level} match</span> {analysis.interviewMatch.summary}
        </p>
      )}
      <section aria-labelledby="cv-contact">
        <h3 id="cv-contact">Contact</h3>
        <div className="grid-3">
          <div className="field">
            <label htmlFor={ids.name}>Name</label>
            <input id={ids.name} className="input" value={analysis.candidateName ?? ""} onChange={(e) => set("candidateName", e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.email}>Email</label>
            <input id={ids.email} className="input" type="email" value={analysis.email ?? ""} onChange={(e) => set("email", e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.phone}>Phone</label>
            <input id={ids.phone} className="input" value={analysis.phone ?? ""} onChange={(e) => set("phone", e.target.value)} />
          </div>
        </div>
      </section>

      <section aria-labelledby="cv-skills">
        <h3 id="cv-skills">Skills ({analysis.skills.length})</h3>
        {Object.entries(analysis.skillsByCategory)
          .filter(([, skills]) => skills.length > 0)
          .map(([category, skills]) => (
            <div key={category} className="skill-group">
              <h4>{category}</h4>
              <ul className="tags" aria-label={`${category} skills`}>
                {skills.map((skill) => (
                  <li key={skill} className="tag">
                    {skill}
                    <button type="button" className="tag-remove" aria-label={`Remove ${skill}`} onClick={() => removeSkill(category, skill)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </section>

      <section aria-labelledby="cv-experience">
        <h3 id="cv-experience">
          Experience{analysis.totalYearsExperience != null && <span className="muted"> · {analysis.totalYearsExperience} years</span>}
        </h3>
        <ol className="timeline">
          {analysis.experience.map((job, index) => (
            <li key={index} className="timeline-item">
              <input
                className="input input-inline strong"
                aria-label={`Job ${index + 1} title`}
                value={job.title}
                onChange={(e) => set("experience", analysis.experience.map((j, i) => (i === index ? { ...j, title: e.target.value } : j)))}
              />
              <input
                className="input input-inline"
                aria-label={`Job ${index + 1} company`}
                value={job.company}
                onChange={(e) => set("experience", analysis.experience.map((j, i) => (i === index ? { ...j, company: e.target.value } : j)))}
              />
              <span className="muted">
                {job.startDate ?? "?"} – {job.endDate ?? "?"}
                {job.durationMonths != null && ` · ${job.durationMonths} months`}
              </span>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="cv-education">
        <h3 id="cv-education">Education</h3>
        <ul className="plain-list">
          {analysis.education.map((e, index) => (
            <li key={index}>
              <strong>{e.degree}</strong> · {e.institution}
              {e.year && <span className="muted"> · {e.year}</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
