// A page the caller may not use, or that does not exist, explained in words. It is static
// text, not an alert: focus moves to <main> on every page change, so it is read anyway.
import { PageHeader } from '../components/page_header.jsx';

export function Restricted({ title, children }) {
  return (
    <section>
      <PageHeader title={title} />
      <p class="notice notice-warning">{children}</p>
    </section>
  );
}
