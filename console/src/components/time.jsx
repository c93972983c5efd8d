// An instant in the viewer's local zone; hovering shows it in UTC.
import { localDateTime, utcDateTime } from '../format.js';

export function Time({ value }) {
  if (!value) return <span class="muted">never</span>;
  return (
    <time dateTime={value} title={utcDateTime(value)}>
      {localDateTime(value)}
    </time>
  );
}
