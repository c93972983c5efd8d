// The privilege list of one repository, edited as a whole and saved with one PUT.
import { useEffect, useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { ErrorNotice, Loading } from '../components/notice.jsx';
import { useResource } from '../hooks.js';

const kinds = ['user', 'team', 'service'];
const privileges = ['read', 'write', 'admin'];

function GrantRow({ grant, index, onChange, onRemove }) {
  const set = (field) => (event) => onChange({ ...grant, [field]: event.currentTarget.value });
  return (
    <li class="grant-row">
      <label>
        <span class="visually-hidden">Kind of grantee {index + 1}</span>
        <select value={grant.kind} onChange={set('kind')}>
          {kinds.map((kind) => (
            <option key={kind}>{kind}</option>
          ))}
        </select>
      </label>
      <label>
        <span class="visually-hidden">Name of grantee {index + 1}</span>
        <input value={grant.name} onInput={set('name')} placeholder="name or slug" required />
      </label>
      <label>
        <span class="visually-hidden">Privilege of grantee {index + 1}</span>
        <select value={grant.privilege} onChange={set('privilege')}>
          {privileges.map((privilege) => (
            <option key={privilege}>{privilege}</option>
          ))}
        </select>
      </label>
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
