/**
 * The shipped declarations (`shared/types/*.d.ts`) must describe the `event` and `api` the runtime
 * really builds: the same namespaces and methods, the same chaining, the event fields the trigger
 * schema validates, and documentation on all of it.
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createCache } from '../../../shared/triggers/cache.ts';
import type { ApiSession, JsonObject } from '../../../shared/triggers/framework.ts';
import { TRIGGER_IDS, type TriggerId } from '../../../shared/triggers/ids.ts';
import { getTrigger } from '../../../shared/triggers/registry.ts';
import {
  createProgram,
  diagnosticsOf,
  docOf,
  exportedType,
  fileDiagnostics,
  formatDiagnostics,
  isOptional,
  TYPES_DIR,
} from './support.ts';

const API_NAMES: Record<TriggerId, string> = {
  'post-login': 'PostLoginAPI',
  'credentials-exchange': 'CredentialsExchangeAPI',
  'pre-user-registration': 'PreUserRegistrationAPI',
  'post-user-registration': 'PostUserRegistrationAPI',
  'post-change-password': 'PostChangePasswordAPI',
  'send-phone-message': 'SendPhoneMessageAPI',
  'password-reset-post-challenge': 'PasswordResetPostChallengeAPI',
};

const fileOf = (id: TriggerId) => path.join(TYPES_DIR, `${id}.d.ts`);
/** Only the declarations: nothing from node or the DOM may leak into them. */
const DECLARATION_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  types: [],
  lib: ['lib.es2022.d.ts'],
  skipLibCheck: false,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
};
const program = createProgram(
  [path.join(TYPES_DIR, 'index.d.ts'), ...TRIGGER_IDS.map(fileOf)],
  DECLARATION_OPTIONS,
);
const checker = program.getTypeChecker();

function newSession(
  id: TriggerId,
  tweak?: (event: JsonObject) => void,
  phase: 'execute' | 'continue' = 'execute',
) {
  const trigger = getTrigger(id);
  const event = trigger.sampleEvent();
  // Something for the lookups to find, in both shapes the caller may send.
  if (event.user)
    (event.user as JsonObject).groups = [
      'admins',
      { id: 'grp_7', name: 'ops', group_type: 'org', region: 'eu' },
    ];
  tweak?.(event);
  return trigger.createApi({ phase, event, cache: createCache({}).api });
}

function runtimeShape(session: ApiSession): Record<string, string[]> {
  const shape: Record<string, string[]> = {};
  for (const [name, namespace] of Object.entries(session.api)) {
    shape[name] = Object.keys(namespace)
      .filter((key) => typeof (namespace as Record<string, unknown>)[key] === 'function')
      .sort();
  }
  return shape;
}

interface DeclaredMethod {
  namespace: string;
  method: string;
  symbol: ts.Symbol;
  signature: ts.Signature;
}

function declaredMethods(id: TriggerId): DeclaredMethod[] {
  const api = exportedType(program, fileOf(id), 'API');
  const methods: DeclaredMethod[] = [];
  for (const namespace of api.getProperties()) {
    for (const member of checker.getTypeOfSymbol(namespace).getProperties()) {
      const [signature] = checker.getTypeOfSymbol(member).getCallSignatures();
      if (signature)
        methods.push({ namespace: namespace.name, method: member.name, symbol: member, signature });
    }
  }
  return methods;
}

function declaredShape(id: TriggerId): Record<string, string[]> {
  const api = exportedType(program, fileOf(id), 'API');
  const shape: Record<string, string[]> = {};
  for (const namespace of api.getProperties()) shape[namespace.name] = [];
  for (const { namespace, method } of declaredMethods(id)) shape[namespace]?.push(method);
  for (const methods of Object.values(shape)) methods.sort();
  return shape;
}

/** Valid arguments for every method, so each can be called for real. */
const ARGS: Record<string, unknown[]> = {
  'access.deny': ['Not allowed from here'],
  'accessToken.setCustomClaim': ['https://acme.test/claim', { a: 1 }],
  'accessToken.addScope': ['read:reports'],
  'accessToken.removeScope': ['read:reports'],
  'idToken.setCustomClaim': ['https://acme.test/claim', ['x']],
  'user.setAppMetadata': ['plan', 'pro'],
  'user.setUserMetadata': ['theme', 'dark'],
  'multifactor.enable': ['any', { allowRememberBrowser: true }],
  'authentication.challengeWith': [{ type: 'otp' }, { additionalFactors: [{ type: 'email' }] }],
  'authentication.challengeWithAny': [
    [{ type: 'otp' }, { type: 'phone', options: { preferredMethod: 'sms' } }],
  ],
  'authentication.enrollWith': [{ type: 'webauthn-roaming' }],
  'authentication.enrollWithAny': [[{ type: 'otp' }, { type: 'push-notification' }]],
  'authentication.recordMethod': ['https://mfa.acme.test/hardware-key'],
  'authentication.setPrimaryUser': ['auth0|primary'],
  'redirect.sendUserTo': ['https://consent.acme.test/terms', { query: { lang: 'en' } }],
  'redirect.canRedirect': [],
  'redirect.encodeToken': [{ secret: 'shh', payload: { a: 1 }, expiresInSeconds: 60 }],
  'prompt.render': ['terms-form', { fields: { accepted: false } }],
  'validation.error': ['invalid_name', 'Please enter your full name.'],
  'transaction.setMetadata': ['risk', 3],
  'transaction.addTargetScope': ['read:reports'],
  'transaction.removeTargetScope': ['read:reports'],
  'transaction.setTargetScopes': [['read:reports', 'write:reports']],
  'transaction.clearTargetScopes': [],
  'transaction.setResultUrl': ['https://app.acme.test/after-reset', { query: { from: 'reset' } }],
  'samlResponse.setAttribute': ['http://schemas.xmlsoap.org/claims/Group', 'admins'],
  'session.revoke': ['Compromised device', { preserveRefreshTokens: true }],
  'session.setCookieMode': ['non-persistent'],
  'refreshToken.revoke': ['Compromised device'],
  'groups.getUserGroups': [{ take: 10 }],
  'groups.hasGroupMembership': [['admins', 'grp_7', 'nobody']],
  'roles.getUserEffectiveRoles': [{ take: 10 }],
  'roles.getUserEffectiveRolesByIds': [['editor']],
  'roles.getUserEffectiveRolesByNames': [['editor']],
  'rules.wasExecuted': ['rul_123'],
  'cache.get': ['key'],
  'cache.set': ['key', 'value', { ttl: 60_000 }],
  'cache.delete': ['key'],
};
for (const target of ['session', 'refreshToken']) {
  ARGS[`${target}.setExpiresAt`] = [Date.now() + 3_600_000];
  ARGS[`${target}.setIdleExpiresAt`] = [Date.now() + 600_000];
  ARGS[`${target}.setMetadata`] = ['device_label', 'work-laptop'];
  ARGS[`${target}.deleteMetadata`] = ['device_label'];
  ARGS[`${target}.evictMetadata`] = [];
}

/** SAML setters take one value of the declared parameter type. */
function samlArgument(method: DeclaredMethod): unknown {
  const [parameter] = method.signature.getParameters();
  if (!parameter) throw new Error(`${method.method} declares no parameter`);
  const type = checker.getTypeOfSymbol(parameter);
  if (type.isUnion() && type.types.every((t) => t.isStringLiteral()))
    return (type.types[0] as ts.StringLiteralType).value;
  if (checker.isTypeAssignableTo(type, checker.getBooleanType())) return false;
  if (checker.isTypeAssignableTo(type, checker.getNumberType())) return 600;
  if (checker.isArrayType(type)) return ['email', 'upn'];
  return 'urn:acme:test';
}

function argumentsFor(id: TriggerId, method: DeclaredMethod): unknown[] {
  const key = `${method.namespace}.${method.method}`;
  if (id === 'credentials-exchange' && key === 'access.deny') return ['invalid_scope', 'Scope not allowed'];
  if (id === 'pre-user-registration' && key === 'access.deny')
    return ['disposable_email', 'Use another email'];
  if (method.namespace === 'samlResponse' && key !== 'samlResponse.setAttribute') {
    return [samlArgument(method)];
  }
  const args = ARGS[key];
  if (!args) throw new Error(`No sample arguments for ${key}: add them to ARGS`);
  return args;
}

function sessionFor(id: TriggerId, method: DeclaredMethod) {
  const key = `${method.namespace}.${method.method}`;
  if (key === 'refreshToken.revoke') {
    return newSession(id, (event) => {
      (event.transaction as JsonObject).protocol = 'oauth2-refresh-token';
    });
  }
  if (key === 'authentication.recordMethod') return newSession(id, undefined, 'continue');
  return newSession(id);
}

type ReturnKind = 'api' | 'promise' | 'string' | 'boolean' | 'other';

/** A runtime value as a TypeScript literal. */
const literal = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

function declaredReturn(id: TriggerId, method: DeclaredMethod): ReturnKind {
  const returned = method.signature.getReturnType();
  const api = exportedType(program, fileOf(id), 'API');
  if (returned === api) return 'api';
  if (returned.getSymbol()?.name === 'Promise') return 'promise';
  if (checker.isTypeAssignableTo(returned, checker.getStringType())) return 'string';
  if (checker.isTypeAssignableTo(returned, checker.getBooleanType())) return 'boolean';
  return 'other';
}

function runtimeReturn(session: ApiSession, value: unknown): ReturnKind {
  if (value === session.api) return 'api';
  if (value instanceof Promise) return 'promise';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'other';
}

describe.each(TRIGGER_IDS)('the %s declarations', (id) => {
  it('declare exactly the namespaces and methods of the runtime api', () => {
    expect(declaredShape(id)).toEqual(runtimeShape(newSession(id)));
  });

  it(`export Event, ${API_NAMES[id]}, its API alias and a Handler type`, () => {
    const named = exportedType(program, fileOf(id), API_NAMES[id]);
    expect(exportedType(program, fileOf(id), 'API')).toBe(named);
    expect(exportedType(program, fileOf(id), 'Event').getProperties().length).toBeGreaterThan(0);
    const [handler] = exportedType(program, fileOf(id), 'Handler').getCallSignatures();
    expect(handler?.getParameters().map((p) => p.name)).toEqual(['event', 'api']);
  });

  it('return what the runtime returns: the api for chaining, promises for lookups, values otherwise', async () => {
    const values: string[] = [];
    for (const method of declaredMethods(id)) {
      const key = `${method.namespace}.${method.method}`;
      if (key === 'redirect.validateToken') continue; // needs a resumed chain: covered by the examples
      const session = sessionFor(id, method);
      const namespace = session.api[method.namespace] as Record<string, (...args: unknown[]) => unknown>;
      const value = namespace[method.method]?.(...argumentsFor(id, method));
      expect({ key, returns: runtimeReturn(session, value) }).toEqual({
        key,
        returns: declaredReturn(id, method),
      });
      if (declaredReturn(id, method) === 'api') {
        expect(session.commands.length, key).toBeGreaterThan(0);
        continue;
      }
      const returned = literal(await value);
      values.push(
        `export const v${values.length}: Returned<'${method.namespace}', '${method.method}'> = ${returned};`,
      );
    }
    // Every value the runtime actually returned must fit the declared return type.
    const check = path.join(TYPES_DIR, '__check__', `${id}-returns.ts`);
    const source = [
      `import type { API } from '../${id}.js';`,
      'type Returned<N extends keyof API, M extends keyof API[N]> =',
      '  API[N][M] extends (...args: never[]) => infer T ? Awaited<T> : never;',
      ...values,
    ].join('\n');
    const returns = createProgram([], DECLARATION_OPTIONS, new Map([[check, source]]));
    expect(formatDiagnostics(fileDiagnostics(returns, check)), source).toBe('');
  });

  it('document every namespace and method', () => {
    const api = exportedType(program, fileOf(id), 'API');
    const undocumented = [
      ...api.getProperties().filter((ns) => docOf(checker, ns) === ''),
      ...declaredMethods(id)
        .filter((m) => docOf(checker, m.symbol) === '')
        .map((m) => ({ name: `${m.namespace}.${m.method}` })),
    ].map((s) => s.name);
    expect(undocumented).toEqual([]);
  });

  it('document every event field, however deep', () => {
    const undocumented: string[] = [];
    const seen = new Set<ts.Type>();
    const visit = (type: ts.Type, where: string) => {
      if (seen.has(type)) return;
      seen.add(type);
      const parts = type.isUnion() || type.isIntersection() ? type.types : [type];
      for (const part of parts) {
        if (checker.isArrayType(part)) {
          const [element] = checker.getTypeArguments(part as ts.TypeReference);
          if (element) visit(element, `${where}[]`);
          continue;
        }
        if (!(part.flags & ts.TypeFlags.Object)) continue;
        for (const property of part.getProperties()) {
          const declaredIn = property.declarations?.[0]?.getSourceFile().fileName ?? '';
          if (!declaredIn.startsWith(TYPES_DIR.replaceAll(path.sep, '/'))) continue;
          const name = `${where}.${property.name}`;
          if (docOf(checker, property) === '') undocumented.push(name);
          visit(checker.getTypeOfSymbol(property), name);
        }
      }
    };
    visit(exportedType(program, fileOf(id), 'Event'), 'event');
    expect(undocumented).toEqual([]);
  });

  it('declare every event field the runtime validates, with the same optionality and types', () => {
    const problems: string[] = [];
    compareSchema(getTrigger(id).eventSchema, exportedType(program, fileOf(id), 'Event'), 'event', problems);
    expect(problems).toEqual([]);
  });
});

it('the declaration files compile on their own, without node or DOM types', () => {
  expect(formatDiagnostics(diagnosticsOf(program))).toBe('');
});

// ---------------------------------------------------------------------------------------------
// Zod schema vs declared type

interface ZodLike {
  def: { type: string; innerType?: ZodLike; element?: ZodLike; entries?: Record<string, string> };
  shape?: Record<string, ZodLike>;
  options?: unknown[];
}

/** Fields Hookchain injects into every event, whatever the caller sent. */
const INJECTED = new Set(['event.secrets', 'event.configuration']);

function unwrap(schema: ZodLike): { schema: ZodLike; optional: boolean; nullable: boolean } {
  let optional = false;
  let nullable = false;
  let current = schema;
  for (;;) {
    if (current.def.type === 'optional' && current.def.innerType) optional = true;
    else if (current.def.type === 'nullable' && current.def.innerType) nullable = true;
    else return { schema: current, optional, nullable };
    current = current.def.innerType;
  }
}

function compareSchema(schema: unknown, declared: ts.Type, where: string, problems: string[]): void {
  const object = schema as ZodLike;
  if (!object.shape) return;
  for (const [key, field] of Object.entries(object.shape)) {
    const name = `${where}.${key}`;
    const property = declared.getProperty(key);
    if (!property) {
      problems.push(`${name} is validated by the runtime but not declared`);
      continue;
    }
    const { schema: inner, optional, nullable } = unwrap(field);
    const required = INJECTED.has(name) ? true : !optional;
    if (required === isOptional(property)) {
      problems.push(`${name} is ${required ? 'required' : 'optional'} at runtime but not in the declaration`);
    }
    const type = checker.getNonNullableType(checker.getTypeOfSymbol(property));
    const full = checker.getTypeOfSymbol(property);
    if (nullable && !checker.isTypeAssignableTo(checker.getNullType(), full)) {
      problems.push(`${name} may be null at runtime but is not declared nullable`);
    }
    const accepts = (source: ts.Type, what: string) => {
      if (!checker.isTypeAssignableTo(source, type)) problems.push(`${name}: the runtime allows ${what}`);
    };
    switch (inner.def.type) {
      case 'string':
        accepts(checker.getStringType(), 'any string');
        break;
      case 'number':
        accepts(checker.getNumberType(), 'any number');
        break;
      case 'boolean':
        accepts(checker.getBooleanType(), 'true and false');
        break;
      case 'enum': {
        const values = Object.values(inner.def.entries ?? {});
        for (const value of values) accepts(checker.getStringLiteralType(value), `'${value}'`);
        const declaredValues = (type.isUnion() ? type.types : [type])
          .filter((t) => t.isStringLiteral())
          .map((t) => (t as ts.StringLiteralType).value);
        if (declaredValues.sort().join() !== [...values].sort().join()) {
          problems.push(`${name}: declared [${declaredValues}] but the runtime allows [${values}]`);
        }
        break;
      }
      case 'array': {
        const arrays = (type.isUnion() ? type.types : [type]).filter((t) => checker.isArrayType(t));
        if (arrays.length === 0) problems.push(`${name}: the runtime expects an array`);
        else if (inner.def.element && unwrap(inner.def.element).schema.def.type === 'string') {
          const acceptsStrings = arrays.some((array) => {
            const [element] = checker.getTypeArguments(array as ts.TypeReference);
            return element !== undefined && checker.isTypeAssignableTo(checker.getStringType(), element);
          });
          if (!acceptsStrings) problems.push(`${name}: the runtime allows any string[]`);
        }
        break;
      }
      case 'object':
        compareSchema(inner, type, name, problems);
        break;
      default:
        // records, unions and unknowns: free-form in both.
        break;
    }
  }
}
