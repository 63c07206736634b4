import { describe, expect, it } from 'vitest';
import { missingFields, parseValues } from '../../../cli/commands/integrations.ts';

const RELEASE = {
  required_secrets: [{ name: 'SIGNING', required: true }],
  required_configuration: [
    { name: 'REGION', required: true, options: [{ value: 'eu', label: 'EU' }] },
    { name: 'NAMESPACE', required: false, default_value: 'https://x/' },
  ],
};

describe('integration values', () => {
  it('parses NAME=value flags, the last one winning', () => {
    expect(parseValues(['A=1', 'B=x=y', 'A=2'], '--config')).toEqual({ A: '2', B: 'x=y' });
    expect(() => parseValues(['nope'], '--secret')).toThrow("--secret 'nope' must look like NAME=value.");
  });

  it('finds the required fields without a default that nothing gives', () => {
    const none = { secrets: {}, configuration: {} };
    expect(missingFields(RELEASE, none).map((m) => `${m.kind}:${m.field.name}`)).toEqual([
      'secret:SIGNING',
      'configuration:REGION',
    ]);
    expect(missingFields(RELEASE, { secrets: { SIGNING: 's' }, configuration: { REGION: 'eu' } })).toEqual(
      [],
    );
    // On upgrade, values the action already has carry over.
    expect(missingFields(RELEASE, none, { secrets: ['SIGNING'], configuration: ['REGION'] })).toEqual([]);
  });
});
