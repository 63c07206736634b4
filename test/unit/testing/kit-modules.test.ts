/** The testing kit resolves Actions Modules and configuration the way the platform does. */
import { describe, expect, it } from 'vitest';
import { runChain } from '../../../shared/testing/index.ts';

const CRM_MODULE = `
let inits = 0;
inits += 1;
exports.label = (who) => who + ' via ' + actions.secrets.CRM_URL + ' (init ' + inits + ')';
exports.ownSecretsOnly = () => Object.keys(actions.secrets).join(',');
`;

const claimFrom = (claim: string, expression: string) => `
const crm = require('actions:crm');
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('${claim}', ${expression});
};`;

describe('runChain with modules', () => {
  it('gives each module its own secrets, separate from the action’s, and one instance per action', async () => {
    const run = await runChain({
      trigger: 'post-login',
      modules: [{ name: 'crm', code: CRM_MODULE, secrets: { CRM_URL: 'https://crm.test' } }],
      actions: [
        { name: 'first', code: claimFrom('a', "crm.label('first')"), secrets: { CRM_URL: 'action-own' } },
        { name: 'second', code: claimFrom('b', "crm.label('second') + '|' + crm.ownSecretsOnly()") },
      ],
    });
    expect(run.status).toBe('final');
    expect(run.result.id_token_claims).toEqual({
      a: 'first via https://crm.test (init 1)',
      b: 'second via https://crm.test (init 1)|CRM_URL',
    });
  });

  it('passes configuration as event.configuration', async () => {
    const run = await runChain({
      trigger: 'post-login',
      actions: [
        {
          name: 'configured',
          code: "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('r', event.configuration.REGION); };",
          configuration: { REGION: 'eu' },
        },
      ],
    });
    expect(run.result.id_token_claims).toEqual({ r: 'eu' });
  });

  it('refuses a module the action does not pin', async () => {
    const run = await runChain({
      trigger: 'post-login',
      modules: [{ name: 'crm', code: CRM_MODULE }],
      actions: [{ name: 'unpinned', code: claimFrom('a', "'x'"), modules: [] }],
    });
    expect(run.status).toBe('failed');
    expect(run.executions[0]?.error?.message).toBe(
      "Cannot find module 'actions:crm': the Actions Module 'crm' is not added to this action.",
    );
  });

  it('reports a module that requires another module', async () => {
    const run = await runChain({
      trigger: 'post-login',
      modules: [{ name: 'greedy', code: "require('actions:crm');" }],
      actions: [
        { name: 'nested', code: "require('actions:greedy'); exports.onExecutePostLogin = async () => {};" },
      ],
    });
    expect(run.executions[0]?.error?.message).toBe(
      "Cannot find module 'actions:crm': Actions Modules cannot require other modules.",
    );
  });

  it('names a pinned module the run does not provide', async () => {
    await expect(
      runChain({ trigger: 'post-login', actions: [{ name: 'a', code: '', modules: ['missing'] }] }),
    ).rejects.toThrow("Action 'a' uses module 'missing', which is not in this run's modules.");
  });
});
