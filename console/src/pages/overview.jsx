// The landing page: who is signed in, and the org's plan quota (owners may change it).
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { FormError, TextField, useForm } from '../components/form.jsx';
import { ErrorNotice, Loading } from '../components/notice.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { Time } from '../components/time.jsx';
import { numberOrNull } from '../format.js';
import { href } from '../hooks.js';
import { quotaText, useOrg } from './quota.jsx';

function QuotaForm({ org, current, onDone, onClose }) {
  const form = useForm({ max_active_entitlements: current ?? '' });
  const save = async ({ max_active_entitlements: text }) =>
    onDone(await api.patch(apiPath('orgs', org), { max_active_entitlements: numberOrNull(text) }));
  return (
    <Dialog title="Plan quota" onClose={onClose}>
      <form onSubmit={form.submit(save)}>
        <TextField
          label="Active tokens allowed"
          inputMode="numeric"
          hint="Active standard tokens in all repositories. Leave empty for unlimited."
          autofocus
          {...form.field('max_active_entitlements')}
        />
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            Save quota
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function Overview() {
  const caller = useCaller();
  const orgInfo = useOrg();
  const [editing, setEditing] = useState(false);
  const info = orgInfo.data;
  const allowed = info?.max_active_entitlements;
  return (
    <section>
      <PageHeader title={`Organization ${caller.org}`} subtitle={`Signed in as ${caller.name} (${caller.kind}, ${caller.role}).`} />
      <ErrorNotice error={orgInfo.error} />
      {!info && !orgInfo.error && <Loading />}
      {info && (
        <div class="card quota">
          <h2>Plan quota</h2>
          <p>{quotaText(info)}.</p>
          {allowed !== null && (
            <meter min={0} max={Math.max(allowed, 1)} value={info.active_entitlements} aria-label="Active tokens used">
              {info.active_entitlements} of {allowed}
            </meter>
          )}
          <p class="muted">
            Disabled tokens and user tokens do not count. Organization created <Time value={info.created_at} />.
          </p>
          {caller.isOwner && (
            <button type="button" onClick={() => setEditing(true)}>
              Change quota
            </button>
          )}
        </div>
      )}
      <p>
        Manage entitlement tokens from <a href={href('repos')}>Repositories</a>.
      </p>
      {editing && (
        <QuotaForm
          org={caller.org}
          current={allowed}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            orgInfo.reload();
          }}
        />
      )}
    </section>
  );
}
