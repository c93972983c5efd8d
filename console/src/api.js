// The admin API as the console calls it: the session's key in X-Api-Key, JSON in and out,
// failures as ApiError with the API's code and sentence. The console holds no other power.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }

  // A 422 names the field it refuses first ("limit_package_query: unexpected ')' at 7"),
  // so a form can show the sentence next to that field.
  get field() {
    const match = this.status === 422 ? /^([A-Za-z_][\w.[\]]*): /.exec(this.detail) : null;
    return match ? match[1] : null;
  }

  get fieldMessage() {
    return this.field ? this.detail.slice(this.field.length + 2) : this.detail;
  }
}

let onKeyRejected = () => {};

// `callback(error)` runs when the API refuses the signed-in key (401): it was rotated or the
// account removed, and the console must sign out.
export function whenKeyRejected(callback) {
  onKeyRejected = callback;
}

// "orgs/acme/services/ci bot" -> "orgs/acme/services/ci%20bot/": every segment encoded. A
// segment that is empty, "." or ".." is refused: encodeURIComponent keeps dots, and URL
// resolution would fold such a segment into a different API path.
export function apiPath(...segments) {
  for (const segment of segments) {
    const text = String(segment ?? '');
    if (text === '' || text === '.' || text === '..') {
      throw new ApiError(404, 'bad_path', `There is no "${text}" here.`);
    }
  }
  return `${segments.map((s) => encodeURIComponent(s)).join('/')}/`;
}

// Why `key` cannot be an API key, or null. Keys are printable ASCII without spaces; anything
// else (a pasted line break, a typographic quote) would not even fit in a request header.
export function keyProblem(key) {
  if (!key) return 'Enter your API key.';
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return 'An API key has only printable ASCII characters and no spaces: check what was pasted.';
  }
  return null;
}

async function call(method, path, { body, query, key = session.key() } = {}) {
  if (key && keyProblem(key)) throw new ApiError(401, 'bad_key', keyProblem(key));
  const url = new URL(`/api/v1/${path}`, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(name, value);
  }
  const headers = { 'X-Api-Key': key ?? '', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'tollgate could not be reached.');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'tollgate answered something that is not JSON.');
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data?.code ?? 'http_error', data?.detail ?? response.statusText);
    if (response.status === 401 && key === session.key()) onKeyRejected(error);
    throw error;
  }
  const total = response.headers.get('X-Total-Count');
  return { data, total: total === null ? null : Number(total) };
}

export const api = {
  // Checks `key` without signing in with it: the caller it belongs to.
  whoAmI: (key) => call('GET', 'user/self', { key }).then((r) => r.data),
  get: (path, query) => call('GET', path, { query }).then((r) => r.data),
  // One page of a list: { items, total } (total from X-Total-Count).
  page: (path, page, pageSize) =>
    call('GET', path, { query: { page, page_size: pageSize } }).then((r) => ({
      items: r.data,
      total: r.total !== null && Number.isFinite(r.total) ? r.total : r.data.length,
    })),
  // Every item of a short list (teams, repositories for a picker): the API's largest page.
  all: (path) => call('GET', path, { query: { page_size: 500 } }).then((r) => r.data),
  post: (path, body = {}) => call('POST', path, { body }).then((r) => r.data),
  patch: (path, body) => call('PATCH', path, { body }).then((r) => r.data),
  put: (path, body) => call('PUT', path, { body }).then((r) => r.data),
  remove: (path) => call('DELETE', path).then(() => undefined),
};
