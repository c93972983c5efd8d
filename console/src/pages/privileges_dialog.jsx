// The privilege list of one repository, edited as a whole and saved with one PUT.
import { useEffect, useId, useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { ErrorNotice, Loading } from '../components/notice.jsx';
import { useResource } from '../hooks.js';

const kinds = ['user', 'team', 'service'];
const privileges = ['read', 'write', 'admin'];

// One grant in a row of three controls; their labels are read by screen readers only, since
// the row's shape says what each control is.
function GrantRow({ grant, index, onChange, onRemove }) {
  const id = useId();
  const set = (field) => (event) => onChange({ ...grant, [field]: event.currentTarget.value });
  const label = (what, control) => (
    <label class="visually-hidden" for={`${id}-${control}`}>
      {what} of grantee {index + 1}
    </label>
  );
  return (
    <li class="grant-row">
      {label('Kind', 'kind')}
      <select id={`${id}-kind`} value={grant.kind} onChange={set('kind')}>
        {kinds.map((kind) => (
          <option key={kind}>{kind}</option>
        ))}
      </select>
      {label('Name', 'name')}
      <input id={`${id}-name`} value={grant.name} onInput={set('name')} placeholder="name or slug" required />
      {label('Privilege', 'privilege')}
      <select id={`${id}-privilege`} value={grant.privilege} onChange={set('privilege')}>
        {privileges.map((privilege) => (
          <option key={privilege}>{privilege}</option>
        ))}
      </select>
      <button type="button" onClick={onRemove} aria-label={`Remove grant ${index + 1}`}>
        Remove
      </button>
    </li>
  );
}

export function PrivilegesDialog({ repo, onClose }) {
  const { org } = useCaller();
  const path = apiPath('repos', org, repo, 'privileges');
  const loaded = useResource(() => api.get(path), [path]);
  const [grants, setGrants] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (loaded.data) setGrants(loaded.data);
  }, [loaded.data]);

  const save = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.put(path, grants);
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Privileges on ${org}/${repo}`} onClose={onClose} wide>
      <p class="muted">Owners and managers hold admin on every repository; these grants are for everyone else.</p>
      <ErrorNotice error={loaded.error} />
      {!grants && !loaded.error && <Loading />}
      {grants && (
        <form onSubmit={save}>
          {grants.length === 0 && <p class="notice notice-empty">No grants: only owners and managers can use this repository.</p>}
          <ol class="grant-list">
            {grants.map((grant, index) => (
              <GrantRow
                key={index}
                grant={grant}
                index={index}
                onChange={(changed) => setGrants(grants.map((g, i) => (i === index ? changed : g)))}
                onRemove={() => setGrants(grants.filter((_g, i) => i !== index))}
              />
            ))}
          </ol>
          <button type="button" onClick={() => setGrants([...grants, { kind: 'user', name: '', privilege: 'read' }])}>
            Add grant
          </button>
          <ErrorNotice error={error} />
          <DialogActions>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={busy}>
              Save privileges
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
