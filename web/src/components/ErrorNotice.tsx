/** An error in plain words with what to do next (and a retry button when there is something to retry). */
import { describeError } from "../api/errors";

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const words = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <strong>{words.title}.</strong> {words.action}
      {words.detail && words.detail !== words.title && <div className="notice-detail">{words.detail}</div>}
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
