/** The eight interviews the API accepts (`interview_type`), with one line for the candidate. */
export interface InterviewType {
  id: string;
  description: string;
  hasCoding: boolean;
}

export const INTERVIEW_TYPES: readonly InterviewType[] = [
  { id: "Google SDE", description: "Algorithms, system design and a coding problem, Google style.", hasCoding: true },
  { id: "Amazon SDE", description: "Coding plus Leadership Principles-flavoured engineering questions.", hasCoding: true },
  { id: "Microsoft SDE", description: "Data structures, design and a coding problem, Microsoft style.", hasCoding: true },
  { id: "AWS SA", description: "Architect well-architected solutions on AWS services.", hasCoding: false },
  { id: "Azure SA", description: "Design cloud solutions on Microsoft Azure.", hasCoding: false },
  { id: "GCP SA", description: "Design cloud solutions on Google Cloud.", hasCoding: false },
  { id: "Behavioral", description: "Tell stories of your work with the STAR method.", hasCoding: false },
  { id: "Coding", description: "Core computer-science questions and a problem to code live.", hasCoding: true },
];
