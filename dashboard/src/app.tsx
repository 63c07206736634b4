/** The shell: sign-in gate, navigation and the page for the current route. */
import { lazy, Suspense, useMemo, useState } from 'react';
import { ApiClient } from './api/client.ts';
import { ApiProvider } from './api/context.tsx';
import { ActionsPage } from './pages/actions-page.tsx';
import { ExecutionsPage } from './pages/executions-page.tsx';
import { FlowsPage } from './pages/flows-page.tsx';
import { LogsPage } from './pages/logs-page.tsx';
import { NewActionPage } from './pages/new-action-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { hrefOf, type Route } from './routes.ts';
import { useRoute } from './routing.ts';
import type { TokenStore } from './session.ts';

// The editor brings Monaco and the TypeScript worker: loaded only when an action is opened.
const ActionEditorPage = lazy(() =>
  import('./pages/action-editor-page.tsx').then((m) => ({ default: m.ActionEditorPage })),
);

const NAV: Array<{ label: string; route: Route; section: Route['page'][] }> = [
  { label: 'Actions', route: { page: 'actions' }, section: ['actions', 'new-action', 'action'] },
  { label: 'Flows', route: { page: 'flows' }, section: ['flows'] },
  { label: 'Executions', route: { page: 'executions' }, section: ['executions'] },
  { label: 'Logs', route: { page: 'logs' }, section: ['logs'] },
];

export function App({ tokens }: { tokens: TokenStore }) {
  const [token, setToken] = useState(tokens.read);
  const [expired, setExpired] = useState(false);
  const route = useRoute();
  const client = useMemo(
    () =>
      token
        ? new ApiClient({
            token,
            onUnauthorized: () => {
              tokens.clear();
              setExpired(true);
              setToken(undefined);
            },
          })
        : undefined,
    [token, tokens],
  );

  if (!client) {
    return (
      <SignInPage
        expired={expired}
        onSignedIn={(value) => {
          tokens.write(value);
          setExpired(false);
          setToken(value);
        }}
      />
    );
  }

  const signOut = () => {
    tokens.clear();
    setToken(undefined);
  };

  return (
    <ApiProvider client={client}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/actions">
          Hookchain
        </a>
        <nav aria-label="Main">
          <ul className="nav-list">
            {NAV.map((item) => (
              <li key={item.label}>
                <a
                  href={hrefOf(item.route)}
                  aria-current={item.section.includes(route.page) ? 'page' : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="button-quiet" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="loading">Loading the editor…</p>}>
          <Page route={route} />
        </Suspense>
      </main>
    </ApiProvider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'actions':
      return <ActionsPage />;
    case 'new-action':
      return <NewActionPage />;
    case 'action':
      return <ActionEditorPage key={route.actionId} actionId={route.actionId} tab={route.tab} />;
    case 'flows':
      return <FlowsPage triggerId={route.triggerId ?? 'post-login'} />;
    case 'executions':
      return <ExecutionsPage executionId={route.executionId} />;
    case 'logs':
      return <LogsPage />;
    case 'not-found':
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href="#/actions">Go to actions</a>.
          </p>
        </section>
      );
  }
}
