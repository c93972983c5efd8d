// Members: the org's users and their roles. Owners and managers add, change and remove them;
// a new or refreshed key is shown once.
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { ConfirmDialog } from '../components/confirm_dialog.jsx';
import { DataTable, Pager } from '../components/data_table.jsx';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { FormError, SelectField, TextField, useForm } from '../components/form.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { SecretDialog } from '../components/secret_dialog.jsx';
import { Time } from '../components/time.jsx';
import { usePagedList } from '../hooks.js';
import { session } from '../session.js';

const roles = [
  ['member', 'Member'],
  ['manager', 'Manager'],
  ['owner', 'Owner'],
];

// Add (no `member`) or change the role of `member`. Only an owner may make someone an owner.
function MemberForm({ org, member, mayMakeOwners, onDone, onClose }) {
  const form = useForm({ name: member?.name ?? '', role: member?.role ?? 'member' });
  const save = async ({ name, role }) =>
    onDone(
      member
        ? await api.patch(apiPath('orgs', org, 'members', member.name), { role })
        : await api.post(apiPath('orgs', org, 'members'), { name: name.trim(), role }),
    );
  return (
    <Dialog title={member ? `Change the role of ${member.name}` : 'Add member'} onClose={onClose}>
      <form onSubmit={form.submit(save)}>
        {!member && <TextField label="User name" autofocus {...form.field('name')} />}
        <SelectField
          label="Role"
          options={mayMakeOwners ? roles : roles.filter(([role]) => role !== 'owner')}
          {...form.field('role')}
        />
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            {member ? 'Save role' : 'Add member'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function Members() {
  const caller = useCaller();
  const { org } = caller;
  const list = usePagedList(apiPath('orgs', org, 'members'));
  // A key shown here lives in this state only while its dialog is open.
  const [dialog, setDialog] = useState(null);
  const close = () => setDialog(null);
  const changed = (next = null) => {
    setDialog(next);
    list.reload();
  };

  const columns = [
    { label: 'Name', render: (m) => <strong>{m.name}</strong> },
    { label: 'Role', render: (m) => <span class="badge">{m.role}</span> },
    { label: 'Added', render: (m) => <Time value={m.created_at} /> },
  ];
  // Anyone may refresh their own key; owners and managers anyone's. Only an owner changes or
  // removes an owner (the API refuses managers that).
  const mayRefresh = (m) => caller.managesOrg || (caller.kind === 'user' && m.name === caller.name);
  const mayChange = (m) => caller.managesOrg && (m.role !== 'owner' || caller.isOwner);
  columns.push({
    label: 'Actions',
    render: (m) => (
      <div class="row-actions">
        {mayChange(m) && (
          <button type="button" onClick={() => setDialog({ kind: 'role', member: m })}>
            Change role
          </button>
        )}
        {mayRefresh(m) && (
          <button type="button" onClick={() => setDialog({ kind: 'refresh', member: m })}>
            Refresh API key
          </button>
        )}
        {mayChange(m) && (
          <button type="button" class="danger" onClick={() => setDialog({ kind: 'remove', member: m })}>
            Remove
          </button>
        )}
      </div>
    ),
  });

  return (
    <section>
      <PageHeader title="Members" subtitle="People of the organization and their roles.">
        {caller.managesOrg && (
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'add' })}>
            Add member
          </button>
        )}
      </PageHeader>
      <DataTable
        caption="Members"
        columns={columns}
        rows={list.data?.items}
        rowKey={(m) => m.name}
        loading={list.loading}
        error={list.error}
        empty="No members."
      />
      <Pager list={list} />
      {dialog?.kind === 'add' && (
        <MemberForm org={org} mayMakeOwners={caller.isOwner} onClose={close} onDone={(added) => changed({ kind: 'key', member: added })} />
      )}
      {dialog?.kind === 'role' && <MemberForm org={org} member={dialog.member} mayMakeOwners={caller.isOwner} onClose={close} onDone={() => changed()} />}
      {dialog?.kind === 'key' && (
        <SecretDialog title={`API key of ${dialog.member.name}`} label="API key" secret={dialog.member.key} once onClose={close}>
          <p>Give this key to {dialog.member.name}; they sign in to the console and the API with it.</p>
        </SecretDialog>
      )}
      {dialog?.kind === 'refresh' && (
        <ConfirmDialog
          title={`Refresh the API key of ${dialog.member.name}?`}
          confirmLabel="Refresh API key"
          onClose={close}
          onConfirm={async () => {
            const refreshed = await api.post(apiPath('orgs', org, 'members', dialog.member.name, 'refresh'));
            // Your own new key replaces the one this console signed in with.
            if (refreshed.name === caller.name) session.remember(refreshed.key);
            changed({ kind: 'key', member: refreshed });
          }}
        >
          <p>A new key is made and shown once; the current key stops working at once.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${dialog.member.name}?`}
          confirmLabel="Remove member"
          danger
          onClose={close}
          onConfirm={async () => {
            await api.remove(apiPath('orgs', org, 'members', dialog.member.name));
            changed();
          }}
        >
          <p>Their key, team places, grants and user tokens are removed and stop working at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
