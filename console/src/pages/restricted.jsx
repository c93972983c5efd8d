// A page the caller may not use, or that does not exist, explained in words.
import { PageHeader } from '../components/page_header.jsx';

export function Restricted({ title, children }) {
  return (
    <section>
      <PageHeader title={title} />
      <p class="notice notice-warning" role="alert">
        {children}
      </p>
    </section>
  );
}
