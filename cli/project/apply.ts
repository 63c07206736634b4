/**
 * Carries out a push plan in the order that avoids Auth0's known races: publish changed modules
 * (so the versions actions pin exist), save every draft, wait
 * until each is built (all of them, before anything goes live), deploy and wait until each new
 * version serves, then bind in order, and delete last (with `force`, so bindings never block it;
 * modules after the actions that pinned them).
 * A failed build stops the push before anything is deployed or rebound.
 */
import type { Action, HookchainClient } from '../../shared/client/index.ts';
import { BuildFailedError, deployAndWait, waitForBuild } from '../../shared/client/index.ts';
import { CliError } from '../errors.ts';
import type { Output } from '../output.ts';
import type { ActionPlan, Plan } from './diff.ts';

export interface ApplyResult {
  modules: {
    created: string[];
    updated: string[];
    published: Array<{ name: string; version: number }>;
    deleted: string[];
  };
  created: string[];
  updated: string[];
  deployed: Array<{ name: string; version: number }>;
  bindings: string[];
  deleted: string[];
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  });
  await Promise.all(workers);
}

/** "add-roles built, block-domain building…" for a progress line. */
function statusLine(statuses: Map<string, string>): string {
  return [...statuses].map(([name, status]) => `${name} ${status}`).join(', ');
}

/** Modules first, so the versions actions pin exist before the actions are saved. */
async function applyModules(
  client: HookchainClient,
  plan: Plan,
  out: Output,
  result: ApplyResult,
): Promise<void> {
  const work = plan.modules.filter((m) => m.op === 'create' || m.op === 'update' || m.op === 'publish');
  if (work.length === 0) return;
  const step = out.progress(
    `Publishing module${work.length === 1 ? '' : 's'} ${work.map((m) => m.name).join(', ')}…`,
  );
  try {
    await eachLimited(work, 4, async (m) => {
      if (m.op === 'create') {
        // The create body asks for version 1 at once.
        const created = await client.createModule(m.body ?? {});
        result.modules.created.push(m.name);
        result.modules.published.push({ name: m.name, version: created.latest_version_number || 1 });
        return;
      }
      if (m.op === 'update') {
        await client.updateModule(m.id as string, m.body ?? {});
        result.modules.updated.push(m.name);
      }
      if (m.publish) {
        const version = await client.publishModule(m.id as string);
        result.modules.published.push({ name: m.name, version: version.version_number });
      }
    });
  } catch (error) {
    step.fail('Publishing modules failed; no action was changed.');
    throw error;
  }
  step.succeed(`Published ${result.modules.published.map((p) => `${p.name} v${p.version}`).join(', ')}.`);
}

export async function applyPlan(client: HookchainClient, plan: Plan, out: Output): Promise<ApplyResult> {
  const result: ApplyResult = {
    modules: { created: [], updated: [], published: [], deleted: [] },
    created: [],
    updated: [],
    deployed: [],
    bindings: [],
    deleted: [],
  };
  await applyModules(client, plan, out, result);
  const ids = new Map<string, string>();
  for (const a of plan.actions) if (a.id) ids.set(a.name, a.id);

  const writes = plan.actions.filter((a) => a.op === 'create' || a.op === 'update');
  if (writes.length > 0) {
    const saving = out.progress(`Saving ${writes.length} action${writes.length === 1 ? '' : 's'}…`);
    try {
      await eachLimited(writes, 4, async (a) => {
        if (a.op === 'create') {
          const created = await client.createAction(a.body ?? {});
          ids.set(a.name, created.id);
          result.created.push(a.name);
        } else {
          await client.updateAction(a.id as string, a.body ?? {});
          result.updated.push(a.name);
        }
      });
    } catch (error) {
      saving.fail('Saving failed.');
      throw error;
    }
    saving.succeed(`Saved ${[...result.created, ...result.updated].join(', ')}.`);
  }

  const toBuild: ActionPlan[] = [...writes, ...plan.actions.filter((a) => a.op === 'deploy')];
  const built = new Map<string, Action>();
  if (toBuild.length > 0) {
    const statuses = new Map(toBuild.map((a) => [a.name, 'pending…']));
    const building = out.progress(`Building: ${statusLine(statuses)}`);
    const failures: BuildFailedError[] = [];
    await Promise.all(
      toBuild.map(async (a) => {
        try {
          const action = await waitForBuild(client, ids.get(a.name) as string, (current) => {
            statuses.set(a.name, current.status === 'built' ? 'built' : `${current.status}…`);
            building.update(`Building: ${statusLine(statuses)}`);
          });
          built.set(a.name, action);
        } catch (error) {
          if (!(error instanceof BuildFailedError)) throw error;
          statuses.set(a.name, 'failed');
          failures.push(error);
        }
      }),
    );
    if (failures.length > 0) {
      building.fail(`Building: ${statusLine(statuses)}`);
      throw new CliError(
        `${failures.map((f) => f.message).join('\n')}\nNothing was deployed and no binding changed.`,
        'Fix the code or dependencies and push again.',
      );
    }
    building.succeed(`Built ${toBuild.map((a) => a.name).join(', ')}.`);
  }

  const toDeploy = plan.actions.filter((a) => a.deploy);
  if (toDeploy.length > 0) {
    const live = new Map(toDeploy.map((a) => [a.name, 'deploying…']));
    const deploying = out.progress(`Deploying: ${statusLine(live)}`);
    try {
      await eachLimited(toDeploy, 4, async (a) => {
        const action = built.get(a.name) ?? (await client.getAction(ids.get(a.name) as string));
        const version = await deployAndWait(client, action);
        live.set(a.name, `v${version.number} live`);
        deploying.update(`Deploying: ${statusLine(live)}`);
        result.deployed.push({ name: a.name, version: version.number });
      });
    } catch (error) {
      deploying.fail(`Deploying: ${statusLine(live)}`);
      throw error;
    }
    deploying.succeed(`Deployed ${result.deployed.map((d) => `${d.name} v${d.version}`).join(', ')}.`);
  }

  for (const binding of plan.bindings.filter((b) => b.changed)) {
    const step = out.progress(`Binding ${binding.trigger}…`);
    try {
      await client.setBindings(
        binding.trigger,
        binding.desired.map((b) => ({
          ref: { type: 'action_name', value: b.action_name },
          ...(b.display_name ? { display_name: b.display_name } : {}),
        })),
      );
    } catch (error) {
      step.fail(`Binding ${binding.trigger} failed.`);
      throw error;
    }
    const order = binding.desired.map((b) => b.action_name).join(' → ') || '(nothing bound)';
    step.succeed(`Bound ${binding.trigger}: ${order}`);
    result.bindings.push(binding.trigger);
  }

  for (const a of plan.actions.filter((p) => p.op === 'delete')) {
    await client.deleteAction(a.id as string, true);
    out.note(`Deleted ${a.name}.`);
    result.deleted.push(a.name);
  }
  // After the actions that pinned them are gone.
  for (const m of plan.modules.filter((p) => p.op === 'delete')) {
    await client.deleteModule(m.id as string);
    out.note(`Deleted module ${m.name}.`);
    result.modules.deleted.push(m.name);
  }
  return result;
}
