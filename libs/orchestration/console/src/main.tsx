import { render } from 'preact';
import { auth, signOut } from './api/auth';
import { SignIn } from './components/sign-in';
import { ExecutionPage } from './pages/execution-page';
import { ExecutionsPage } from './pages/executions-page';
import { GraphPage } from './pages/graph-page';
import { GraphsPage } from './pages/graphs-page';
import { Link, href, navigate, useRoute } from './router';
import { useStore } from './store';
import './styles.css';

/** The page of a path: /graphs, /graphs/:id, /executions, /executions/:id. */
function Page({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'graphs' && parts.length === 1) return <GraphsPage />;
  if (parts[0] === 'graphs' && parts.length === 2)
    return <GraphPage key={parts[1]} id={parts[1]} />;
  if (parts[0] === 'executions' && parts.length === 1) return <ExecutionsPage />;
  if (parts[0] === 'executions' && parts.length === 2) {
    return <ExecutionPage key={parts[1]} id={parts[1]} />;
  }
  if (parts.length === 0) {
    queueMicrotask(() => navigate(href('/graphs'), true));
    return null;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No console page at <code>{path}</code>. <Link href={href('/graphs')}>Graphs</Link>
      </p>
    </section>
  );
}

function App() {
  const route = useRoute();
  const { key, required, message } = useStore(auth);
  const section = route.path.split('/')[1];
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Trellis</span>
        <nav aria-label="Main">
          <Link href={href('/graphs')} aria-current={section === 'graphs' ? 'page' : undefined}>
            Graphs
          </Link>
          <Link
            href={href('/executions')}
            aria-current={section === 'executions' ? 'page' : undefined}
          >
            Executions
          </Link>
        </nav>
        {key && (
          <button type="button" class="sign-out" data-testid="sign-out" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {required ? (
          <SignIn message={message} />
        ) : (
          <Page key={`${route.path}|${key ?? ''}`} path={route.path} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
