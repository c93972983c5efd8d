// The entitlement tokens of one repository: list with usage, and every action on a token.
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { ConfirmDialog } from '../components/confirm_dialog.jsx';
import { DataTable, Pager } from '../components/data_table.jsx';
import { LimitsSummary } from '../components/limits.jsx';
import { ErrorNotice } from '../components/notice.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { SecretDialog } from '../components/secret_dialog.jsx';
import { countOf, formatBytes } from '../format.js';
import { href, usePagedList } from '../hooks.js';
import { QuotaLine } from './quota.jsx';
import { SyncDialog } from './sync_dialog.jsx';
import { TokenForm } from './token_form.jsx';

export function Tokens({ repo }) {
  const { org } = useCaller();
  const base = apiPath('entitlements', org, repo);
  const tokenPath = (token, action) => apiPath('entitlements', org, repo, token.identifier, ...(action ? [action] : []));
  const list = usePagedList(base);
  // Without write on the repository the list is refused, and so would every action be.
  const refused = list.error?.status === 403;
  // { kind, token? }; a shown token string lives here only while its dialog is open.
  const [dialog, setDialog] = useState(null);
  const [actionError, setActionError] = useState(null);
  const close = () => setDialog(null);
  const changed = (next = null) => {
    setDialog(next);
    list.reload();
  };
  // Enabling and disabling need no confirmation: each undoes the other.
  const act = async (token, action) => {
    setActionError(null);
    try {
      await api.post(tokenPath(token, action));
      list.reload();
    } catch (error) {
      setActionError(error);
    }
  };
  const showToken = async (token) => {
    setActionError(null);
    try {
      const shown = await api.get(tokenPath(token), { show_tokens: true });
      setDialog({ kind: 'show', token: shown });
    } catch (error) {
      setActionError(error);
    }
  };

  const columns = [
    {
      label: 'Name',
      render: (t) => (
        <>
          <a href={href('repos', repo, 'tokens', t.identifier)}>{t.name}</a>
          <br />
          <code class="muted">{t.identifier}</code>
          {t.user && <span class="muted"> · user token of {t.user}</span>}
        </>
      ),
    },
    {
      label: 'Status',
      render: (t) => <span class={t.is_active ? 'badge badge-ok' : 'badge badge-off'}>{t.is_active ? 'Active' : 'Disabled'}</span>,
    },
    { label: 'Limits', render: (t) => <LimitsSummary token={t} /> },
    {
      label: 'Usage',
      render: (t) =>
        `${countOf(t.usage.downloads, 'download')} · ${countOf(t.usage.clients, 'client')} · ${formatBytes(t.usage.bandwidth)}`,
    },
    {
      label: 'Actions',
      render: (t) => (
        <div class="row-actions">
          <a class="button" href={href('repos', repo, 'tokens', t.identifier)}>
            Usage
          </a>
          <button type="button" onClick={() => setDialog({ kind: 'edit', token: t })}>
            Edit
          </button>
          <button type="button" onClick={() => act(t, t.is_active ? 'disable' : 'enable')}>
            {t.is_active ? 'Disable' : 'Enable'}
          </button>
          <button type="button" onClick={() => showToken(t)}>
            Show token
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'refresh', token: t })}>
            Refresh
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'reset', token: t })}>
            Reset usage
          </button>
          <button type="button" class="danger" onClick={() => setDialog({ kind: 'delete', token: t })}>
            Delete
          </button>
        </div>
      ),
    },
  ];

  return (
    <section>
      <PageHeader title={`Entitlement tokens of ${org}/${repo}`} subtitle={<QuotaLine after={list.data} />}>
        {!refused && (
          <>
            <button type="button" onClick={() => setDialog({ kind: 'sync' })}>
              Sync from another repository
            </button>
            <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
              Create token
            </button>
          </>
        )}
      </PageHeader>
      <ErrorNotice error={actionError} />
      <DataTable
        caption={`Entitlement tokens of ${repo}`}
        columns={columns}
        rows={list.data?.items}
        rowKey={(t) => t.identifier}
        loading={list.loading}
        error={list.error}
        empty="No tokens yet. Create one for each customer who downloads from this repository."
      />
      <Pager list={list} />

      {dialog?.kind === 'create' && <TokenForm repo={repo} onClose={close} onDone={() => changed()} />}
      {dialog?.kind === 'edit' && <TokenForm repo={repo} token={dialog.token} onClose={close} onDone={() => changed()} />}
      {dialog?.kind === 'sync' && <SyncDialog repo={repo} onClose={close} onDone={() => changed()} />}
      {dialog?.kind === 'show' && (
        <SecretDialog title={`Token ${dialog.token.name}`} label="Token string" secret={dialog.token.token} onClose={close} />
      )}
      {dialog?.kind === 'refresh' && (
        <ConfirmDialog
          title={`Refresh token ${dialog.token.name}?`}
          confirmLabel="Refresh token"
          onClose={close}
          onConfirm={async () => {
            const refreshed = await api.post(tokenPath(dialog.token, 'refresh'));
            changed({ kind: 'show', token: refreshed });
          }}
        >
          <p>A new token string replaces the current one, which stops working at once. Limits and usage are kept.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'reset' && (
        <ConfirmDialog
          title={`Reset the usage of ${dialog.token.name}?`}
          confirmLabel="Reset usage"
          onClose={close}
          onConfirm={async () => {
            await api.post(tokenPath(dialog.token, 'reset'));
            changed();
          }}
        >
          <p>Downloads, clients and bandwidth go back to zero, and reset periods count from now.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete token ${dialog.token.name}?`}
          confirmLabel="Delete token"
          danger
          onClose={close}
          onConfirm={async () => {
            await api.remove(tokenPath(dialog.token));
            changed();
          }}
        >
          <p>The token stops working at once and its usage history is gone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
