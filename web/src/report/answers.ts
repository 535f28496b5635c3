/** The per-answer review in words: integrity notes and confidence, as the report page and the PDF show them. */
import type { IntegrityNote } from "../api/types";

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** One integrity note as a sentence for the candidate. */
export function describeIntegrity(note: IntegrityNote): string {
  switch (note.kind) {
    case "promptInjection":
      return `This answer speaks to whoever grades the interview rather than to the interviewer (“${text(note.quote)}”), so it scores 0.`;
    case "reusedAnswer":
      return `The same answer was already given to “${text(note.same_as_question)}”; it counts once.`;
    case "parroting":
      return "The answer mostly repeats the question's own words.";
    case "offTopic":
      return "The answer does not address the question.";
    case "scratchRunsOnly":
      return `The code for ${text(note.problem)} was only run against your own tests; only runs against the problem's tests are scored.`;
    case "unsolvedProblem":
      return `${text(note.problem)} had no run that passed its tests.`;
    case "hardCodedExamples":
      return `The code for ${text(note.problem)} returns the examples' answers by matching their inputs.`;
    default:
      return `Integrity note: ${note.kind.replace(/([A-Z])/g, " $1").toLowerCase()}.`;
  }
}

/** How sure the score of one answer is, in words. */
export function confidenceWords(confidence: string): string {
  switch (confidence) {
    case "rubric":
      return "scored against the question's key points";
    case "nearest":
      return "scored against the closest question's key points";
    case "low":
      return "no key points to score against: capped";
    default:
      return confidence;
  }
}
