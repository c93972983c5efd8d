// Data loading for pages: one resource, or one page of a paginated list.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

// Runs `load` whenever `deps` change (or reload() is called): { data, error, loading, reload }.
// A stale answer (deps changed meanwhile) is dropped.
export function useResource(load, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, error: null, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

// One page of the list at `path`: the resource's fields plus page, setPage and pageCount.
export function usePagedList(path, pageSize = 25) {
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [path]);
  const resource = useResource(() => api.page(path, page, pageSize), [path, page]);
  const total = resource.data?.total ?? 0;
  return { ...resource, page, setPage, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

// The route a hash names that no page has: shown as "Page not found".
export const notFound = ['\u0000not-found'];

// The route a hash names: "#/repos/agents/tokens" -> ["repos", "agents", "tokens"]; "" or "#/"
// -> [] (the overview); null for a hash that is not a route ("#main", an in-page anchor).
// Segments are decoded; one that does not decode, or decodes to "." or "..", names no page
// (it would fold into another API path). Nothing secret is ever put in the hash.
export function parseRoute(hash) {
  if (hash !== '' && hash !== '#' && !hash.startsWith('#/')) return null;
  try {
    const route = hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment));
    return route.some((segment) => segment === '.' || segment === '..') ? notFound : route;
  } catch {
    return notFound;
  }
}

// The current route; a hash that is not a route leaves it as it was.
export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash) ?? []);
  useEffect(() => {
    const update = () => {
      const next = parseRoute(window.location.hash);
      if (next) setRoute(next);
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(...segments) {
  return `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}
