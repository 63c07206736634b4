import { describe, expect, it } from 'vitest';
import { KeywordResolver, unresolvedKeywords } from '../../../cli/project/keywords.ts';

describe('keyword replacement (Auth0 Deploy CLI compatible)', () => {
  it('replaces ##KEY## with text and @@KEY@@ (quoted or not) with JSON', () => {
    const keywords = new KeywordResolver({
      env: {
        AUTH0_KEYWORD_REPLACE_MAPPINGS: JSON.stringify({ NS: 'https://acme.test/', LIST: ['a', 'b'], N: 3 }),
      },
    });
    expect(keywords.replace('{"value":"##NS##","list":"@@LIST@@","n":@@N@@}')).toBe(
      '{"value":"https://acme.test/","list":["a","b"],"n":3}',
    );
  });

  it('takes AUTH0_KEYWORD_REPLACE_MAPPINGS first, then an environment variable, then the config file', () => {
    const keywords = new KeywordResolver({
      env: { AUTH0_KEYWORD_REPLACE_MAPPINGS: '{"A":"mappings"}', A: 'env', B: 'env' },
      fileMappings: { A: 'file', B: 'file', C: 'file' },
    });
    expect(keywords.replace('##A## ##B## ##C##')).toBe('mappings env file');
  });

  it('parses an environment variable used as @@KEY@@ as JSON when it is JSON', () => {
    const keywords = new KeywordResolver({ env: { DOMAINS: '["x.test"]', NAME: 'plain' } });
    expect(keywords.replace('[@@DOMAINS@@, @@NAME@@]')).toBe('[["x.test"], "plain"]');
  });

  it('leaves keywords without a value as written and reports them', () => {
    const keywords = new KeywordResolver({ env: {} });
    expect(keywords.replace('"##MISSING##" and ## not a keyword ##')).toBe(
      '"##MISSING##" and ## not a keyword ##',
    );
    expect([...keywords.missing]).toEqual(['MISSING']);
    expect(unresolvedKeywords('a ##X## b ##Y##')).toEqual(['X', 'Y']);
  });

  it('explains a malformed AUTH0_KEYWORD_REPLACE_MAPPINGS', () => {
    expect(() => new KeywordResolver({ env: { AUTH0_KEYWORD_REPLACE_MAPPINGS: '{oops' } })).toThrow(
      /AUTH0_KEYWORD_REPLACE_MAPPINGS is not valid JSON/,
    );
  });
});
