// The console's shell: sign-in, the navigation of what the caller may use, and the routes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, whenKeyRejected } from './api.js';
import { CallerContext, describeCaller } from './caller.js';
import { explain } from './explain.js';
import { href, useRoute } from './hooks.js';
import { licensesUrl } from './licenses.js';
import { Loading } from './components/notice.jsx';
import { session } from './session.js';
import { AuditLog } from './pages/audit_log.jsx';
import { Members } from './pages/members.jsx';
import { Overview } from './pages/overview.jsx';
import { Repositories } from './pages/repositories.jsx';
import { Restricted } from './pages/restricted.jsx';
import { Services } from './pages/services.jsx';
import { SignIn } from './pages/sign_in.jsx';
import { Teams } from './pages/teams.jsx';
import { TokenUsage } from './pages/token_usage.jsx';
import { Tokens } from './pages/tokens.jsx';

// `managers`: only owners and managers may use the page (the API answers 403 to others).
const sections = [
  { path: '', label: 'Overview' },
  { path: 'repos', label: 'Repositories' },
  { path: 'services', label: 'Services', managers: true },
  { path: 'members', label: 'Members' },
  { path: 'teams', label: 'Teams', managers: true },
  { path: 'audit-log', label: 'Audit log', managers: true },
];

function Page({ route }) {
  const [section, repo, part, identifier] = route;
  switch (section ?? '') {
    case '':
      return <Overview />;
    case 'services':
      return <Services />;
    case 'members':
      return <Members />;
    case 'teams':
      return <Teams />;
    case 'audit-log':
      return <AuditLog />;
    case 'repos':
      if (repo && part === 'tokens' && identifier) return <TokenUsage repo={repo} identifier={identifier} />;
      if (repo && part === 'tokens') return <Tokens repo={repo} />;
      return <Repositories />;
    default:
      return <Restricted title="Page not found">There is no such page in the console.</Restricted>;
  }
}

function Shell({ caller, onSignOut }) {
  const route = useRoute();
  const current = route[0] ?? '';
  const section = sections.find((s) => s.path === current);
  const allowed = !section?.managers || caller.managesOrg;
  const main = useRef(null);
  // A new page is announced by moving focus to it (not on the first page: sign-in just ended).
  const shownRoute = route.join('/');
  const firstRoute = useRef(shownRoute);
  useEffect(() => {
    if (shownRoute !== firstRoute.current) {
      firstRoute.current = null;
      main.current?.focus();
    }
  }, [shownRoute]);
  return (
    <div class="shell">
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          // Not a navigation: the hash router would read "#main" as a page.
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top-bar">
        <span class="brand">tollgate</span>
        <span class="who">
          {caller.name} <span class="badge">{caller.role}</span> <span class="muted">in {caller.org}</span>
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="side-nav" aria-label="Console">
        <ul>
          {sections
            .filter((s) => !s.managers || caller.managesOrg)
            .map((s) => (
              <li key={s.path}>
                <a href={href(...(s.path ? [s.path] : []))} aria-current={s.path === current ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
        </ul>
        <p class="nav-foot">
          <a href={licensesUrl}>Third-party licences</a>
        </p>
      </nav>
      <main id="main" tabIndex={-1} ref={main}>
        {allowed ? (
          <Page route={route} />
        ) : (
          <Restricted title={section.label}>
            Only the organization's owners and managers may use this page. Your role in {caller.org} is {caller.role};
            ask an owner for access.
          </Restricted>
        )}
      </main>
    </div>
  );
}

export function App() {
  // undefined: checking a remembered key; null: signed out.
  const [caller, setCaller] = useState(undefined);
  const [signedOutReason, setSignedOutReason] = useState(null);

  const signOut = (reason = null) => {
    session.forget();
    setCaller(null);
    setSignedOutReason(reason);
  };

  useEffect(() => {
    whenKeyRejected((error) => signOut(`You were signed out: ${error.detail}`));
    const key = session.key();
    if (!key) {
      setCaller(null);
      return;
    }
    api.whoAmI(key).then(
      (self) => setCaller(describeCaller(self)),
      (error) => signOut(`You were signed out: ${explain(error)}`),
    );
  }, []);

  if (caller === undefined) return <Loading what="Signing in…" />;
  if (caller === null) {
    return (
      <SignIn
        reason={signedOutReason}
        onSignedIn={(key, self) => {
          session.remember(key);
          setSignedOutReason(null);
          setCaller(describeCaller(self));
        }}
      />
    );
  }
  return (
    <CallerContext.Provider value={caller}>
      <Shell caller={caller} onSignOut={() => signOut()} />
    </CallerContext.Provider>
  );
}
