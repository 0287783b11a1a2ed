import { AUTH_MODE } from '../config';
import { Store } from '../store';

const STORAGE_KEY = 'trellis.apiKey';

/** The API key of this tab (sessionStorage: gone when the tab closes) and whether one is needed. */
export interface AuthState {
  key: string | null;
  /** The server answered 401: the console asks for a key. */
  required: boolean;
  /** Why the last key was refused, shown by the sign-in form. */
  message: string | null;
}

function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The one auth store of the app. */
export const auth = new Store<AuthState>({
  key: storedKey(),
  // NOTE: ask at once when the server said it has keys: no request is sent only to be refused.
  required: AUTH_MODE === 'required' && !storedKey(),
  message: null,
});

/** Keeps `key` for this tab and retries what waited for it. */
export function signIn(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
  auth.set({ key, required: false, message: null });
}

/** Forgets the key; the next request that needs one asks again. */
export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  auth.set({ key: null, required: true, message: null });
}

/** Called on a 401: the key is missing or wrong. */
export function keyRefused(message: string): void {
  const { key } = auth.get();
  auth.set({ key, required: true, message: key ? message : null });
}
