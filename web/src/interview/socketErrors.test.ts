import { describeSocketError } from "./socketErrors";

describe("socket error words", () => {
  it.each(["voice_unavailable", "no_utterance", "audio_gap", "invalid_audio", "utterance_too_long", "frame_too_large", "no_speech", "transcription_failed", "voice_output_failed", "not_found", "not_connected", "busy"])(
    "%s has its own candidate-friendly words",
    (code) => {
      const words = describeSocketError(code, "raw");
      expect(words.title).not.toMatch(/Something went wrong/);
      expect(words.title).not.toContain(code);
      expect(words.action.length).toBeGreaterThan(10);
      expect(words.detail).toBe("raw");
    },
  );

  it("falls back for unknown codes", () => {
    expect(describeSocketError("weird", "x").title).toBe("Something went wrong in the interview");
  });
});
