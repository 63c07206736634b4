/**
 * `api.groups`, `api.roles` and `api.rules`: in Auth0 these query Auth0's own stores. Hookchain
 * does not own users, so they answer from what the caller put in the event:
 * - groups: `event.user.groups` (names, or `{ id, name, ... }` objects, kept whole);
 * - roles: `event.authorization.roles` (names, as Auth0 sends them), or the richer
 *   `event.authorization.effective_roles` (`{ id, name, type }`) when the caller provides it;
 * - rules: `event.executed_rules` (ids of legacy rules that already ran).
 */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import type { JsonObject, Namespace } from '../framework.ts';
import { isPlainObject } from '../values.ts';

export interface Group {
  [field: string]: unknown;
  id: string;
  name: string;
}
interface GroupMatch {
  id: string;
  name: string;
  group_type: string;
}

export interface Role {
  id: string;
  name: string;
  type: string;
}

function toNamed(item: unknown): Group | undefined {
  if (typeof item === 'string') return { id: item, name: item };
  if (isPlainObject(item) && typeof item.name === 'string') {
    return { id: typeof item.id === 'string' ? item.id : item.name, name: item.name };
  }
  return undefined;
}

function toGroup(item: unknown): Group | undefined {
  const named = toNamed(item);
  return named && isPlainObject(item) ? { ...item, ...named } : named;
}

function userGroups(event: JsonObject): Group[] {
  const groups = isPlainObject(event.user) ? event.user.groups : undefined;
  return Array.isArray(groups) ? groups.map(toGroup).filter((g): g is Group => g !== undefined) : [];
}

function userRoles(event: JsonObject): Role[] {
  const authorization = isPlainObject(event.authorization) ? event.authorization : {};
  const source = Array.isArray(authorization.effective_roles)
    ? authorization.effective_roles
    : authorization.roles;
  if (!Array.isArray(source)) return [];
  return source
    .map((item) => {
      const named = toNamed(item);
      if (!named) return undefined;
      const type = isPlainObject(item) && typeof item.type === 'string' ? item.type : 'role';
      return { ...named, type };
    })
    .filter((r): r is Role => r !== undefined);
}

const page = (max: number) =>
  z
    .object({
      take: z
        .number({ error: 'take must be a number' })
        .int()
        .min(1)
        .max(max, { error: `take must be at most ${max}` })
        .optional(),
      from: z.string({ error: 'from must be a checkpoint string' }).optional(),
    })
    .optional();

/** Checkpoint pagination: `from` is the opaque offset returned as `next`. */
function paginate<T>(
  method: string,
  items: T[],
  take: number,
  from: string | undefined,
): { items: T[]; next?: string } {
  const start = from === undefined ? 0 : Number.parseInt(Buffer.from(from, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0) {
    throw new InvalidApiCallError(`${method}: from is not a checkpoint this method returned`);
  }
  const slice = items.slice(start, start + take);
  const end = start + slice.length;
  return end < items.length
    ? { items: slice, next: Buffer.from(String(end)).toString('base64url') }
    : { items: slice };
}

const nameList = (max: number, what: string) =>
  z.array(z.string({ error: `${what} must be strings` })).max(max, { error: `at most ${max} ${what}` });

/**
 * The lookup methods' arguments by method. They record no command, so only the action checks them
 * (test/unit/runtime/zod-in-bundle.test.ts holds the bundle's answers to zod's here too).
 */
export const LOOKUP_ARGUMENTS = {
  'api.groups.getUserGroups': () => page(100),
  'api.groups.hasGroupMembership': () =>
    nameList(100, 'groups').min(1, { error: 'groups must be a non-empty array of group ids or names' }),
  'api.roles.getUserEffectiveRoles': () => page(100),
  'api.roles.getUserEffectiveRolesByIds': () => nameList(100, 'ids'),
  'api.roles.getUserEffectiveRolesByNames': () => nameList(50, 'names'),
};

type LookupMethod = keyof typeof LOOKUP_ARGUMENTS;

function parse<M extends LookupMethod>(
  method: M,
  value: unknown,
): z.output<ReturnType<(typeof LOOKUP_ARGUMENTS)[M]>> {
  const parsed = LOOKUP_ARGUMENTS[method]().safeParse(value);
  if (!parsed.success)
    throw new InvalidApiCallError(`${method}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data as z.output<ReturnType<(typeof LOOKUP_ARGUMENTS)[M]>>;
}

export function groups<R>(): Namespace<R> {
  return {
    commands: [],
    build: (ctx) => ({
      async getUserGroups(options?: unknown) {
        const method = 'api.groups.getUserGroups';
        const { take = 50, from } = parse(method, options) ?? {};
        const { items, next } = paginate(method, userGroups(ctx.event), take, from);
        return next === undefined ? { groups: items } : { groups: items, next };
      },
      /** Auth0's answer shape: `{ memberships: { [id or name]: { is_member, matches? } } }`. */
      async hasGroupMembership(names: unknown) {
        const wanted = parse('api.groups.hasGroupMembership', names);
        const groups = userGroups(ctx.event);
        const membership = (wantedGroup: string): { is_member: boolean; matches?: GroupMatch[] } => {
          const matches = groups
            .filter((g) => g.id === wantedGroup || g.name === wantedGroup)
            .map((g) => ({
              id: g.id,
              name: g.name,
              group_type: typeof g.group_type === 'string' ? g.group_type : 'tenant',
            }));
          return matches.length > 0 ? { is_member: true, matches } : { is_member: false };
        };
        return { memberships: Object.fromEntries(wanted.map((g) => [g, membership(g)])) };
      },
    }),
  };
}

export function roles<R>(): Namespace<R> {
  return {
    commands: [],
    build: (ctx) => ({
      async getUserEffectiveRoles(options?: unknown) {
        const method = 'api.roles.getUserEffectiveRoles';
        const { take = 50, from } = parse(method, options) ?? {};
        const { items, next } = paginate(method, userRoles(ctx.event), take, from);
        return next === undefined ? { roles: items } : { roles: items, next };
      },
      async getUserEffectiveRolesByIds(ids: unknown) {
        const wanted = new Set(parse('api.roles.getUserEffectiveRolesByIds', ids));
        return { roles: userRoles(ctx.event).filter((r) => wanted.has(r.id)) };
      },
      async getUserEffectiveRolesByNames(names: unknown) {
        const wanted = new Set(parse('api.roles.getUserEffectiveRolesByNames', names));
        return { roles: userRoles(ctx.event).filter((r) => wanted.has(r.name)) };
      },
    }),
  };
}

export function rules<R>(): Namespace<R> {
  return {
    commands: [],
    build: (ctx) => ({
      wasExecuted(ruleId: unknown) {
        if (typeof ruleId !== 'string' || ruleId === '') {
          throw new InvalidApiCallError('api.rules.wasExecuted: ruleId must be a non-empty string');
        }
        const executed = ctx.event.executed_rules;
        return Array.isArray(executed) && executed.includes(ruleId);
      },
    }),
  };
}
