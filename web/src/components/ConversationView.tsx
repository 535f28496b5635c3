/** The conversation as chat bubbles, the interviewer's spoken replies as text too; the newest stays in view and is
 * announced to screen readers; the log takes focus so it scrolls from the keyboard. */
import { useEffect, useRef } from "react";
import type { Bubble } from "../interview/conversation";

export function ConversationView({ bubbles }: { bubbles: Bubble[] }) {
  const end = useRef<HTMLDivElement>(null);
  const last = bubbles.at(-1);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end", behavior: "smooth" });
  }, [bubbles.length, last?.text]);

  return (
    <div className="conversation" role="log" aria-live="polite" aria-label="Conversation" tabIndex={0}>
      {bubbles.map((b) => (
        <div key={b.id} className={`bubble bubble-${b.role}${b.pending ? " bubble-pending" : ""}`} data-role={b.role}>
          <span className="bubble-author">{b.role === "assistant" ? "Interviewer" : "You"}</span>
          <p>{b.text}</p>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
