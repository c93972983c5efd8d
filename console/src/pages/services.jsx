// Services: non-person accounts for CI/CD. Their keys are shown once, at creation or refresh.
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { ConfirmDialog } from '../components/confirm_dialog.jsx';
import { DataTable, Pager } from '../components/data_table.jsx';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { CheckboxGroup, FormError, SelectField, TextArea, TextField, useForm } from '../components/form.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { SecretDialog } from '../components/secret_dialog.jsx';
import { Time } from '../components/time.jsx';
import { useResource, usePagedList } from '../hooks.js';

const roles = [
  ['member', 'Member (uses the repository privileges it is granted)'],
  ['manager', 'Manager (admin on every repository of the org)'],
];

// Create and edit: name, description, teams, role. `service` is absent when creating.
function ServiceForm({ org, service, onDone, onClose }) {
  const teams = useResource(() => api.all(apiPath('orgs', org, 'teams')), [org]);
  const form = useForm({
    name: service?.name ?? '',
    description: service?.description ?? '',
    teams: service?.teams ?? [],
    role: service?.role ?? 'member',
  });
  const save = async (values) => {
    const saved = service
      ? await api.patch(apiPath('orgs', org, 'services', service.slug), values)
      : await api.post(apiPath('orgs', org, 'services'), values);
    onDone(saved);
  };
  return (
    <Dialog title={service ? `Edit service ${service.name}` : 'Create service'} onClose={onClose}>
      <form onSubmit={form.submit(save)}>
        <TextField label="Name" required maxLength={200} autofocus {...form.field('name')} />
        <TextArea label="Description (optional)" rows={2} maxLength={1000} {...form.field('description')} />
        <CheckboxGroup
          label="Teams"
          options={(teams.data ?? []).map((team) => [team.slug, team.name])}
          empty={teams.loading ? 'Loading teams…' : 'The organization has no teams yet.'}
          {...form.field('teams')}
        />
        <SelectField label="Role" options={roles} {...form.field('role')} />
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            {service ? 'Save' : 'Create service'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function ServiceKey({ service, onClose }) {
  return (
    <SecretDialog title={`API key of ${service.name}`} label="API key" secret={service.key} once onClose={onClose}>
      <p>
        The service signs in as <code>{service.slug}</code> with this key, for example{' '}
        <code>{service.slug}:KEY</code> in Basic authentication.
      </p>
    </SecretDialog>
  );
}

export function Services() {
  const { org } = useCaller();
  const list = usePagedList(apiPath('orgs', org, 'services'));
  // { kind: 'create' | 'edit' | 'key' | 'refresh' | 'delete', service }. A key lives here only
  // while its dialog is open.
  const [dialog, setDialog] = useState(null);
  const close = () => setDialog(null);
  const changed = (next = null) => {
    setDialog(next);
    list.reload();
  };

  const columns = [
    {
      label: 'Name',
      render: (s) => (
        <>
          <strong>{s.name}</strong>
          <br />
          <span class="muted">username</span> <code>{s.slug}</code>
        </>
      ),
    },
    { label: 'Description', render: (s) => s.description || <span class="muted">—</span> },
    { label: 'Teams', render: (s) => s.teams.join(', ') || <span class="muted">none</span> },
    { label: 'Role', render: (s) => <span class="badge">{s.role}</span> },
    { label: 'Created', render: (s) => <Time value={s.created_at} /> },
    {
      label: 'Actions',
      render: (s) => (
        <div class="row-actions">
          <button type="button" onClick={() => setDialog({ kind: 'edit', service: s })}>
            Edit
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'refresh', service: s })}>
            Refresh API key
          </button>
          <button type="button" class="danger" onClick={() => setDialog({ kind: 'delete', service: s })}>
            Delete service
          </button>
        </div>
      ),
    },
  ];

  return (
    <section>
      <PageHeader title="Services" subtitle="Accounts for automation (CI/CD). The NAME column shows each service's username.">
        <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
          Create service
        </button>
      </PageHeader>
      <DataTable
        caption="Services"
        columns={columns}
        rows={list.data?.items}
        rowKey={(s) => s.slug}
        loading={list.loading}
        error={list.error}
        empty="No services yet. Create one for each pipeline that publishes packages."
      />
      <Pager list={list} />

      {dialog?.kind === 'create' && (
        <ServiceForm org={org} onClose={close} onDone={(created) => changed({ kind: 'key', service: created })} />
      )}
      {dialog?.kind === 'edit' && (
        <ServiceForm org={org} service={dialog.service} onClose={close} onDone={() => changed()} />
      )}
      {dialog?.kind === 'key' && <ServiceKey service={dialog.service} onClose={close} />}
      {dialog?.kind === 'refresh' && (
        <ConfirmDialog
          title={`Refresh the API key of ${dialog.service.name}?`}
          confirmLabel="Refresh API key"
          onClose={close}
          onConfirm={async () => {
            const refreshed = await api.post(apiPath('orgs', org, 'services', dialog.service.slug, 'refresh'));
            changed({ kind: 'key', service: refreshed });
          }}
        >
          <p>A new key is made and shown once. The current key stops working at once: update every pipeline that uses it.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete service ${dialog.service.name}?`}
          confirmLabel="Delete service"
          danger
          onClose={close}
          onConfirm={async () => {
            await api.remove(apiPath('orgs', org, 'services', dialog.service.slug));
            changed();
          }}
        >
          <p>
            The service <code>{dialog.service.slug}</code> and its API key are removed; the key stops working at once.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
