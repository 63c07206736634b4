/** The CLI's words for the client's typed errors: what happened, then what to do next. */
import { describe, expect, it } from 'vitest';
import { CliError, EXIT, explain } from '../../../cli/errors.ts';
import {
  ApiError,
  BuildFailedError,
  UnreachableError,
  WaitTimeoutError,
} from '../../../shared/client/index.ts';

const URL = 'http://127.0.0.1:3000';
const apiError = (status: number, tokenSent = true) =>
  new ApiError(status, 'Nope.', undefined, URL, tokenSent);

describe('explaining a failure', () => {
  it('sends to `npm start` when nothing answers', () => {
    expect(explain(new UnreachableError(URL, true, 'ECONNREFUSED'))).toEqual({
      message: `Could not reach Hookchain at ${URL} — is \`npm start\` running? (ECONNREFUSED)`,
      hint: expect.stringContaining('--url, HOOKCHAIN_URL or `hookchain login`'),
      exitCode: EXIT.error,
    });
  });

  it('names the server that refused the token, and says when none was sent', () => {
    expect(explain(apiError(401))).toMatchObject({
      message: `${URL} refused the token: Nope.`,
      hint: expect.stringContaining('with a valid token'),
    });
    expect(explain(apiError(401, false))?.hint).toMatch(/^No token was sent/);
  });

  it('advises by status: a scope, patience, the server logs', () => {
    expect(explain(apiError(403))?.hint).toContain('hookchain tokens create');
    expect(explain(apiError(429))?.hint).toContain('wait a moment');
    expect(explain(apiError(503))).toMatchObject({
      message: 'Hookchain failed (503): Nope.',
      hint: expect.stringContaining('server problem'),
    });
    expect(explain(apiError(400))).toEqual({ message: 'Nope.', exitCode: EXIT.error });
  });

  it('says how to fix a failed build and where to look after a timed-out wait', () => {
    expect(explain(new BuildFailedError('greet', [{ id: 'e', msg: 'bad' }]))).toMatchObject({
      message: "The build of 'greet' failed:\n  - bad",
      hint: expect.stringContaining('Fix the code'),
    });
    expect(explain(new WaitTimeoutError("the build of 'greet'"))).toMatchObject({
      message: "Timed out waiting for the build of 'greet'.",
      hint: expect.stringContaining('server logs'),
    });
  });

  it("keeps a CLI error's own hint and exit code, and leaves unknown errors to the caller", () => {
    expect(explain(new CliError('Denied.', 'Look at the rule.', EXIT.outcome))).toEqual({
      message: 'Denied.',
      hint: 'Look at the rule.',
      exitCode: EXIT.outcome,
    });
    expect(explain(new TypeError('bug'))).toBeUndefined();
  });
});
