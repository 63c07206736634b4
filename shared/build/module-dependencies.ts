/**
 * One bundle holds one copy of each package, so an action's dependencies and those of the modules
 * it pins become one set. Module versions pin exact versions; the action may declare a range or
 * a tag. Rules: identical specs merge; a module's exact version satisfies the action's range or
 * tag and wins (it is immutable); anything else is a conflict the tenant must resolve, reported
 * with every party named rather than silently picking one.
 */
import semver from 'semver';
import type { ActionModuleSource } from './action-plugin.ts';
import { BuildFailedError } from './build-errors.ts';
import type { DependencySpec } from './resolve-dependencies.ts';

interface Claim {
  spec: DependencySpec;
  by: string;
}

export function mergeModuleDependencies(
  action: readonly DependencySpec[],
  modules: readonly ActionModuleSource[],
): DependencySpec[] {
  const merged = new Map<string, Claim>();
  for (const dep of action) merged.set(dep.name, { spec: dep, by: 'the action' });
  const conflicts: string[] = [];
  for (const module of modules) {
    for (const dep of module.dependencies ?? []) {
      const by = `module actions:${module.name}`;
      const held = merged.get(dep.name);
      if (!held) {
        merged.set(dep.name, { spec: dep, by });
        continue;
      }
      const resolved = reconcile(held.spec.version, dep.version);
      if (resolved === undefined) {
        conflicts.push(
          `${dep.name} is ${held.spec.version || 'latest'} in ${held.by} but ${dep.version || 'latest'} in ${by}`,
        );
      } else if (resolved !== held.spec.version) {
        merged.set(dep.name, { spec: { ...held.spec, version: resolved }, by });
      }
    }
  }
  if (conflicts.length > 0) {
    throw new BuildFailedError(
      conflicts.map((detail) => ({
        id: 'dependency_conflict',
        msg: `Dependency conflict: ${detail}. A bundle holds one version of a package: align the versions, or pin a module version that matches.`,
      })),
    );
  }
  return [...merged.values()].map((c) => c.spec);
}

/** The single spec both sides accept, or undefined when they disagree. */
function reconcile(held: string, incoming: string): string | undefined {
  const a = held.trim() || 'latest';
  const b = incoming.trim() || 'latest';
  if (a === b) return held;
  const exactA = semver.valid(a);
  const exactB = semver.valid(b);
  if (exactA && exactB) return undefined;
  if (exactB) return acceptsExact(a, exactB) ? incoming : undefined;
  if (exactA) return acceptsExact(b, exactA) ? held : undefined;
  return undefined;
}

/** A range accepts versions it satisfies; a tag (e.g. `latest`) accepts a pinned version. */
function acceptsExact(spec: string, exact: string): boolean {
  if (semver.validRange(spec)) return semver.satisfies(exact, spec, { includePrerelease: true });
  return true;
}
