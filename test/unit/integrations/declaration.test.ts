/** An installer's values against a release's declaration, and what a publisher may declare. */
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../shared/actions/schemas.ts';
import { checkValues, keepDeclared } from '../../../shared/integrations/declaration.ts';
import { publishIntegrationBody } from '../../../shared/integrations/schemas.ts';

const declaration = {
  secrets: [{ name: 'API_KEY', label: 'API key', description: 'From the dashboard.' }],
  configuration: [
    {
      name: 'REGION',
      label: 'Region',
      description: 'Where data lives.',
      options: [
        { value: 'eu', label: 'Europe' },
        { value: 'us', label: 'United States' },
      ],
    },
    { name: 'THRESHOLD', label: 'Threshold', description: 'Block above.', default_value: '70' },
  ],
};

describe('checkValues', () => {
  it('applies defaults and returns every declared field', () => {
    expect(checkValues(declaration, { secrets: { API_KEY: 'k' }, configuration: { REGION: 'eu' } })).toEqual({
      secrets: { API_KEY: 'k' },
      configuration: { REGION: 'eu', THRESHOLD: '70' },
    });
  });

  it('names every wrong field: missing, not an option, undeclared', () => {
    expect(() =>
      checkValues(declaration, {
        secrets: { API_KEY: '' },
        configuration: { REGION: 'apac', COLOUR: 'blue' },
      }),
    ).toThrow(
      'Invalid integration values: secrets.API_KEY: required (API key); configuration.COLOUR: not declared by this integration (declared: REGION, THRESHOLD); configuration.REGION: must be one of eu, us',
    );
  });

  it('never echoes a value in its errors', () => {
    expect(() => checkValues(declaration, { secrets: { API_KEY: 'k', TOKEN: 'sk_live_123' } })).toThrow(
      /^(?!.*sk_live_123).*secrets\.TOKEN: not declared/,
    );
  });

  it('drops held values a newer declaration no longer knows', () => {
    expect(keepDeclared(declaration.configuration, { REGION: 'us', OLD_FLAG: 'x' })).toEqual({
      REGION: 'us',
    });
  });
});

describe('the publish body', () => {
  const valid = {
    name: 'risk-score',
    supported_triggers: [{ id: 'post-login', version: 'v3' }],
    code: 'exports.onExecutePostLogin = async () => {};',
    ...declaration,
  };

  it('accepts a complete integration and defaults what is optional', () => {
    expect(parseInput(publishIntegrationBody, valid)).toMatchObject({ dependencies: [], name: 'risk-score' });
  });

  it.each([
    [
      'a lower-case field name',
      { secrets: [{ ...declaration.secrets[0], name: 'apiKey' }] },
      'ALL_CAPS_SNAKE_CASE',
    ],
    [
      'a default outside its options',
      { configuration: [{ ...declaration.configuration[0], default_value: 'apac' }] },
      'default_value must be one of the options',
    ],
    [
      'a name declared twice',
      { configuration: [{ ...declaration.configuration[1], name: 'API_KEY' }] },
      "'API_KEY' is declared twice",
    ],
    ['a dependency range', { dependencies: [{ name: 'axios', version: '^1.6.0' }] }, 'exact version'],
    ['empty code', { code: '  ' }, 'code must not be empty'],
    ['no description', { secrets: [{ name: 'API_KEY', label: 'API key' }] }, 'secrets.0.description'],
  ])('refuses %s', (_what, change, message) => {
    expect(() => parseInput(publishIntegrationBody, { ...valid, ...change })).toThrow(message);
  });
});
