// Entitlement token fields between the API's JSON and the token form's inputs.
import { countOf, fromLocalInput, numberOrNull, toLocalInput } from './format.js';

export const resetPeriods = [
  ['never', 'Never'],
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['fortnightly', 'Fortnightly'],
  ['monthly', 'Monthly'],
  ['bi_monthly', 'Every 2 months'],
  ['quarterly', 'Quarterly'],
  ['every_6_months', 'Every 6 months'],
  ['annual', 'Annual'],
];

const countFields = ['limit_num_downloads', 'limit_num_clients', 'limit_bandwidth'];
const dateFields = ['limit_date_range_from', 'limit_date_range_to'];
const queryFields = ['limit_package_query', 'limit_path_query'];

// The form's values for `token` (absent: a new token). Every value is what an input shows.
export function formValues(token) {
  const values = {
    name: token?.name ?? '',
    is_active: token?.is_active ?? true,
    limit_bandwidth_unit: token?.limit_bandwidth_unit ?? 'gigabyte',
    scheduled_reset_period: token?.scheduled_reset_period ?? 'never',
    metadata: token && Object.keys(token.metadata).length ? JSON.stringify(token.metadata, null, 2) : '',
  };
  if (!token) values.token = '';
  for (const field of countFields) values[field] = token?.[field] ?? '';
  for (const field of dateFields) values[field] = toLocalInput(token?.[field]);
  for (const field of queryFields) values[field] = token?.[field] ?? '';
  return values;
}

// Problems the browser can see before asking the API: { field: message }.
export function validate(values) {
  const problems = {};
  if (!values.name.trim()) problems.name = 'A token needs a name.';
  if (values.metadata.trim()) {
    try {
      const parsed = JSON.parse(values.metadata);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        problems.metadata = 'Metadata must be a JSON object, such as {"customer": "acme"}.';
      }
    } catch (error) {
      problems.metadata = `Not valid JSON: ${error.message}`;
    }
  }
  return problems;
}

// The JSON body for POST: empty inputs clear their limit (null). A count that is not a number
// is sent as typed, so the API's 422 explains it at its field.
export function requestBody(values) {
  const body = {
    name: values.name.trim(),
    is_active: values.is_active,
    limit_bandwidth_unit: values.limit_bandwidth_unit,
    scheduled_reset_period: values.scheduled_reset_period,
    metadata: values.metadata.trim() ? JSON.parse(values.metadata) : null,
  };
  if (values.token?.trim()) body.token = values.token.trim();
  for (const field of countFields) body[field] = numberOrNull(values[field]);
  for (const field of dateFields) body[field] = fromLocalInput(values[field]);
  for (const field of queryFields) body[field] = values[field].trim() || null;
  return body;
}

// The JSON body for PATCH: only the fields whose input differs from what the form showed when
// it opened (`initial`, formValues of the loaded token). An untouched field is not sent, so a
// change made elsewhere meanwhile (the token disabled from the list, say) is not undone, and an
// untouched date keeps its exact stored instant.
export function changedFields(values, initial) {
  const body = requestBody(values);
  const before = requestBody(initial);
  const changed = {};
  for (const [field, value] of Object.entries(body)) {
    if (JSON.stringify(value) !== JSON.stringify(before[field])) changed[field] = value;
  }
  return changed;
}

// The limits of `token` as parts of one line ("5 downloads", "2 clients", …); the end of its
// validity is { until: instant }, for the caller to show as a time. Empty: no limits.
export function limitParts(token) {
  const parts = [];
  if (token.limit_num_downloads !== null) parts.push(countOf(token.limit_num_downloads, 'download'));
  if (token.limit_num_clients !== null) parts.push(countOf(token.limit_num_clients, 'client'));
  if (token.limit_bandwidth !== null) parts.push(`${token.limit_bandwidth} ${token.limit_bandwidth_unit}s`);
  if (token.limit_date_range_to) parts.push({ until: token.limit_date_range_to });
  if (token.limit_package_query) parts.push(`packages: ${token.limit_package_query}`);
  if (token.limit_path_query) parts.push(`paths: ${token.limit_path_query}`);
  return parts;
}
