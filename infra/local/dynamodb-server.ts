/** DynamoDB, locally: dynalite (the DynamoDB protocol over LevelDB on disk), on 127.0.0.1 only. */
import dynalite from 'dynalite';
import { closeServer, listenLoopback, type RunningServer } from './http.ts';

export async function startDynamoDb(options: { path?: string; port?: number }): Promise<RunningServer> {
  // createTableMs 0: tables are ACTIVE at once, so start-up never waits on a CREATING table.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listenLoopback(server, options.port ?? 0);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}
