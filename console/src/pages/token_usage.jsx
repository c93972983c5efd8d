// One token's usage: its counters against its limits, recent downloads and a chart.
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { DataTable } from '../components/data_table.jsx';
import { LimitsSummary } from '../components/limits.jsx';
import { ErrorNotice, Loading } from '../components/notice.jsx';
import { PageHeader } from '../components/page_header.jsx';
import { Time } from '../components/time.jsx';
import { formatBytes, formatCount } from '../format.js';
import { href, useResource } from '../hooks.js';
import { UsageChart } from './usage_chart.jsx';

function Counter({ label, value, limit }) {
  return (
    <div class="counter">
      <dt>{label}</dt>
      <dd>
        {value}
        {limit !== undefined && limit !== null && <span class="muted"> of {limit}</span>}
      </dd>
    </div>
  );
}

export function TokenUsage({ repo, identifier }) {
  const { org } = useCaller();
  const loaded = useResource(async () => {
    const path = ['entitlements', org, repo, identifier];
    const [token, usage] = await Promise.all([api.get(apiPath(...path)), api.get(apiPath(...path, 'usage'))]);
    return { token, usage };
  }, [org, repo, identifier]);
  if (loaded.error) return <ErrorNotice error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { token, usage } = loaded.data;
  const events = usage.events;
  return (
    <section>
      <PageHeader title={`Usage of ${token.name}`} subtitle={
          <>
            {org}/{repo} · <LimitsSummary token={token} />
          </>
        }>
        <a class="button" href={href('repos', repo, 'tokens')}>
          Back to tokens
        </a>
        <button type="button" onClick={loaded.reload}>
          Reload
        </button>
      </PageHeader>
      <dl class="counters">
        <Counter label="Downloads" value={formatCount(usage.downloads)} limit={token.limit_num_downloads} />
        <Counter label="Clients" value={formatCount(usage.clients)} limit={token.limit_num_clients} />
        <Counter
          label="Bandwidth"
          value={formatBytes(usage.bandwidth)}
          limit={token.limit_bandwidth === null ? null : `${token.limit_bandwidth} ${token.limit_bandwidth_unit}s`}
        />
        <Counter label="Last download" value={<Time value={usage.last_downloaded_at} />} />
        <Counter label="Status" value={token.is_active ? 'Active' : 'Disabled'} />
        <Counter label="Usage resets" value={token.scheduled_reset_at ? <Time value={token.scheduled_reset_at} /> : 'never'} />
      </dl>
      <h2>Downloads over time</h2>
      {events.length ? <UsageChart events={events} /> : <p class="notice notice-empty">No downloads yet.</p>}
      <h2>Recent downloads</h2>
      <DataTable
        caption="Recent downloads"
        columns={[
          { label: 'Time', render: (e) => <Time value={e.at} /> },
          { label: 'Client', render: (e) => <code>{e.client}</code> },
          { label: 'Path', render: (e) => <code class="path">{e.path}</code> },
          { label: 'Bytes', render: (e) => formatBytes(e.bytes) },
          { label: 'Status', render: (e) => <span class={e.status < 300 ? 'badge badge-ok' : 'badge badge-off'}>{e.status}</span> },
        ]}
        rows={events}
        rowKey={(_event, index) => index}
        empty="No downloads yet."
      />
    </section>
  );
}
