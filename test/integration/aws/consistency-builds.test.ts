/**
 * The builder reads the draft the management API wrote an instant earlier. DynamoDB's eventually
 * consistent reads may still answer the draft as it was (or no action at all), so the builder must
 * read consistently, or it takes the job for superseded and drops the build. Stale reads forced
 * here: every read without ConsistentRead sees the last few seconds' writes undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFidelity } from '../../../infra/local/fidelity.ts';
import { createAction, waitForBuild } from '../../support/actions.ts';
import { startTestHookchain, type TestHookchain } from '../../support/hookchain.ts';

let hc: TestHookchain;
beforeAll(async () => {
  hc = await startTestHookchain({ fidelity: awsFidelity({ dynamodb: { staleReadMs: 5_000 } }) });
});
afterAll(() => hc?.stop());

const code = (greeting: string) =>
  `exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('greeting', '${greeting}'); };`;

describe('a build right after the write, under eventually consistent reads', () => {
  it('builds a just-created action, and a just-updated one at its new revision', async () => {
    const created = await createAction(hc, { name: 'fresh-build', code: code('hello') });
    const built = await waitForBuild(hc, created.id);
    expect(built.status).toBe('built');

    const updated = await hc.api<{ code: string }>('PATCH', `/api/v2/actions/actions/${created.id}`, {
      code: code('bonjour'),
    });
    expect(updated.status).toBe(200);
    const rebuilt = await waitForBuild(hc, created.id);
    expect(rebuilt.status).toBe('built');
    expect(rebuilt.code).toBe(code('bonjour'));
  });
});
