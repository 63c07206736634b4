/**
 * Hookchain's HTTP client, shared by the CLI (Node) and the dashboard (browser, bundled by Vite):
 * the wire types, one request path with one ApiError, pagination, and waits for builds and deploys.
 * Nothing here may import Node built-ins or anything outside this folder (lint and
 * test/architecture/layers.test.ts check).
 */
export * from './errors.ts';
export { HookchainClient } from './hookchain-client.ts';
export {
  HttpClient,
  type HttpOptions,
  PAGE_SIZE,
  type Query,
  queryString,
  type Reply,
  type RequestOptions,
} from './http.ts';
export { nextPollDelayMs, POLL_MAX_MS, POLL_MIN_MS } from './log-poll.ts';
export { type ActionReader, deployAndWait, POLL_MS, pollAction, waitForBuild, waitForLive } from './wait.ts';
export * from './wire.ts';
