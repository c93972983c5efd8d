// Teams: named sets of users and services, granted privileges on repositories together.
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { ConfirmDialog } from '../components/confirm_dialog.jsx';
import { DataTable, Pager } from '../components/data_table.jsx';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { FormError, SelectField, TextArea, TextField, useForm } from '../components/form.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { ErrorNotice } from '../components/notice.jsx';
import { Time } from '../components/time.jsx';
import { usePagedList } from '../hooks.js';

function CreateTeam({ org, onDone, onClose }) {
  const form = useForm({ name: '', description: '' });
  const create = async ({ name, description }) =>
    onDone(await api.post(apiPath('orgs', org, 'teams'), { name: name.trim(), description }));
  return (
    <Dialog title="Create team" onClose={onClose}>
      <form onSubmit={form.submit(create)}>
        <TextField label="Name" autofocus {...form.field('name')} />
        <TextArea label="Description (optional)" rows={2} {...form.field('description')} />
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            Create team
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function AddTeamMember({ org, team, onDone, onClose }) {
  const form = useForm({ kind: 'user', name: '' });
  const add = async ({ kind, name }) => {
    await api.put(apiPath('orgs', org, 'teams', team.slug, 'members', name.trim()), { kind });
    onDone();
  };
  return (
    <Dialog title={`Add to team ${team.name}`} onClose={onClose}>
      <form onSubmit={form.submit(add)}>
        <SelectField
          label="Kind"
          options={[
            ['user', 'User'],
            ['service', 'Service'],
          ]}
          {...form.field('kind')}
        />
        <TextField label="User name or service slug" autofocus {...form.field('name')} />
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            Add to team
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function Teams() {
  const { org } = useCaller();
  const list = usePagedList(apiPath('orgs', org, 'teams'));
  const [dialog, setDialog] = useState(null);
  const [actionError, setActionError] = useState(null);
  const close = () => setDialog(null);
  const changed = () => {
    setDialog(null);
    list.reload();
  };
  const removeMember = async (team, member) => {
    setActionError(null);
    try {
      await api.remove(apiPath('orgs', org, 'teams', team.slug, 'members', member.name));
      list.reload();
    } catch (error) {
      setActionError(error);
    }
  };

  const columns = [
    {
      label: 'Team',
      render: (t) => (
        <>
          <strong>{t.name}</strong> <code class="muted">{t.slug}</code>
          {t.description && <p class="muted">{t.description}</p>}
        </>
      ),
    },
    {
      label: 'Members',
      render: (t) =>
        t.members.length ? (
          <ul class="chips">
            {t.members.map((m) => (
              <li key={`${m.kind}:${m.name}`} class="chip">
                {m.name} <span class="muted">({m.kind})</span>
                <button type="button" class="chip-remove" aria-label={`Remove ${m.name} from ${t.name}`} onClick={() => removeMember(t, m)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <span class="muted">none</span>
        ),
    },
    { label: 'Created', render: (t) => <Time value={t.created_at} /> },
    {
      label: 'Actions',
      render: (t) => (
        <div class="row-actions">
          <button type="button" onClick={() => setDialog({ kind: 'add', team: t })}>
            Add member
          </button>
          <button type="button" class="danger" onClick={() => setDialog({ kind: 'delete', team: t })}>
            Delete team
          </button>
        </div>
      ),
    },
  ];

  return (
    <section>
      <PageHeader title="Teams" subtitle="Grant repository privileges to a team instead of to each account.">
        <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
          Create team
        </button>
      </PageHeader>
      <ErrorNotice error={actionError} />
      <DataTable
        caption="Teams"
        columns={columns}
        rows={list.data?.items}
        rowKey={(t) => t.slug}
        loading={list.loading}
        error={list.error}
        empty="No teams yet."
      />
      <Pager list={list} />
      {dialog?.kind === 'create' && <CreateTeam org={org} onClose={close} onDone={changed} />}
      {dialog?.kind === 'add' && <AddTeamMember org={org} team={dialog.team} onClose={close} onDone={changed} />}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete team ${dialog.team.name}?`}
          confirmLabel="Delete team"
          danger
          onClose={close}
          onConfirm={async () => {
            await api.remove(apiPath('orgs', org, 'teams', dialog.team.slug));
            changed();
          }}
        >
          <p>Its members stay in the organization, but the privileges granted to the team are removed.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
