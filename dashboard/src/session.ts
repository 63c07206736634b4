/**
 * The signed-in token lives in this tab's session storage only: gone when the tab closes, never
 * in a URL, a cookie or a log line.
 */
const KEY = 'hookchain.token';

export interface TokenStore {
  read(): string | undefined;
  write(token: string): void;
  clear(): void;
}

export function sessionTokenStore(storage: Storage = window.sessionStorage): TokenStore {
  return {
    read: () => storage.getItem(KEY) ?? undefined,
    write: (token) => storage.setItem(KEY, token),
    clear: () => storage.removeItem(KEY),
  };
}
