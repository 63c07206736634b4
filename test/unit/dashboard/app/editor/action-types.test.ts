/**
 * The editor's declarations, checked by the real TypeScript compiler with the options the
 * editor uses: Auth0-style JSDoc code type-checks for every trigger, and a misspelt api call is
 * an error, as the dashboard underlines it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { actionLibs, NODE_BUILTINS } from '../../../../../dashboard/src/editor/action-types.ts';
import { starterCode, TRIGGERS, type TriggerInfo } from '../../../../../dashboard/src/triggers.ts';

const TYPES_DIR = fileURLToPath(new URL('../../../../../shared/types/', import.meta.url));
const DECLARATIONS = Object.fromEntries(
  readdirSync(TYPES_DIR)
    .filter((name) => name.endsWith('.d.ts'))
    .map((name) => [name, readFileSync(`${TYPES_DIR}${name}`, 'utf8')]),
);

/** What the editor's compiler options amount to (see dashboard/src/editor/monaco.ts). */
const OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2023.d.ts'],
  strict: false,
  types: [],
};

/** Diagnostics of one action file, compiled with the editor's libs as virtual files. */
function check(trigger: TriggerInfo, code: string, dependencies: string[] = []): string[] {
  const files = new Map<string, string>([['/actions/action.js', code]]);
  for (const lib of actionLibs(DECLARATIONS, trigger, dependencies))
    files.set(lib.filePath.replace('file://', ''), lib.content);
  const directories = new Set(
    [...files.keys()].flatMap((path) =>
      path
        .split('/')
        .slice(1, -1)
        .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`),
    ),
  );
  const host = ts.createCompilerHost(OPTIONS);
  const realRead = host.readFile.bind(host);
  const realExists = host.fileExists.bind(host);
  host.fileExists = (path) => files.has(path) || (!path.startsWith('/actions') && realExists(path));
  host.directoryExists = (path) => directories.has(path) || ts.sys.directoryExists(path);
  host.readFile = (path) => files.get(path) ?? realRead(path);
  host.getSourceFile = (path, language) => {
    const text = host.readFile(path);
    return text === undefined ? undefined : ts.createSourceFile(path, text, language);
  };
  const program = ts.createProgram([...files.keys()], OPTIONS, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const withBody = (trigger: TriggerInfo, body: string) =>
  starterCode(trigger).replace('async (event, api) => {\n', `async (event, api) => {\n${body}\n`);

describe('the action editor declarations', () => {
  it.each(TRIGGERS.map((t) => [t.id, t] as const))('%s: the starter template type-checks', (_, trigger) => {
    expect(
      check(trigger, withBody(trigger, "console.log(event.secrets.KEY, require('node:crypto'));")),
    ).toEqual([]);
  });

  it('types event and api through the JSDoc names Auth0 uses', () => {
    const login = TRIGGERS.find((t) => t.id === 'post-login')!;
    const good = withBody(
      login,
      "if (event.user.email_verified) api.idToken.setCustomClaim('https://acme.test/x', event.user.email);",
    );
    expect(check(login, good)).toEqual([]);
    expect(check(login, withBody(login, "api.idToken.setCustomClam('k', 1);"))).toEqual([
      "Property 'setCustomClam' does not exist on type 'IdTokenAPI<PostLoginAPI>'. Did you mean 'setCustomClaim'?",
    ]);
    expect(check(login, withBody(login, 'event.user.nope.length;'))).toHaveLength(1);
  });

  it('knows the modules require() can load: built-ins and declared dependencies, nothing else', () => {
    const login = TRIGGERS.find((t) => t.id === 'post-login')!;
    const code = withBody(
      login,
      "require('crypto'); require('node:https'); require('axios'); require('lodash/get');",
    );
    expect(check(login, code, ['axios', 'lodash'])).toEqual([]);
    expect(check(login, code, ['lodash'])).toEqual([
      "Cannot find module 'axios' or its corresponding type declarations.",
    ]);
  });

  it('lists only real Node built-ins', () => {
    expect(NODE_BUILTINS.filter((name) => !builtinModules.includes(name))).toEqual([]);
  });

  it("gives each trigger its own api: post-login's redirect is not on pre-user-registration", () => {
    const pre = TRIGGERS.find((t) => t.id === 'pre-user-registration')!;
    expect(check(pre, withBody(pre, "api.access.deny('no', 'Nope');"))).toEqual([]);
    expect(check(pre, withBody(pre, "api.redirect.sendUserTo('https://x.test');"))).toHaveLength(1);
  });
});
