// A modal dialog on the native <dialog> element: the browser keeps focus inside it and Escape
// closes it; focus returns to whatever opened it. Unmounting the dialog removes it (and any
// secret it showed) from the page.
import { useEffect, useId, useRef } from 'preact/hooks';

export function Dialog({ title, onClose, wide = false, children }) {
  const ref = useRef(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement;
    const dialog = ref.current;
    dialog.showModal();
    return () => {
      // While the modal dialog is open the rest of the page is inert and cannot take focus:
      // close it first (it is still in the page when this runs).
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

// The button row at the bottom of a dialog.
export function DialogActions({ children }) {
  return <div class="dialog-actions">{children}</div>;
}
