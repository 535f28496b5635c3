/** What the upload accepts, checked before sending (the server checks again, by the file's bytes). */

export const MAX_CV_BYTES = 5 * 1000 * 1000;

const ACCEPTED_EXTENSIONS = [".pdf", ".docx", ".txt"];
const ACCEPTED_TYPES = [
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "text/plain",
];

export const ACCEPT_ATTRIBUTE = [...ACCEPTED_EXTENSIONS, ...ACCEPTED_TYPES].join(",");

/** Null when the file may be sent, else what is wrong and what to do. */
export function checkCvFile(file: Pick<File, "name" | "size" | "type">): string | null {
  const name = file.name.toLowerCase();
  const extensionOk = ACCEPTED_EXTENSIONS.some((ext) => name.endsWith(ext));
  if (!extensionOk && !ACCEPTED_TYPES.includes(file.type)) {
    return `“${file.name}” isn't a PDF, Word (.docx) or text file. Export your resume as PDF and try again.`;
  }
  if (file.size === 0) return `“${file.name}” is empty. Choose the file that has your resume in it.`;
  if (file.size > MAX_CV_BYTES) {
    return `“${file.name}” is ${(file.size / 1e6).toFixed(1)} MB; the limit is 5 MB. Save a smaller PDF (without large images) and try again.`;
  }
  return null;
}
