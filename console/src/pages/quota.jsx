// The org's plan quota: active standard tokens used / allowed.
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { formatCount } from '../format.js';
import { useResource } from '../hooks.js';

// The org's GET answer, read again whenever `after` changes (a list that may change the count).
export function useOrg(after = null) {
  const { org } = useCaller();
  return useResource(() => api.get(apiPath('orgs', org)), [org, after]);
}

export function quotaText(orgInfo) {
  const allowed = orgInfo.max_active_entitlements;
  return `${formatCount(orgInfo.active_entitlements)} of ${allowed === null ? 'unlimited' : formatCount(allowed)} active tokens used`;
}

// One line for page headers; nothing while loading or when the org cannot be read.
export function QuotaLine({ after }) {
  const orgInfo = useOrg(after);
  return orgInfo.data ? <span>Plan quota: {quotaText(orgInfo.data)}</span> : null;
}
