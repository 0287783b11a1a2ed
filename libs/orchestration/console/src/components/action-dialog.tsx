import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal confirmation (the native `<dialog>`: focus moves in, Escape closes it, focus returns).
 * `onConfirm` runs on submit.
 */
export function ActionDialog({
  title,
  open,
  confirm,
  onConfirm,
  onClose,
  children,
  testId,
}: {
  title: string;
  open: boolean;
  confirm: string;
  onConfirm: () => void;
  onClose: () => void;
  children: ComponentChildren;
  testId: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog ref={dialog} data-testid={testId} aria-label={title} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <h2>{title}</h2>
        {children}
        <div class="buttons">
          <button type="submit" class="primary" data-testid={`${testId}-confirm`}>
            {confirm}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
