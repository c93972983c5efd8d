// The org's plan quota: active standard tokens used / allowed.
import { api, apiPath } from '../api.js';
import { useCaller } from '../caller.js';
import { formatCount } from '../format.js';
import { useResource } from '../hooks.js';

export function useOrg() {
  const { org } = useCaller();
  return useResource(() => api.get(apiPath('orgs', org)), [org]);
}

export function quotaText(orgInfo) {
  const allowed = orgInfo.max_active_entitlements;
  return `${formatCount(orgInfo.active_entitlements)} of ${allowed === null ? 'unlimited' : formatCount(allowed)} active tokens used`;
}

// One line for page headers; nothing while loading or when the org cannot be read.
export function QuotaLine() {
  const orgInfo = useOrg();
  return orgInfo.data ? <span>Plan quota: {quotaText(orgInfo.data)}</span> : null;
}
