// A token's limits on one line: "5 downloads · until <time> · packages: name:agent*", or
// "No limits". The end of its validity is a <Time> (local, UTC on hover).
import { Fragment } from 'preact';
import { limitParts } from '../token_fields.js';
import { Time } from './time.jsx';

export function LimitsSummary({ token }) {
  const parts = limitParts(token);
  if (!parts.length) return 'No limits';
  return parts.map((part, index) => (
    <Fragment key={index}>
      {index > 0 && ' · '}
      {typeof part === 'string' ? (
        part
      ) : (
        <>
          until <Time value={part.until} />
        </>
      )}
    </Fragment>
  ));
}
