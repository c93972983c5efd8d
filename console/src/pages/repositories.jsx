// Repositories: list, create (with storage), and links to their tokens and privileges.
import { useEffect, useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { DataTable, Pager } from '../components/data_table.jsx';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { FormError, SelectField, TextField, useForm } from '../components/form.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { Time } from '../components/time.jsx';
import { href, usePagedList } from '../hooks.js';
import { PrivilegesDialog } from './privileges_dialog.jsx';

function CreateRepository({ org, onDone, onClose }) {
  const form = useForm({ slug: '', name: '', repository_type: 'private', storage: 'fs', url: '' });
  const create = async ({ slug, name, repository_type: type, storage, url }) => {
    const body = { slug: slug.trim(), repository_type: type };
    if (name.trim()) body.name = name.trim();
    body.storage = storage === 'http' ? { type: 'http', url: url.trim() } : { type: 'fs' };
    onDone(await api.post(apiPath('repos', org), body));
  };
  return (
    <Dialog title="Create repository" onClose={onClose}>
      <form onSubmit={form.submit(create)}>
        <TextField label="Slug" hint="Part of every download URL, e.g. agents." autofocus {...form.field('slug')} />
        <TextField label="Name (optional)" {...form.field('name')} />
        <SelectField
          label="Type"
          options={[
            ['private', 'Private (credentials needed)'],
            ['public', 'Public (anyone may download)'],
          ]}
          {...form.field('repository_type')}
        />
        <SelectField
          label="Storage"
          options={[
            ['fs', 'Files on this server'],
            ['http', 'An upstream HTTP origin'],
          ]}
          {...form.field('storage')}
        />
        {form.values.storage === 'http' && (
          <TextField label="Origin URL" type="url" placeholder="https://origin.example/packages/" {...form.field('url')} />
        )}
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            Create repository
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

// What the caller may open for each repository. Owners and managers may open everything; for
// anyone else the API is asked (a read of the token list, of the privilege list), since a
// member's privileges come from grants the console cannot see.
function useRepositoryAccess(repositories) {
  const caller = useCaller();
  const [access, setAccess] = useState({});
  useEffect(() => {
    if (caller.managesOrg || !repositories) return;
    let current = true;
    const allowed = (path) => api.page(path, 1, 1).then(() => true, () => false);
    Promise.all(
      repositories.map(async (r) => [
        r.slug,
        {
          tokens: await allowed(apiPath('entitlements', caller.org, r.slug)),
          privileges: await allowed(apiPath('repos', caller.org, r.slug, 'privileges')),
        },
      ]),
    ).then((entries) => current && setAccess(Object.fromEntries(entries)));
    return () => {
      current = false;
    };
  }, [repositories, caller]);
  return (slug) => (caller.managesOrg ? { tokens: true, privileges: true } : access[slug] ?? {});
}

export function Repositories() {
  const caller = useCaller();
  const list = usePagedList(apiPath('repos', caller.org));
  const accessOf = useRepositoryAccess(list.data?.items);
  const [dialog, setDialog] = useState(null);
  const close = () => setDialog(null);

  const columns = [
    {
      label: 'Repository',
      render: (r) => (
        <>
          <strong>
            {caller.org}/{r.slug}
          </strong>
          {r.name !== r.slug && <span class="muted"> · {r.name}</span>}
        </>
      ),
    },
    { label: 'Type', render: (r) => <span class="badge">{r.repository_type}</span> },
    { label: 'Storage', render: (r) => (r.storage.type === 'http' ? `origin ${r.storage.url}` : 'files on this server') },
    { label: 'Created', render: (r) => <Time value={r.created_at} /> },
    {
      label: 'Actions',
      render: (r) => (
        <div class="row-actions">
          {accessOf(r.slug).tokens && (
            <a class="button" href={href('repos', r.slug, 'tokens')}>
              Entitlement tokens
            </a>
          )}
          {accessOf(r.slug).privileges && (
            <button type="button" onClick={() => setDialog({ kind: 'privileges', repo: r.slug })}>
              Privileges
            </button>
          )}
        </div>
      ),
    },
  ];

  return (
    <section>
      <PageHeader title="Repositories" subtitle={caller.managesOrg ? null : 'The repositories you can read.'}>
        {caller.managesOrg && (
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
            Create repository
          </button>
        )}
      </PageHeader>
      <DataTable
        caption="Repositories"
        columns={columns}
        rows={list.data?.items}
        rowKey={(r) => r.slug}
        loading={list.loading}
        error={list.error}
        empty={caller.managesOrg ? 'No repositories yet.' : 'You have no privileges on any repository yet.'}
      />
      <Pager list={list} />
      {dialog?.kind === 'create' && (
        <CreateRepository
          org={caller.org}
          onClose={close}
          onDone={() => {
            close();
            list.reload();
          }}
        />
      )}
      {dialog?.kind === 'privileges' && <PrivilegesDialog repo={dialog.repo} onClose={close} />}
    </section>
  );
}
