import { useEffect, useState } from 'react';
import { api, setCsrfToken } from './api.js';
import { Problem } from './components/common.js';
import { AuditPage } from './pages/audit-page.js';
import { IncidentPage } from './pages/incident-page.js';
import { IncidentsPage } from './pages/incidents-page.js';
import { LoginPage } from './pages/login-page.js';
import { MonitorPage } from './pages/monitor-page.js';
import { SearchPage } from './pages/search-page.js';
import { VendorsPage } from './pages/vendors-page.js';
import { Link, navigate, usePath } from './router.js';
import type { Session } from './types.js';

type SessionState = { kind: 'checking' } | { kind: 'signed-out' } | { kind: 'signed-in'; session: Session };

/** Asks the server who is signed in (the cookie is HttpOnly), then shows the page the path names. */
export function App() {
  const [state, setState] = useState<SessionState>({ kind: 'checking' });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ user: Session['user'] | null; csrfToken: string | null }>('GET', '/api/session/current').then(
      ({ user, csrfToken }) => {
        setCsrfToken(csrfToken);
        setState(user ? { kind: 'signed-in', session: { user, csrfToken } } : { kind: 'signed-out' });
      },
      (failure: unknown) => {
        setError(failure instanceof Error ? failure.message : String(failure));
        setState({ kind: 'signed-out' });
      },
    );
  }, []);
  if (state.kind === 'checking') return <p className="muted">Loading…</p>;
  if (state.kind === 'signed-out')
    return (
      <>
        <Problem error={error} />
        <LoginPage onSignedIn={(session) => setState({ kind: 'signed-in', session })} />
      </>
    );
  const signOut = async () => {
    await api('DELETE', '/api/session').catch(() => undefined);
    setCsrfToken(null);
    setState({ kind: 'signed-out' });
    navigate('/');
  };
  return <Shell session={state.session} onSignOut={() => void signOut()} />;
}

const NAV = [
  { to: '/', label: 'Incidents' },
  { to: '/search', label: 'Person search' },
  { to: '/vendors', label: 'Vendors' },
  { to: '/monitor', label: 'Monitor' },
  { to: '/audit', label: 'Audit log' },
];

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const path = usePath();
  const params = new URLSearchParams(window.location.search);
  const section = '/' + (path.split('/')[1] ?? '');
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">breachdesk</span>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              current={item.to === section || (item.to === '/' && section === '/incidents')}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <span className="who">
          {session.user.email} ({session.user.role}){' '}
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} params={params} session={session} />
      </main>
    </>
  );
}

function Page({ path, params, session }: { path: string; params: URLSearchParams; session: Session }) {
  const role = session.user.role;
  const incident = /^\/incidents\/([^/]+)$/.exec(path);
  if (incident?.[1])
    return <IncidentPage key={incident[1]} id={decodeURIComponent(incident[1])} role={role} />;
  switch (path) {
    case '/':
    case '/incidents':
      return <IncidentsPage />;
    case '/search':
      return <SearchPage initialIncident={params.get('incident')} />;
    case '/vendors':
      return <VendorsPage />;
    case '/monitor':
      return <MonitorPage />;
    case '/audit':
      return <AuditPage key={params.get('incident')} incident={params.get('incident')} role={role} />;
    default:
      return (
        <p>
          No such page. <Link to="/">Back to the incidents.</Link>
        </p>
      );
  }
}
