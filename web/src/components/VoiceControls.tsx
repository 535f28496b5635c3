/** Hold-to-talk (pointer or Space) and hands-free mode, once the server says voice is available. */
import { useEffect, useRef, useState } from "react";
import type { VoiceCapabilities } from "../interview/messages";
import type { VoiceInput } from "../interview/voiceInput";

export function VoiceControls({
  capabilities,
  listening,
  getInput,
}: {
  capabilities: VoiceCapabilities | null;
  listening: boolean;
  getInput: () => Promise<VoiceInput | null>;
}) {
  const [handsFree, setHandsFree] = useState(false);
  const holding = useRef(false);
  const usable = capabilities?.available === true && capabilities.input;

  const press = async () => {
    if (holding.current || handsFree) return;
    holding.current = true;
    const input = await getInput();
    if (holding.current) input?.begin();
    else input?.finish();
  };
  const release = async () => {
    if (!holding.current) return;
    holding.current = false;
    (await getInput())?.finish();
  };

  useEffect(() => {
    if (!usable) return;
    const isTyping = (target: EventTarget | null) =>
      target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(target.tagName));
    const down = (e: KeyboardEvent) => {
      if (e.code === "Space" && !e.repeat && !isTyping(e.target)) {
        e.preventDefault();
        void press();
      }
    };
    const up = (e: KeyboardEvent) => {
      if (e.code === "Space" && !isTyping(e.target)) {
        e.preventDefault();
        void release();
      }
    };
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
    };
  });

  const toggleHandsFree = async (on: boolean) => {
    const input = await getInput();
    if (!input) return;
    input.setHandsFree(on);
    setHandsFree(on);
  };

  if (!capabilities) return null;
  if (!usable) {
    return (
      <p className="notice notice-info voice-unavailable" role="status">
        🎙️ {capabilities.message ?? "Voice answers aren't available right now. Type your answers instead."}
      </p>
    );
  }
  return (
    <div className="voice-controls">
      <button
        type="button"
        className={`talk-button${listening ? " talking" : ""}`}
        aria-pressed={listening}
        disabled={handsFree}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture?.(e.pointerId);
          void press();
        }}
        onPointerUp={() => void release()}
        onPointerCancel={() => void release()}
        onKeyDown={(e) => {
          if ((e.key === "Enter" || e.key === " ") && !e.repeat) {
            e.preventDefault();
            e.stopPropagation();
            void press();
          }
        }}
        onKeyUp={(e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            e.stopPropagation();
            void release();
          }
        }}
      >
        {listening ? "Listening… release to send" : "Hold to talk (or hold Space)"}
      </button>
      <label className="toggle">
        <input type="checkbox" checked={handsFree} onChange={(e) => void toggleHandsFree(e.target.checked)} />
        Hands-free (answers end after a pause)
      </label>
    </div>
  );
}
