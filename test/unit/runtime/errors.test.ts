import { describe, expect, it } from 'vitest';
import { ActionTimeoutError, toActionError } from '../../../shared/runtime/errors.ts';

describe('toActionError: whatever an action threw, as data', () => {
  it('keeps an Error’s name, message and stack', () => {
    const error = new RangeError('seats must be positive');
    expect(toActionError(error)).toEqual({
      class: 'action_error',
      name: 'RangeError',
      message: 'seats must be positive',
      stack: error.stack,
    });
  });

  it('uses the class it is given', () => {
    expect(toActionError(new ActionTimeoutError(250), 'action_timeout')).toMatchObject({
      class: 'action_timeout',
      name: 'TimeoutError',
      message: 'Action did not complete within its time limit of 250 ms.',
    });
  });

  it('says what a non-Error value was', () => {
    const cases: Array<[unknown, string]> = [
      ['boom', "'boom'"],
      [undefined, 'undefined'],
      [null, 'null'],
      [42, '42'],
      [{ code: 'E_CRM', retry: false }, "{ code: 'E_CRM', retry: false }"],
      [Symbol('why'), 'Symbol(why)'],
    ];
    for (const [thrown, shown] of cases) {
      expect(toActionError(thrown)).toEqual({
        class: 'action_error',
        name: 'Error',
        message: `Action threw a non-Error value: ${shown}`,
      });
    }
  });

  it('bounds what it keeps: stacks to 8 KB, descriptions to 1 KB', () => {
    const error = new Error('deep');
    error.stack = 'x'.repeat(20_000);
    expect(toActionError(error).stack).toHaveLength(8 * 1024);
    const message = toActionError('y'.repeat(5_000)).message;
    expect(message.length).toBeLessThan(1100);
  });

  it('never throws, even for hostile values', () => {
    const hostileGetters = new Error('hidden');
    Object.defineProperty(hostileGetters, 'message', {
      get() {
        throw new Error('gotcha');
      },
    });
    Object.defineProperty(hostileGetters, 'name', { value: { toString: () => 'Custom' } });
    const hostileProxy = new Proxy(new Error('proxied'), {
      get() {
        throw new Error('trap');
      },
      getPrototypeOf() {
        throw new Error('trap');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const nameless = Object.create(Error.prototype);

    expect(toActionError(hostileGetters)).toMatchObject({ name: 'Custom', message: '' });
    expect(toActionError(hostileProxy)).toMatchObject({ class: 'action_error', name: 'Error' });
    expect(toActionError(revoked.proxy)).toMatchObject({ class: 'action_error', name: 'Error' });
    expect(toActionError(nameless)).toMatchObject({ name: 'Error', message: '' });
  });
});
