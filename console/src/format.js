// Times in the viewer's own zone (the UTC instant on hover), byte counts and limits.
const localTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function localDateTime(iso) {
  return localTime.format(new Date(iso));
}

// "2024-05-01 12:30:00 UTC", for a title attribute.
export function utcDateTime(iso) {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

// The API's bandwidth units (limit_bandwidth_unit), also the units byte counts are shown in.
export const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'];

// Powers of 1000, as the API's bandwidth units are.
export function formatBytes(bytes) {
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(undefined, {
    style: 'unit',
    unit: byteUnits[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: 1,
  }).format(value);
}

export function formatCount(value) {
  return new Intl.NumberFormat().format(value);
}

const plurals = new Intl.PluralRules('en');

// "1 download", "5 downloads".
export function countOf(value, noun) {
  return `${formatCount(value)} ${noun}${plurals.select(value) === 'one' ? '' : 's'}`;
}

// A count typed into a form, for a JSON body: empty is null (no limit), a number is a number,
// anything else is sent as typed so the API's 422 explains it at its field.
export function numberOrNull(input) {
  const text = String(input ?? '').trim();
  if (text === '') return null;
  return Number.isFinite(Number(text)) ? Number(text) : text;
}

// An RFC 3339 instant as a datetime-local input's value (with seconds; the input has step=1),
// in the viewer's zone.
export function toLocalInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const offset = date.getTimezoneOffset() * 60000;
  return new Date(date.getTime() - offset).toISOString().slice(0, 19);
}

// A datetime-local input's value as an RFC 3339 UTC instant, or null when empty.
export function fromLocalInput(value) {
  if (!value) return null;
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
