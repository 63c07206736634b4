/**
 * DynamoDB, locally: dynalite (the DynamoDB protocol over LevelDB on disk), on 127.0.0.1 only,
 * answering only requests signed with the stack's credentials.
 */
import dynalite from 'dynalite';
import type { Fidelity } from './fidelity.ts';
import { closeServer, listenLoopback, type RunningServer } from './http.ts';
import { type LocalCredentials, REFUSALS, requireCredentials } from './local-credentials.ts';

export async function startDynamoDb(options: {
  path?: string;
  port?: number;
  credentials: LocalCredentials;
  fidelity?: Fidelity;
}): Promise<RunningServer> {
  // createTableMs 0: tables are ACTIVE at once, so start-up never waits on a CREATING table.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  requireCredentials(server, options.credentials, REFUSALS.json('application/x-amz-json-1.0'));
  const port = await listenLoopback(server, options.port ?? 0);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}
