import { useState } from 'preact/hooks';
import { signIn } from '../api/auth';

/** Asks for the API key once; it is kept for this tab only (sessionStorage). */
export function SignIn({ message }: { message: string | null }) {
  const [key, setKey] = useState('');
  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p>
        This server needs an API key: the secret of an entry of <code>TRELLIS_API_KEYS</code>
        (after <code>name:</code>, when it has a name). The console keeps it in this tab only and
        sends it as a Bearer header.
      </p>
      {message && (
        <p class="notice error" role="alert">
          {message}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) signIn(key.trim());
        }}
      >
        <label>
          API key{' '}
          <input
            type="password"
            name="apiKey"
            autoComplete="current-password"
            data-testid="api-key"
            value={key}
            autoFocus
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
            required
          />
        </label>{' '}
        <button type="submit" data-testid="sign-in">
          Sign in
        </button>
      </form>
    </section>
  );
}
