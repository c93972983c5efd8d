// Create or edit an entitlement token with every limit field and its metadata.
import { useState } from 'preact/hooks';
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { Dialog, DialogActions } from '../components/dialog.jsx';
import { CheckboxField, FormError, SelectField, TextArea, TextField, useForm } from '../components/form.jsx';
import { byteUnits } from '../format.js';
import { changedFields, formValues, requestBody, resetPeriods, validate } from '../token_fields.js';

export function TokenForm({ repo, token, onDone, onClose }) {
  const { org } = useCaller();
  // What the inputs showed when the dialog opened: an edit sends only what differs from it.
  const [initial] = useState(() => formValues(token));
  const form = useForm(initial);
  const save = async (values) => {
    if (!token) {
      onDone(await api.post(apiPath('entitlements', org, repo), requestBody(values)));
      return;
    }
    const changes = changedFields(values, initial);
    const path = apiPath('entitlements', org, repo, token.identifier);
    onDone(Object.keys(changes).length ? await api.patch(path, changes) : token);
  };
  const count = (label, name) => (
    <TextField label={label} inputMode="numeric" {...form.field(name)} />
  );
  return (
    <Dialog title={token ? `Edit token ${token.name}` : 'Create entitlement token'} onClose={onClose} wide>
      <form class="token-form" onSubmit={form.submit(save, validate)} noValidate>
        <fieldset>
          <legend>Token</legend>
          <TextField label="Name" autofocus {...form.field('name')} />
          {!token && (
            <TextField
              label="Token string (optional)"
              hint="Leave empty to have tollgate generate one. 8–128 letters, digits, '.', '_' or '-'."
              autocomplete="off"
              {...form.field('token')}
            />
          )}
          <CheckboxField label="Active (may download)" {...form.field('is_active')} />
        </fieldset>
        <fieldset>
          <legend>Counted limits</legend>
          <p class="hint">Leave a limit empty for none.</p>
          {count('Download limit', 'limit_num_downloads')}
          {count('Client limit', 'limit_num_clients')}
          <div class="field-pair">
            {count('Bandwidth limit', 'limit_bandwidth')}
            <SelectField
              label="Bandwidth unit"
              options={byteUnits.map((unit) => [unit, `${unit}s`])}
              {...form.field('limit_bandwidth_unit')}
            />
          </div>
          <SelectField label="Reset usage" options={resetPeriods} {...form.field('scheduled_reset_period')} />
        </fieldset>
        <fieldset>
          <legend>Validity (your local time)</legend>
          <TextField label="Valid from" type="datetime-local" step={1} {...form.field('limit_date_range_from')} />
          <TextField label="Valid until" type="datetime-local" step={1} {...form.field('limit_date_range_to')} />
        </fieldset>
        <fieldset>
          <legend>Scope</legend>
          <TextField
            label="Package query"
            hint="For example name:agent AND version:>=2.0. Leave empty for every package."
            spellcheck={false}
            {...form.field('limit_package_query')}
          />
          <TextField
            label="Path query"
            hint="For example path:releases/**. Leave empty for every path."
            spellcheck={false}
            {...form.field('limit_path_query')}
          />
        </fieldset>
        <TextArea label="Metadata (JSON object, optional)" rows={3} spellcheck={false} {...form.field('metadata')} />
        <FormError form={form} />
        <DialogActions>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={form.busy}>
            {token ? 'Save token' : 'Create token'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
