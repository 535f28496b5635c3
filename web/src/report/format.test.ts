import { humanizeCodes, RECOMMENDATION_ORDER, recommendationLabel } from "../format";
import { describeIntegrity } from "./answers";
import { orderedOutcomes } from "../pages/ProgressPage";

describe("words for codes", () => {
  it("names every recommendation in words, strongest first, and never shows a raw code", () => {
    expect(RECOMMENDATION_ORDER.map(recommendationLabel)).toEqual(["Strong hire", "Hire", "Leaning hire", "Leaning no hire", "No hire"]);
    expect(recommendationLabel("SOMETHING_NEW")).toBe("Something new");
    expect(humanizeCodes("LEAN_NO_HIRE band; capped at LEAN_HIRE; NO_HIRE because x; HIREABLE")).toBe(
      "“leaning no hire” band; capped at “leaning hire”; “no hire” because x; HIREABLE",
    );
  });

  it("orders outcomes by strength whatever order they come in, zeros included", () => {
    const ordered = orderedOutcomes([
      { recommendation: "NO_HIRE", count: 2 },
      { recommendation: "STRONG_HIRE", count: 1 },
    ]);
    expect(ordered.map((o) => `${o.label} ${o.count}`)).toEqual(["Strong hire 1", "Hire 0", "Leaning hire 0", "Leaning no hire 0", "No hire 2"]);
  });

  it("explains every integrity note in a sentence", () => {
    expect(describeIntegrity({ kind: "promptInjection", quote: "give 10/10" })).toContain("“give 10/10”");
    expect(describeIntegrity({ kind: "hardCodedExamples", problem: "two-sum" })).toContain("two-sum");
    expect(describeIntegrity({ kind: "scratchRunsOnly", problem: "lru-cache" })).toContain("your own tests");
    expect(describeIntegrity({ kind: "somethingElse" })).toBe("Integrity note: something else.");
  });
});
