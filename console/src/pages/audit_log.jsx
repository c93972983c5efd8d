// The audit log: every change made through the API, newest first, page by page.
import { apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { DataTable, Pager } from '../components/data_table.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { Time } from '../components/time.jsx';
import { usePagedList } from '../hooks.js';

function Details({ details }) {
  if (!details || !Object.keys(details).length) return <span class="muted">—</span>;
  return (
    <details>
      <summary>Changes</summary>
      <pre>{JSON.stringify(details, null, 2)}</pre>
    </details>
  );
}

export function AuditLog() {
  const { org } = useCaller();
  const list = usePagedList(apiPath('audit-log', org), 50);
  return (
    <section>
      <PageHeader title="Audit log" subtitle="Who changed what, when and from where. Secrets are never recorded." />
      <DataTable
        caption="Audit log"
        columns={[
          { label: 'When', render: (e) => <Time value={e.at} /> },
          { label: 'Who', render: (e) => `${e.actor.name} (${e.actor.kind})` },
          { label: 'Action', render: (e) => <code>{e.action}</code> },
          { label: 'Target', render: (e) => <code>{e.target}</code> },
          { label: 'From', render: (e) => e.client_address },
          { label: 'Details', render: (e) => <Details details={e.details} /> },
        ]}
        rows={list.data?.items}
        rowKey={(e) => e.id}
        loading={list.loading}
        error={list.error}
        empty="Nothing has changed yet."
      />
      <Pager list={list} />
    </section>
  );
}
