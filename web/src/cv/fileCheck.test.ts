import { checkCvFile } from "./fileCheck";

const file = (name: string, size: number, type = "") => ({ name, size, type });

describe("resume file check", () => {
  it("accepts PDF, DOCX and TXT up to 5 MB", () => {
    expect(checkCvFile(file("cv.pdf", 1000, "application/pdf"))).toBeNull();
    expect(checkCvFile(file("CV.DOCX", 5_000_000))).toBeNull();
    expect(checkCvFile(file("resume", 10, "text/plain"))).toBeNull();
  });

  it("refuses other types, empty and large files with what to do", () => {
    expect(checkCvFile(file("photo.png", 1000, "image/png"))).toMatch(/isn't a PDF.*Export your resume as PDF/);
    expect(checkCvFile(file("old.doc", 1000, "application/msword"))).toMatch(/isn't a PDF/);
    expect(checkCvFile(file("cv.pdf", 0))).toMatch(/empty/);
    expect(checkCvFile(file("cv.pdf", 5_000_001))).toMatch(/limit is 5 MB/);
  });
});
