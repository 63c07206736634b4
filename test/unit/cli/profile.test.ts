import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CliConfig,
  configPath,
  findLocalStack,
  loadConfig,
  resolveConnection,
  saveProfile,
} from '../../../cli/profile.ts';

const local = {
  url: 'http://127.0.0.1:3000',
  token: 'hc_local',
  operatorToken: 'hc_op',
  manifest: '.hookchain/local.json',
};
const config: CliConfig = {
  current: 'default',
  profiles: { default: { url: 'https://prod.test', token: 'hc_prod' } },
};

describe('resolveConnection', () => {
  it('prefers flags, then the environment, then the profile, then the local stack', () => {
    const base = { config, local };
    expect(
      resolveConnection({
        ...base,
        flags: { url: 'https://flag.test', token: 't' },
        env: { HOOKCHAIN_URL: 'https://env.test' },
      }),
    ).toMatchObject({ url: 'https://flag.test', token: 't', source: '--url' });
    expect(
      resolveConnection({
        ...base,
        flags: {},
        env: { HOOKCHAIN_URL: 'https://env.test', HOOKCHAIN_TOKEN: 'e' },
      }),
    ).toMatchObject({ url: 'https://env.test', token: 'e' });
    expect(resolveConnection({ ...base, flags: {}, env: {} })).toMatchObject({
      url: 'https://prod.test',
      token: 'hc_prod',
    });
    expect(resolveConnection({ config: { profiles: {} }, local, flags: {}, env: {} })).toMatchObject({
      url: local.url,
      token: 'hc_local',
      operatorToken: 'hc_op',
    });
    expect(
      resolveConnection({ config: { profiles: {} }, local: undefined, flags: {}, env: {} }),
    ).toBeUndefined();
  });

  it('never sends a stored token to another URL', () => {
    const connection = resolveConnection({
      config,
      local,
      flags: {},
      env: { HOOKCHAIN_URL: 'https://elsewhere.test' },
    });
    expect(connection).toEqual({ url: 'https://elsewhere.test', source: 'HOOKCHAIN_URL' });
    // ...but the local stack's token does go with the local stack's own URL.
    const same = resolveConnection({
      config: { profiles: {} },
      local,
      flags: { url: 'http://127.0.0.1:3000/' },
      env: {},
    });
    expect(same?.token).toBe('hc_local');
  });

  it('names the known profiles when asked for a missing one', () => {
    expect(() => resolveConnection({ config, local, flags: { profile: 'staging' }, env: {} })).toThrow(
      /no profile named 'staging'/,
    );
  });
});

describe('profiles on disk', () => {
  it('saves a profile readable only by its owner, and makes it current', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hookchain-profile-')), 'nested', 'config.json');
    await saveProfile(file, 'staging', { url: 'https://staging.test', token: 'hc_s' });
    expect(await loadConfig(file)).toEqual({
      current: 'staging',
      profiles: { staging: { url: 'https://staging.test', token: 'hc_s' } },
    });
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('finds the config under HOOKCHAIN_CONFIG, XDG_CONFIG_HOME or ~/.config', () => {
    expect(configPath({ HOOKCHAIN_CONFIG: '/x/c.json' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg', HOME: '/h' })).toBe('/xdg/hookchain/config.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/hookchain/config.json');
  });

  it('finds the local stack by walking up, or in HOOKCHAIN_STATE_DIR', () => {
    const root = mkdtempSync(join(tmpdir(), 'hookchain-walk-'));
    mkdirSync(join(root, '.hookchain'));
    writeFileSync(
      join(root, '.hookchain', 'local.json'),
      JSON.stringify({ url: 'http://127.0.0.1:3000', token: 'hc_a' }),
    );
    writeFileSync(join(root, '.hookchain', 'operator.token'), 'hc_op\n');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    expect(findLocalStack(join(root, 'a', 'b'), {})).toMatchObject({
      url: 'http://127.0.0.1:3000',
      token: 'hc_a',
      operatorToken: 'hc_op',
    });

    const other = mkdtempSync(join(tmpdir(), 'hookchain-state-'));
    writeFileSync(join(other, 'local.json'), JSON.stringify({ url: 'http://127.0.0.1:4000', token: 'hc_b' }));
    expect(findLocalStack(join(root, 'a'), { HOOKCHAIN_STATE_DIR: other })?.url).toBe(
      'http://127.0.0.1:4000',
    );
  });
});
