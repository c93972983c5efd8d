// Downloads over time for one token, drawn by uPlot from the token's last 100 requests (the
// usage API's recent events): successful downloads and refused requests per hour, or per day
// over a longer span. Buckets start at the viewer's local hours and midnights.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const hour = 3600;
const day = 24 * hour;

// The local start of the hour or day (`width`) that holds `seconds`, and of the next one.
// Days step by the calendar, so a day of 23 or 25 hours still starts at midnight.
function bucketStart(seconds, width) {
  const date = new Date(seconds * 1000);
  if (width === day) date.setHours(0, 0, 0, 0);
  else date.setMinutes(0, 0, 0);
  return date.getTime() / 1000;
}

function nextBucket(start, width) {
  if (width !== day) return start + hour;
  const date = new Date(start * 1000);
  date.setDate(date.getDate() + 1);
  date.setHours(0, 0, 0, 0);
  return date.getTime() / 1000;
}

// Counts `events` ({at, status}) into buckets: { width, times, served, refused }, times in
// unix seconds (each bucket's local start). An empty bucket is null, so no bar is drawn for it.
export function bucketEvents(events) {
  const times = events.map((event) => Date.parse(event.at) / 1000);
  const newest = Math.max(...times, Date.now() / 1000);
  const oldest = Math.min(...times, newest - day);
  const width = newest - oldest > 3 * day ? day : hour;
  const starts = [];
  for (let start = bucketStart(oldest, width); start <= newest; start = nextBucket(start, width)) starts.push(start);
  const buckets = { width, times: starts, served: starts.map(() => null), refused: starts.map(() => null) };
  events.forEach((event, i) => {
    let slot = starts.length - 1;
    while (slot > 0 && starts[slot] > times[i]) slot -= 1;
    const served = event.status === 200 || event.status === 206;
    const series = served ? buckets.served : buckets.refused;
    series[slot] = (series[slot] ?? 0) + 1;
  });
  return buckets;
}

export function UsageChart({ events }) {
  const container = useRef(null);
  useEffect(() => {
    const { width, times, served, refused } = bucketEvents(events);
    const bars = uPlot.paths.bars({ size: [0.6, 40] });
    const options = {
      width: container.current.clientWidth,
      height: 260,
      scales: {
        x: { time: true, range: (_u, min, max) => [min - width / 2, max + width / 2] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [{}, { label: 'requests', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
      series: [
        {},
        { label: 'Downloads', stroke: '#1f6f43', fill: 'rgba(31, 111, 67, 0.35)', paths: bars, points: { show: false } },
        { label: 'Refused', stroke: '#a4262c', fill: 'rgba(164, 38, 44, 0.3)', paths: bars, points: { show: false } },
      ],
    };
    const plot = new uPlot(options, [times, served, refused], container.current);
    const resize = new ResizeObserver(() => plot.setSize({ width: container.current.clientWidth, height: 260 }));
    resize.observe(container.current);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [events]);
  return (
    <figure class="chart">
      <div ref={container} role="img" aria-label="Chart of downloads and refused requests over time" />
      <figcaption class="muted">Downloads and refused requests over time, drawn from the token's last 100 requests (times in your local zone).</figcaption>
    </figure>
  );
}
