// Shows a secret (an API key, a token string) with a copy button. The caller keeps the secret
// only while this dialog is open and drops it on close, so it leaves the page's state and DOM.
import { useId, useRef, useState } from 'preact/hooks';
import { Dialog, DialogActions } from './dialog.jsx';

// `once`: the secret cannot be shown again (a key tollgate keeps only as a hash).
export function SecretDialog({ title, label, secret, once, onClose, children }) {
  const input = useRef(null);
  const id = useId();
  const [copied, setCopied] = useState(null);
  const copy = async () => {
    input.current.select();
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // The clipboard API needs a secure context; the text is selected for Ctrl+C instead.
      setCopied('Press Ctrl+C (⌘C) to copy the selected text.');
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {once && (
        <p class="notice notice-warning" role="alert">
          Copy it now: it cannot be shown again. tollgate keeps only a hash of it.
        </p>
      )}
      <div class="field">
        <label for={id}>{label}</label>
        <div class="secret-row">
          <input id={id} ref={input} class="secret" readOnly value={secret} spellcheck={false} />
          <button type="button" onClick={copy}>
            Copy
          </button>
        </div>
        <p class="hint" role="status">
          {copied}
        </p>
      </div>
      <DialogActions>
        <button type="button" class="primary" onClick={onClose} autofocus>
          {once ? 'I have copied it' : 'Close'}
        </button>
      </DialogActions>
    </Dialog>
  );
}
