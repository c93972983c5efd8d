// Status lines: an API failure explained in words, loading and empty states.
import { explain } from '../explain.js';

export function ErrorNotice({ error }) {
  if (!error) return null;
  return (
    <p class="notice notice-error" role="alert">
      {explain(error)}
    </p>
  );
}

export function Loading({ what = 'Loading…' }) {
  return (
    <p class="notice" role="status">
      {what}
    </p>
  );
}

export function Empty({ children }) {
  return <p class="notice notice-empty">{children}</p>;
}
