/**
 * The examples are what authors copy, so they must type-check against the shipped declarations
 * the way an author's editor checks them: plain CommonJS `.js` with JSDoc, `checkJs`, strict, and
 * `hookchain/types/*` resolved through package.json `exports`. Deliberate mistakes must be caught,
 * or the check above would prove nothing.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { AUTHOR_OPTIONS, createProgram, fileDiagnostics, formatDiagnostics, REPO_ROOT } from './support.ts';

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples', 'actions');
const exampleFiles = readdirSync(EXAMPLES_DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .map((file) => path.join(EXAMPLES_DIR, file))
  .sort();

/** Files that exist only in this program, placed inside the package so self-references resolve. */
const VIRTUAL_DIR = path.join(REPO_ROOT, 'examples', 'actions', '__typecheck__');
const virtualFiles = new Map<string, string>();
const virtual = (name: string, text: string) => {
  const file = path.join(VIRTUAL_DIR, name);
  virtualFiles.set(file, text);
  return file;
};

const jsAction = (trigger: string, api: string, entrypoint: string, body: string) => `// @ts-check
/**
 * @param {import('hookchain/types/${trigger}').Event} event
 * @param {import('hookchain/types/${trigger}').${api}} api
 */
exports.${entrypoint} = async (event, api) => {
  ${body}
};
`;

/** Mistakes an author could make, each with the diagnostic the declarations must produce. */
const MISTAKES: Array<[string, string, number]> = [
  [
    'a number as a deny reason',
    jsAction('post-login', 'PostLoginAPI', 'onExecutePostLogin', 'api.access.deny(403);'),
    2345,
  ],
  [
    'an MFA provider that does not exist',
    jsAction('post-login', 'PostLoginAPI', 'onExecutePostLogin', "api.multifactor.enable('sms');"),
    2345,
  ],
  [
    'an object stored in the string-only cache',
    jsAction('post-login', 'PostLoginAPI', 'onExecutePostLogin', "api.cache.set('token', { a: 1 });"),
    2345,
  ],
  [
    'reading a cache write result as a record',
    jsAction(
      'post-login',
      'PostLoginAPI',
      'onExecutePostLogin',
      "console.log(api.cache.set('k', 'v').record.value);",
    ),
    2339,
  ],
  [
    'a misspelt event field',
    jsAction('post-login', 'PostLoginAPI', 'onExecutePostLogin', 'console.log(event.user.emial);'),
    2551,
  ],
  [
    'a lookup used without await',
    jsAction(
      'post-login',
      'PostLoginAPI',
      'onExecutePostLogin',
      'const { groups } = api.groups.getUserGroups(); console.log(groups);',
    ),
    2339,
  ],
  [
    'encodeToken without a payload',
    jsAction(
      'post-login',
      'PostLoginAPI',
      'onExecutePostLogin',
      "api.redirect.encodeToken({ secret: 's' });",
    ),
    2345,
  ],
  [
    'an OAuth error code credentials-exchange does not accept',
    jsAction(
      'credentials-exchange',
      'CredentialsExchangeAPI',
      'onExecuteCredentialsExchange',
      "api.access.deny('access_denied', 'no');",
    ),
    2345,
  ],
  [
    'an api namespace the trigger does not have',
    jsAction(
      'pre-user-registration',
      'PreUserRegistrationAPI',
      'onExecutePreUserRegistration',
      "api.idToken.setCustomClaim('https://acme.test/x', 1);",
    ),
    2339,
  ],
  [
    'a message type that cannot occur',
    jsAction(
      'send-phone-message',
      'SendPhoneMessageAPI',
      'onExecuteSendPhoneMessage',
      "if (event.message_options.message_type === 'email') console.log('never');",
    ),
    2367,
  ],
  [
    'a factor password reset cannot enrol',
    jsAction(
      'password-reset-post-challenge',
      'PasswordResetPostChallengeAPI',
      'onExecutePostChallenge',
      "api.authentication.enrollWith({ type: 'otp' });",
    ),
    2339,
  ],
];
const mistakeFiles = MISTAKES.map(([, text], index) => virtual(`mistake-${index}.js`, text));

/** A TypeScript author importing the types through both entry points. */
const consumer = virtual(
  'consumer.ts',
  `import type { PostLogin, Triggers, TriggerId } from 'hookchain/types';
import type { Event, Handler, PostLoginAPI } from 'hookchain/types/post-login';
import type { API as PrcAPI } from 'hookchain/types/password-reset-post-challenge';

export const onExecutePostLogin: Handler = async (event: Event, api: PostLoginAPI) => {
  const same: PostLogin.API = api;
  const payload = api.redirect.validateToken({ secret: event.secrets.CONSENT_SECRET ?? '' });
  same.idToken.setCustomClaim('https://acme.test/state', payload.state).accessToken.addScope('read:x');
  const { roles } = await api.roles.getUserEffectiveRoles({ take: 10 });
  const written = api.cache.set('roles', JSON.stringify(roles.map((r) => r.name)));
  if (written.type === 'error') console.log(written.code);
};

export const trigger: TriggerId = 'send-phone-message';
export type PhoneEvent = Triggers['send-phone-message']['event'];
export const reset = (api: PrcAPI) => api.transaction.setResultUrl('https://app.acme.test/');
`,
);

const program = createProgram(
  [...exampleFiles],
  { ...AUTHOR_OPTIONS, lib: ['lib.es2023.d.ts'] },
  virtualFiles,
);
const checker = program.getTypeChecker();
const diagnosticsOf = (file: string) => fileDiagnostics(program, file);

/** `exports.<name> = async (event, api) => ...` handlers of a file, with their parameter types. */
function handlers(file: string): Array<{ name: string; event: string; api: string }> {
  const source = program.getSourceFile(file);
  const found: Array<{ name: string; event: string; api: string }> = [];
  source?.forEachChild(function visit(node) {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.getText() === 'exports' &&
      ts.isArrowFunction(node.right)
    ) {
      const [event, api] = node.right.parameters.map((p) =>
        checker.typeToString(checker.getTypeAtLocation(p)),
      );
      found.push({ name: node.left.name.text, event: event ?? '', api: api ?? '' });
    }
    node.forEachChild(visit);
  });
  return found;
}

describe('the examples, checked as an author would check them', () => {
  it('are at least eight actions covering all seven triggers', () => {
    const triggers = new Set(exampleFiles.map((file) => path.basename(path.dirname(file))));
    expect(exampleFiles.length).toBeGreaterThanOrEqual(8);
    expect([...triggers].sort()).toEqual([
      'credentials-exchange',
      'password-reset-post-challenge',
      'post-change-password',
      'post-login',
      'post-user-registration',
      'pre-user-registration',
      'send-phone-message',
    ]);
  });

  it.each(exampleFiles.map((file) => [path.relative(EXAMPLES_DIR, file), file]))(
    '%s type-checks with checkJs and strict',
    (_name, file) => {
      expect(formatDiagnostics(diagnosticsOf(file))).toBe('');
    },
  );

  it.each(exampleFiles.map((file) => [path.relative(EXAMPLES_DIR, file), file]))(
    '%s annotates every handler with the Hookchain event and api types',
    (_name, file) => {
      const found = handlers(file);
      expect(found.length).toBeGreaterThan(0);
      for (const handler of found) {
        expect(handler.event, handler.name).toBe('Event');
        expect(handler.api, handler.name).toMatch(/^[A-Za-z]+API$/);
      }
    },
  );

  it('lets TypeScript authors import the types from hookchain/types and hookchain/types/<trigger>', () => {
    expect(formatDiagnostics(diagnosticsOf(consumer))).toBe('');
  });

  it.each(MISTAKES.map(([what, , code], index) => [what, code, mistakeFiles[index] as string] as const))(
    'catch %s',
    (_what, code, file) => {
      expect(diagnosticsOf(file).map((d) => d.code)).toContain(code);
    },
  );
});
