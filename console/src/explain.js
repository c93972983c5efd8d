// API failures in words a person can act on. The API's own sentence is kept: it names what
// is missing ("write on acme/agents", "owner or manager of acme").

// `text` as a sentence: its own final stop, or one added ("write on acme/agents" -> "...s.").
function sentence(text) {
  const trimmed = String(text ?? '').trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function explain(error) {
  const detail = sentence(error?.detail ?? String(error));
  switch (error?.status) {
    case 0:
      return 'tollgate could not be reached. Check your connection and try again.';
    case 401:
      return `Your API key was not accepted: ${detail} Sign in again with a current key.`;
    case 403:
      return `You do not have permission to do this: ${detail} Ask an owner or manager of the organization for access.`;
    case 404:
      return `Not found: ${detail} It may have been deleted or renamed.`;
    case 409:
      return `Refused: ${detail}`;
    case 422:
      return `Please correct this: ${detail}`;
    case 503:
      return `tollgate's store is unavailable right now: ${detail} Try again shortly.`;
    default:
      return error?.status ? `Something went wrong (${error.status}): ${detail}` : detail;
  }
}
