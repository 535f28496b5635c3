/** The resume analysis, editable in place: contact, skills (add and remove), positions and education. The page saves
 * the corrections on the server, where the interviewer reads them. */
import { useId, useState, type FormEvent } from "react";
import type { CvAnalysis } from "../api/types";

export function CvAnalysisView({ analysis, onChange }: { analysis: CvAnalysis; onChange: (next: CvAnalysis) => void }) {
  const ids = { name: useId(), email: useId(), phone: useId(), skill: useId() };
  const [newSkill, setNewSkill] = useState("");
  const set = <K extends keyof CvAnalysis>(key: K, value: CvAnalysis[K]) => onChange({ ...analysis, [key]: value });
  const removeSkill = (category: string, skill: string) =>
    onChange({
      ...analysis,
      skills: analysis.skills.filter((s) => s !== skill),
      skillsByCategory: { ...analysis.skillsByCategory, [category]: (analysis.skillsByCategory[category] ?? []).filter((s) => s !== skill) },
    });
  const addSkill = (event: FormEvent) => {
    event.preventDefault();
    const skill = newSkill.trim().slice(0, 60);
    if (!skill || analysis.skills.some((s) => s.toLowerCase() === skill.toLowerCase())) return;
    onChange({
      ...analysis,
      skills: [...analysis.skills, skill],
      skillsByCategory: { ...analysis.skillsByCategory, Added: [...(analysis.skillsByCategory.Added ?? []), skill] },
    });
    setNewSkill("");
  };
  const setJob = (index: number, field: "title" | "company" | "startDate" | "endDate", value: string) =>
    set(
      "experience",
      analysis.experience.map((j, i) => (i === index ? { ...j, [field]: value } : j)),
    );
  const setDegree = (index: number, field: "degree" | "institution" | "year", value: string) =>
    set(
      "education",
      analysis.education.map((e, i) => (i === index ? { ...e, [field]: value } : e)),
    );

  return (
    <div className="cv-analysis stack">
      <p className="notice notice-info">
        Correct anything we misread, add skills we missed or remove ones you'd rather not be asked about, then save: the
        interviewer asks about your skills and experience as you leave them here.
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
        <form className="row row-wrap add-skill" onSubmit={addSkill}>
          <div className="field grow">
            <label htmlFor={ids.skill}>Add a skill</label>
            <input id={ids.skill} className="input" value={newSkill} maxLength={60} onChange={(e) => setNewSkill(e.target.value)} placeholder="e.g. Kubernetes" />
          </div>
          <button type="submit" className="button button-secondary" disabled={newSkill.trim() === ""}>
            Add
          </button>
        </form>
      </section>

      <section aria-labelledby="cv-experience">
        <h3 id="cv-experience">
          Experience{analysis.totalYearsExperience != null && <span className="muted"> · {analysis.totalYearsExperience} years</span>}
        </h3>
        <ol className="timeline">
          {analysis.experience.map((job, index) => (
            <li key={index} className="timeline-item">
              <input className="input input-inline strong" aria-label={`Job ${index + 1} title`} value={job.title} maxLength={200} onChange={(e) => setJob(index, "title", e.target.value)} />
              <input className="input input-inline" aria-label={`Job ${index + 1} company`} value={job.company} maxLength={200} onChange={(e) => setJob(index, "company", e.target.value)} />
              <span className="row dates">
                <input className="input input-inline date" aria-label={`Job ${index + 1} start (YYYY-MM)`} value={job.startDate ?? ""} maxLength={20} onChange={(e) => setJob(index, "startDate", e.target.value)} />
                <span aria-hidden="true">–</span>
                <input className="input input-inline date" aria-label={`Job ${index + 1} end (YYYY-MM or Present)`} value={job.endDate ?? ""} maxLength={20} onChange={(e) => setJob(index, "endDate", e.target.value)} />
              </span>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="cv-education">
        <h3 id="cv-education">Education</h3>
        <ul className="plain-list">
          {analysis.education.map((e, index) => (
            <li key={index} className="row row-wrap degree">
              <input className="input input-inline strong" aria-label={`Degree ${index + 1}`} value={e.degree} maxLength={200} onChange={(ev) => setDegree(index, "degree", ev.target.value)} />
              <input className="input input-inline" aria-label={`Degree ${index + 1} institution`} value={e.institution} maxLength={200} onChange={(ev) => setDegree(index, "institution", ev.target.value)} />
              <input className="input input-inline date" aria-label={`Degree ${index + 1} year`} value={e.year ?? ""} maxLength={20} onChange={(ev) => setDegree(index, "year", ev.target.value)} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** The corrections `PUT …/cv-analysis` takes, from an edited analysis. */
export function correctionsOf(analysis: CvAnalysis) {
  const text = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);
  return {
    candidateName: text(analysis.candidateName),
    email: text(analysis.email),
    phone: text(analysis.phone),
    skills: analysis.skills,
    experience: analysis.experience
      .filter((j) => j.title.trim() || j.company.trim())
      .map((j) => ({ title: j.title, company: j.company, startDate: text(j.startDate), endDate: text(j.endDate), durationMonths: j.durationMonths })),
    education: analysis.education
      .filter((e) => e.degree.trim() || e.institution.trim())
      .map((e) => ({ degree: e.degree, institution: e.institution, year: text(e.year) })),
  };
}
