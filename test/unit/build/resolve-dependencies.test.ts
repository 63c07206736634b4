import { describe, expect, it } from 'vitest';
import { setKey } from '../../../shared/build/resolve-dependencies.ts';

describe('setKey', () => {
  it('names an exact dependency set, whatever the declaration order', () => {
    const a = setKey([
      { name: 'greeter', version: '1.0.0' },
      { name: '@scope/x', version: '2.0.0' },
    ]);
    const b = setKey([
      { name: '@scope/x', version: '2.0.0' },
      { name: 'greeter', version: '1.0.0' },
    ]);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes with any version', () => {
    expect(setKey([{ name: 'greeter', version: '1.0.0' }])).not.toBe(
      setKey([{ name: 'greeter', version: '1.0.1' }]),
    );
    expect(setKey([])).not.toBe(setKey([{ name: 'greeter', version: '1.0.0' }]));
  });
});
