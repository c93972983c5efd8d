// Who is signed in, and what the console offers them. The API decides every permission; this
// only hides what it would refuse anyway.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const CallerContext = createContext(null);

// `self` is GET /api/v1/user/self: { name, kind, orgs: [{ org, role }] }.
export function describeCaller(self) {
  const { org, role } = self.orgs[0];
  return {
    name: self.name,
    kind: self.kind,
    org,
    role,
    // Owners and managers run the org: services, members, teams, audit log, every repository.
    managesOrg: role === 'owner' || role === 'manager',
    isOwner: role === 'owner',
  };
}

export function useCaller() {
  return useContext(CallerContext);
}
