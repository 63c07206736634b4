/**
 * The bundles a builder container made last, by what went into them. Deploying a draft snapshots
 * it into a version with the same code, modules and runtime, and the dependencies pinned to the
 * exact versions the draft's build resolved: the same input, so the same bundle. Reusing it spares
 * the version's build a second bundle (the larger part of "deploy → live"). A container that never
 * built the draft (another builder instance on AWS) misses and bundles again: slower, never wrong.
 */
import { createHash } from 'node:crypto';
import { EXACT_VERSION } from '../model/actions.ts';
import type { BuiltBundle, Bundler } from './builds.ts';

export interface RecentBundlesOptions {
  /** Zips kept, by their total size; the least recently used go first. */
  maxBytes: number;
}

export interface RecentBundles {
  /**
   * The bundle for `input`: a recent one made of the same input when every dependency is pinned,
   * or else `make()`'s, remembered under its input with the dependencies pinned as it resolved them.
   */
  get(input: Parameters<Bundler>[0], make: () => Promise<BuiltBundle>): Promise<BuiltBundle>;
}

type BundleInput = Parameters<Bundler>[0];

/** Names every input that changes the bundle; anything else (the order of keys) does not. */
function keyOf(input: BundleInput): string {
  const dependencies = (list: BundleInput['dependencies']) =>
    [...list].map((d) => [d.name, d.version, d.registry_url ?? '']).sort();
  const canonical = JSON.stringify([
    input.runtime,
    input.code,
    dependencies(input.dependencies),
    input.modules.map((m) => [m.name, m.code, dependencies(m.dependencies)]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Only an input whose every dependency is pinned bundles the same again; a range may resolve anew. */
function repeatable(input: BundleInput): boolean {
  const pinned = (list: BundleInput['dependencies']) => list.every((d) => EXACT_VERSION.test(d.version));
  return pinned(input.dependencies) && input.modules.every((m) => pinned(m.dependencies));
}

/** The same input with its dependencies pinned as the build resolved them: what a version carries. */
function pinnedInput(input: BundleInput, bundle: BuiltBundle): BundleInput {
  const exact = new Map(bundle.dependencies.map((d) => [d.name, d.version]));
  return {
    ...input,
    dependencies: input.dependencies.map((d) => ({ ...d, version: exact.get(d.name) ?? d.version })),
  };
}

export function recentBundles({ maxBytes }: RecentBundlesOptions): RecentBundles {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const kept = new Map<string, BuiltBundle>();
  let bytes = 0;

  function remember(key: string, bundle: BuiltBundle) {
    const previous = kept.get(key);
    if (previous) {
      kept.delete(key);
      bytes -= previous.zip.byteLength;
    }
    if (bundle.zip.byteLength > maxBytes) return;
    kept.set(key, bundle);
    bytes += bundle.zip.byteLength;
    for (const [oldest, old] of kept) {
      if (bytes <= maxBytes) break;
      kept.delete(oldest);
      bytes -= old.zip.byteLength;
    }
  }

  return {
    async get(input, make) {
      const key = repeatable(input) ? keyOf(input) : undefined;
      const recent = key ? kept.get(key) : undefined;
      if (key && recent) {
        remember(key, recent);
        return recent;
      }
      const made = await make();
      const pinned = pinnedInput(input, made);
      if (repeatable(pinned)) remember(keyOf(pinned), made);
      return made;
    },
  };
}
