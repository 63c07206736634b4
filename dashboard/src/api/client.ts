/**
 * The dashboard's door to Hookchain: the shared client (shared/client) with the signed-in token,
 * aimed at the API that served the page. Failures are the client's `ApiError`s carrying Auth0's
 * error fields, so pages show the server's own message.
 */
import { HookchainClient } from '../../../shared/client/index.ts';

/** The parts of the page's `location` the base is read from. */
export interface PageAddress {
  origin: string;
  pathname: string;
}

/** Where the API serves the dashboard: the page lives at `<api base>/dashboard/...`. */
const DASHBOARD_SEGMENT = '/dashboard/';

/**
 * The API's base URL, from where the page was served: everything before `/dashboard/`. On API
 * Gateway that keeps the stage (`https://<id>.execute-api.<region>.amazonaws.com/dev`) or a custom
 * domain's base path; served elsewhere (Vite's dev server) it is the page's origin.
 */
export function apiBaseFrom(location: PageAddress): string {
  const at = location.pathname.lastIndexOf(DASHBOARD_SEGMENT);
  return at < 0 ? location.origin : `${location.origin}${location.pathname.slice(0, at)}`;
}

export interface ApiClientOptions {
  token: string;
  /** Where the API lives; by default derived from the page's address (apiBaseFrom). */
  baseUrl?: string;
  /** Told when the API refuses the token. */
  onUnauthorized?: () => void;
}

export class ApiClient extends HookchainClient {
  constructor({ token, baseUrl, onUnauthorized }: ApiClientOptions) {
    const page = (globalThis as { location?: PageAddress }).location;
    super({
      url: baseUrl ?? (page ? apiBaseFrom(page) : ''),
      token,
      ...(onUnauthorized ? { onUnauthorized } : {}),
    });
  }
}
