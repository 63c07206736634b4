import { describe, expect, it } from 'vitest';
import { configEnvironment, type HookchainConfig, loadConfig, SETTINGS } from '../../shared/config.ts';

describe('configuration', () => {
  it('declares each environment variable once', () => {
    const names = Object.values(SETTINGS).map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
  });

  it('reads every setting back from the environment it writes', () => {
    const values = {
      stage: 'prod',
      tableName: 'hookchain-prod',
      buildMaxReceives: 5,
      actionArchitecture: 'x86_64',
      chainBudgetMs: 5_000,
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      serviceName: 'hookchain-builder',
      region: 'eu-west-1',
    } satisfies Partial<HookchainConfig>;
    expect(loadConfig(configEnvironment(values))).toMatchObject(values);
  });

  it('falls back to the defaults, an empty variable counting as unset', () => {
    const config = loadConfig({ HOOKCHAIN_CHAIN_BUDGET_MS: '', HOOKCHAIN_SECRET_KEY: '' });
    expect(config.chainBudgetMs).toBe(20_000);
    expect(config.secretKey).toBeUndefined();
    expect(config.stage).toBe('dev');
  });

  it('names the variable that holds a bad value', () => {
    expect(() => loadConfig({ HOOKCHAIN_ACTION_MEMORY_MB: '64' })).toThrow(/HOOKCHAIN_ACTION_MEMORY_MB/);
  });

  it('writes only the values it is given', () => {
    expect(configEnvironment({ stage: 'dev', npmRegistry: undefined })).toEqual({ HOOKCHAIN_STAGE: 'dev' });
  });
});
