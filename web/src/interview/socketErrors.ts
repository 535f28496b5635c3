/** Interview socket `error` codes in words a candidate understands, with what to do next. */

export interface SocketErrorWords {
  title: string;
  action: string;
}

const WORDS: Record<string, SocketErrorWords> = {
  voice_unavailable: { title: "Voice isn't available right now", action: "Type your answer instead; voice may come back later." },
  no_utterance: { title: "We didn't get your recording", action: "Hold the talk button (or Space) while you speak, then let go." },
  audio_gap: { title: "Part of your recording was lost on the way", action: "Please say that again." },
  invalid_audio: { title: "Your microphone's audio couldn't be read", action: "Try again; if it keeps happening, type your answer." },
  utterance_too_long: { title: "That answer was too long to record in one go", action: "Answer in shorter parts: release the button between thoughts." },
  frame_too_large: { title: "A message was too large to send", action: "Send shorter text or code, or split it into parts." },
  no_speech: { title: "We couldn't hear any speech", action: "Check that the right microphone is selected and speak a little closer to it." },
  invalid_message: { title: "The interviewer didn't understand that message", action: "Try again; if it keeps happening, reload the page." },
  session_ended: { title: "This interview has already ended", action: "Open its report from Home." },
  internal: { title: "The interviewer had a problem", action: "Wait a moment and send your answer again." },
};

export function describeSocketError(code: string, message: string): SocketErrorWords & { detail: string } {
  const words = WORDS[code] ?? { title: "Something went wrong in the interview", action: "Try again; if it keeps happening, reload the page." };
  return { ...words, detail: message };
}
