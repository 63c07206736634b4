/** The dashboard's trigger catalog must agree with the platform's registry and shipped types. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { starterCode, TRIGGERS } from '../../../../dashboard/src/triggers.ts';
import { allTriggers, getTrigger } from '../../../../shared/triggers/registry.ts';

const declarations = (id: string) =>
  readFileSync(new URL(`../../../../shared/types/${id}.d.ts`, import.meta.url), 'utf8');

describe('the dashboard trigger catalog', () => {
  it('lists every trigger of the registry, in its order', () => {
    expect(TRIGGERS.map((t) => t.id)).toEqual(allTriggers().map((t) => t.id));
  });

  it.each(TRIGGERS.map((t) => [t.id, t] as const))(
    '%s: version, handler, api type and sample',
    (id, info) => {
      const trigger = getTrigger(id);
      expect(info.version).toBe(trigger.version);
      expect(info.handler).toBe(trigger.entrypoints.execute);
      expect(declarations(id)).toContain(`export interface ${info.apiType} `);
      expect(() => trigger.parseEvent(info.sampleEvent)).not.toThrow();
      expect(info.mode).toBe(
        id === 'post-user-registration' || id === 'post-change-password' ? 'async' : 'sync',
      );
    },
  );

  it("starts new actions from Auth0's template, typed through JSDoc", () => {
    const login = TRIGGERS[0]!;
    const code = starterCode(login);
    expect(code).toContain('@param {Event} event');
    expect(code).toContain('@param {PostLoginAPI} api');
    expect(code).toContain('exports.onExecutePostLogin = async (event, api) => {');
  });
});
