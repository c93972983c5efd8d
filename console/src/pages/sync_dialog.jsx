// Replace this repository's standard tokens with copies of another repository's.
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { FormError, SelectField, useForm } from '../components/form.jsx';
import { Loading } from '../components/notice.jsx';
import { useResource } from '../hooks.js';

export function SyncDialog({ repo, onDone, onClose }) {
  const { org } = useCaller();
  const repos = useResource(() => api.all(apiPath('repos', org)), [org]);
  const sources = (repos.data ?? []).filter((r) => r.slug !== repo).map((r) => [r.slug, `${org}/${r.slug}`]);
  const form = useForm({ source: '' });
  const sync = async ({ source }) => {
    await api.post(apiPath('entitlements', org, repo, 'sync'), { source });
    onDone();
  };
  const chosen = ({ source }) => (source ? {} : { source: 'Choose the repository to copy tokens from.' });
  return (
    <Dialog title={`Sync tokens into ${org}/${repo}`} onClose={onClose}>
      <form onSubmit={form.submit(sync, chosen)}>
        <p>
          Every standard token of <strong>{repo}</strong> is replaced by a copy of the source's tokens: the same strings,
          names, limits and metadata, with usage starting at zero. User tokens are kept.
        </p>
        {repos.loading ? (
          <Loading what="Loading repositories…" />
        ) : (
          <SelectField
            label="Source repository"
            options={[['', sources.length ? 'Choose a repository' : 'No other repository'], ...sources]}
            {...form.field('source')}
          />
        )}
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={form.busy}>
            Replace tokens
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
