import { ApiError } from '../api/api-error';

/** A message for the user: an API error (with its code and state) or a confirmation. */
export interface NoticeValue {
  kind: 'error' | 'info';
  text: string;
}

/** The notice of a failed call; a 409 names the state the action did not fit. */
export function errorNotice(error: unknown): NoticeValue {
  if (error instanceof ApiError) {
    const state = error.state ? ` (state: ${error.state})` : '';
    return { kind: 'error', text: `${error.status} ${error.code}: ${error.message}${state}` };
  }
  return { kind: 'error', text: (error as Error)?.message ?? String(error) };
}

/** Shows a notice; errors are announced at once (role alert), confirmations politely. */
export function Notice({ notice, onClose }: { notice: NoticeValue | null; onClose?: () => void }) {
  if (!notice) return null;
  return (
    <div
      class={`notice ${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
    >
      <span aria-hidden="true">{notice.kind === 'error' ? '⚠ ' : 'ℹ '}</span>
      {notice.text}
      {onClose && (
        <button type="button" class="link" onClick={onClose} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
