// "Are you sure?" before an action that cannot be undone. The action runs on confirmation;
// its failure is shown inside the dialog, which stays open.
import { useState } from 'preact/hooks';
import { Dialog, DialogActions } from './dialog.jsx';
import { ErrorNotice } from './notice.jsx';

export function ConfirmDialog({ title, confirmLabel, danger = false, onConfirm, onClose, children }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <div class="dialog-body">{children}</div>
      <ErrorNotice error={error} />
      <DialogActions>
        <button type="button" onClick={onClose} autofocus>
          Cancel
        </button>
        <button type="button" class={danger ? 'danger' : 'primary'} disabled={busy} onClick={confirm}>
          {confirmLabel}
        </button>
      </DialogActions>
    </Dialog>
  );
}
