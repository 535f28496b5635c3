/** Interview socket `error` codes in words a candidate understands, with what to do next. */

export interface SocketErrorWords {
  title: string;
  action: string;
}

const WORDS: Record<string, SocketErrorWords> = {
  voice_unavailable: { title: "Voice answers aren't available right now", action: "Type your answer in the box below; the interview carries on as normal." },
  no_utterance: {
    title: "We didn't get your recording",
    action: "Hold the talk button (or Space) for as long as you speak, then let go to send.",
  },
  audio_gap: { title: "Part of your recording was lost on the way", action: "Please say that answer again; a steadier connection helps." },
  invalid_audio: {
    title: "Your microphone's audio couldn't be read",
    action: "Say it again; if it keeps happening, pick another microphone in your browser's settings or type your answer.",
  },
  utterance_too_long: {
    title: "That answer was too long to record in one go",
    action: "Answer in shorter parts: let go of the button between thoughts, then hold it again to go on.",
  },
  frame_too_large: { title: "A message was too large to send", action: "Send shorter text or code, or split it into parts." },
  no_speech: {
    title: "We couldn't hear any words",
    action: "Check that the right microphone is selected and not muted, then speak a little closer to it.",
  },
  transcription_failed: {
    title: "We couldn't turn that answer into text",
    action: "Please say it again, or type it in the box below; nothing was lost from the interview.",
  },
  voice_output_failed: {
    title: "The interviewer's voice stopped working for this reply",
    action: "Read the reply on screen; you can still answer by voice or by typing.",
  },
  invalid_message: { title: "The interviewer didn't understand that message", action: "Try again; if it keeps happening, reload the page." },
  session_ended: { title: "This interview has already ended", action: "Open its report from Home." },
  not_found: { title: "This interview no longer exists", action: "Start a new interview from Home." },
  not_connected: { title: "The connection to the interview was lost", action: "Reload the page to reconnect; your answers so far are saved." },
  busy: { title: "The interviewer was still handling your last message", action: "Wait a moment, then send it again." },
  internal: { title: "The interviewer had a problem", action: "Wait a moment and send your answer again." },
};

export function describeSocketError(code: string, message: string): SocketErrorWords & { detail: string } {
  const words = WORDS[code] ?? { title: "Something went wrong in the interview", action: "Try again; if it keeps happening, reload the page." };
  return { ...words, detail: message };
}
