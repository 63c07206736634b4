/** Publishing from a directory: Hookchain's flat layout and Auth0's Marketplace template layout. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readIntegrationDir } from '../../../shared/integrations/read-integration-dir.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function layout(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hookchain-integration-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const CODE = 'exports.onExecutePostLogin = async () => {};';
const CONFIGURATION = {
  secrets: [{ name: 'API_KEY', label: 'API key', description: 'Key.' }],
  configuration: [
    { name: 'API_BASE_URL', label: 'URL', description: 'Base.', default_value: 'https://x.test/' },
  ],
  dependencies: [{ name: 'axios', version: '0.27.2' }],
};

describe('readIntegrationDir', () => {
  it('reads the example integration', async () => {
    const { body } = await readIntegrationDir(
      fileURLToPath(new URL('../../../examples/integrations/acme-chat-identity', import.meta.url)),
    );
    expect(body).toMatchObject({
      name: 'acme-chat-identity',
      display_name: 'Acme Chat identity verification',
      partner: 'acme-chat',
      supported_triggers: [{ id: 'post-login', version: 'v3' }],
      runtime: 'node22',
      dependencies: [],
    });
    expect(body.secrets.map((f) => f.name)).toEqual(['CHAT_SIGNING_SECRET']);
    expect(body.configuration.map((f) => f.name)).toEqual([
      'CHAT_REGION',
      'CLAIM_NAMESPACE',
      'INCLUDE_EMAIL',
      'DEBUG_LOGGING',
    ]);
  });

  it('reads Auth0’s Marketplace layout, adding package.json dependencies', async () => {
    const dir = await layout({
      'deploy/template.json': {
        name: 'risk-score',
        runtime: 'node18',
        supported_triggers: [{ id: 'post-login', version: 'v2' }],
      },
      'integration/integration.action.js': CODE,
      'integration/configuration.json': CONFIGURATION,
      'package.json': {
        name: '@acme/risk-score',
        description: 'Risk scores',
        dependencies: { 'left-pad': '1.3.0' },
      },
    });
    const { body, files } = await readIntegrationDir(dir);
    expect(body).toMatchObject({
      name: 'risk-score',
      description: 'Risk scores',
      runtime: 'node18',
      code: CODE,
      dependencies: [
        { name: 'axios', version: '0.27.2' },
        { name: 'left-pad', version: '1.3.0' },
      ],
    });
    expect(files.code).toBe(path.join(dir, 'integration', 'integration.action.js'));
  });

  it('says what is missing or wrong before anything is sent', async () => {
    await expect(readIntegrationDir(await layout({ 'README.md': '# nothing' }))).rejects.toThrow(
      'No integration.action.js',
    );
    const ranged = await layout({
      'integration.json': { name: 'ranged', trigger: 'post-login' },
      'integration.action.js': CODE,
      'package.json': { dependencies: { axios: '^1.6.0' } },
    });
    await expect(readIntegrationDir(ranged)).rejects.toThrow(
      'Invalid integration: dependencies.0.version: integration dependencies must be pinned',
    );
  });
});
