/**
 * The server's own declarations of answers outside the representation modules (which `satisfies`
 * the wire types directly) agree with shared/client/wire.ts: what the server answers is what the
 * clients read, and what the clients send is what the server accepts. Checked by `npm run typecheck`.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { ActionRunLog, LogPage, LogQuery, TokenInfo } from '../../../shared/client/wire.ts';
import type {
  LogPage as StoredLogPage,
  LogQuery as StoredLogQuery,
  ActionRunLog as StoredRunLog,
} from '../../../shared/ports/tenant-logs.ts';
import type { IssuedToken } from '../../../shared/tenancy/service.ts';

describe('the wire contract outside the representation modules', () => {
  it('a log page the server answers is one the clients read, and their queries are ones it takes', () => {
    expectTypeOf<StoredRunLog>().toExtend<ActionRunLog>();
    expectTypeOf<StoredLogPage>().toExtend<LogPage>();
    expectTypeOf<LogQuery>().toExtend<StoredLogQuery>();
  });

  it('an issued token is a token as the clients read it', () => {
    expectTypeOf<IssuedToken>().toExtend<TokenInfo>();
  });
});
