// Sign-in with an API key. The key is checked against the API before it is remembered.
import { api, keyProblem } from '../api.js';
import { FormError, TextField, useForm } from '../components/form.jsx';
import { licensesUrl } from '../licenses.js';

export function SignIn({ onSignedIn, reason }) {
  const form = useForm({ key: '' });
  const signIn = async ({ key }) => {
    const self = await api.whoAmI(key.trim());
    onSignedIn(key.trim(), self);
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={form.submit(signIn, ({ key }) => (keyProblem(key.trim()) ? { key: keyProblem(key.trim()) } : {}))}>
        <h1>tollgate console</h1>
        <p class="muted">Sign in with your API key. It is kept in this browser tab only and forgotten when you sign out or close the tab.</p>
        {reason && (
          <p class="notice notice-warning" role="alert">
            {reason}
          </p>
        )}
        <TextField label="API key" type="password" autocomplete="new-password" spellcheck={false} autofocus {...form.field('key')} />
        <FormError form={form} />
        <button type="submit" class="primary" disabled={form.busy}>
          Sign in
        </button>
        <p class="muted">
          <a href={licensesUrl}>Third-party licences</a>
        </p>
      </form>
    </main>
  );
}
