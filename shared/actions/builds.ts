/**
 * The builder's work: build a draft into its `-draft` function, or a version into its own
 * function, then warm it and cut the action over. Jobs are idempotent and safe to redeliver: a
 * stale draft build is dropped, a version already live is left alone.
 */

import { HookchainError } from '../errors.ts';
import type { ActionRecord, BuildError, Dependency, ModuleRef, VersionRecord } from '../model/actions.ts';
import type { ModuleVersionRecord } from '../model/modules.ts';
import { loadPinnedModules } from '../modules/pins.ts';
import { CodeStorageFullError, type DeployOptions, type FunctionSpec } from '../ports/functions.ts';
import type { ActionsContext, BuildJob } from './context.ts';
import { LIMITS } from './limits.ts';
import { actionFunctionName } from './naming.ts';
import { deployDraft } from './versions.ts';

export interface BuiltBundle {
  zip: Uint8Array;
  dependencies: Array<{ name: string; version: string }>;
}

/** A pinned module as the bundle includes it: `require('actions:<name>')`, its packages merged in. */
export interface BundledModule {
  name: string;
  code: string;
  dependencies: Dependency[];
}

/** Turns code + dependencies into a deployment zip (shared/build); throws BuildFailure on user errors. */
export type Bundler = (input: {
  code: string;
  dependencies: Dependency[];
  runtime: string;
  modules: BundledModule[];
}) => Promise<BuiltBundle>;

/** A build that failed because of the action (syntax error, missing package): not worth retrying. */
export interface BuildFailure extends Error {
  errors: BuildError[];
}

export function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof HookchainError && Array.isArray((error as unknown as BuildFailure).errors);
}

export interface BuilderContext extends ActionsContext {
  bundle: Bundler;
}

export async function processBuildJob(ctx: BuilderContext, job: BuildJob): Promise<void> {
  if (job.kind === 'draft') await buildDraft(ctx, job.tenant_id, job.action_id, job.revision);
  else if (job.kind === 'version') await buildVersion(ctx, job.tenant_id, job.action_id, job.number);
  else for (const name of job.function_names) await ctx.functions.delete(name);
}

/** Lambda's code storage is per account and region: retrying the build cannot help. */
const CODE_STORAGE_FULL: BuildError = {
  id: 'code_storage_exceeded',
  msg: "The build could not be deployed: the AWS account's Lambda code storage is full (75 GB by default). Delete unused actions, or ask AWS for a higher code storage quota, then update the action to build again.",
};

/**
 * Deploys the function: `deployed`, `superseded` (a newer build owns it), or the build's errors
 * when the account's code storage is full.
 */
async function deployed(
  ctx: ActionsContext,
  spec: FunctionSpec,
  options?: DeployOptions,
): Promise<'deployed' | 'superseded' | BuildError[]> {
  try {
    return await ctx.functions.deploy(spec, options);
  } catch (error) {
    if (error instanceof CodeStorageFullError) return [CODE_STORAGE_FULL];
    throw error;
  }
}

function functionSpec(
  ctx: ActionsContext,
  action: Pick<ActionRecord, 'tenant_id' | 'id'>,
  name: string,
  zip: Uint8Array,
): FunctionSpec {
  const { roleArn, architecture, memoryMb, timeoutSeconds, stage } = ctx.functionSettings;
  return {
    name,
    zip,
    roleArn,
    architecture,
    memoryMb,
    timeoutSeconds,
    tags: { 'hookchain:stage': stage, 'hookchain:tenant': action.tenant_id, 'hookchain:action': action.id },
  };
}

/** Pins declared dependencies to the exact versions the build resolved. */
function pinned(declared: Dependency[], resolved: BuiltBundle['dependencies']): Dependency[] {
  const exact = new Map(resolved.map((d) => [d.name, d.version]));
  return declared.map((d) => ({ ...d, version: exact.get(d.name) ?? d.version }));
}

async function buildDraft(
  ctx: BuilderContext,
  tenantId: string,
  actionId: string,
  revision: number,
): Promise<void> {
  const action = await ctx.store.actions.get(tenantId, actionId);
  if (!action || action.draft_revision !== revision) return; // deleted or superseded: nothing to do
  // A duplicate delivery (SQS is at-least-once) of a build that finished: marking it `building`
  // again would make the draft untestable for a while. A `failed` draft still builds again (a
  // redriven job). The delivery may also be the retry of one whose builder stopped between
  // recording `built` and deploying: the deploy-on-build is then still owed.
  if (action.status === 'built') {
    if (action.deploy_on_build === revision) await deployOnBuild(ctx, tenantId, actionId, revision);
    return;
  }
  if (!(await ctx.store.actions.recordBuild(tenantId, actionId, revision, { status: 'building' }))) return;
  let bundle: BuiltBundle;
  try {
    bundle = await ctx.bundle({
      code: action.code,
      dependencies: action.dependencies,
      runtime: action.runtime,
      modules: bundled(await loadPinnedModules(ctx, tenantId, action.modules ?? [])),
    });
  } catch (error) {
    if (!isBuildFailure(error)) throw error; // infrastructure trouble: let the queue retry
    await ctx.store.actions.recordBuild(tenantId, actionId, revision, {
      status: 'failed',
      errors: error.errors,
    });
    return;
  }
  const name = actionFunctionName(ctx.functionSettings, tenantId, actionId, 'draft');
  // One draft function for every revision: a slower build of an older revision must not put its
  // code over a newer one's (the action would say `built` and test the old code).
  const outcome = await deployed(ctx, functionSpec(ctx, action, name, bundle.zip), {
    stillWanted: async () => (await ctx.store.actions.get(tenantId, actionId))?.draft_revision === revision,
  });
  if (outcome === 'superseded') return;
  if (Array.isArray(outcome)) {
    await ctx.store.actions.recordBuild(tenantId, actionId, revision, { status: 'failed', errors: outcome });
    return;
  }
  const recorded = await ctx.store.actions.recordBuild(tenantId, actionId, revision, {
    status: 'built',
    errors: [],
    built_at: new Date(ctx.now()).toISOString(),
    draft_function: name,
    dependencies: pinned(action.dependencies, bundle.dependencies),
  });
  if (recorded && action.deploy_on_build === revision) await deployOnBuild(ctx, tenantId, actionId, revision);
}

/**
 * Deploys the built revision once, however often its job is delivered: a version snapshotted
 * from it means an earlier delivery deployed it. That version's build job is sent again while it
 * is still `pending` (the delivery that made it may have stopped before sending it; a second job
 * for one version only cuts over again, forward-only).
 */
async function deployOnBuild(ctx: BuilderContext, tenantId: string, actionId: string, revision: number) {
  const versions = await ctx.store.versions.list(tenantId, actionId);
  const deployed = versions.find((version) => version.source_revision === revision);
  if (!deployed) {
    await deployDraft(ctx, tenantId, actionId);
    return;
  }
  if (deployed.status === 'pending')
    await ctx.builds.send({
      kind: 'version',
      tenant_id: tenantId,
      action_id: actionId,
      number: deployed.number,
    });
}

async function buildVersion(
  ctx: BuilderContext,
  tenantId: string,
  actionId: string,
  number: number,
): Promise<void> {
  const action = await ctx.store.actions.get(tenantId, actionId);
  const versions = action ? await ctx.store.versions.list(tenantId, actionId) : [];
  const version = versions.find((v) => v.number === number);
  if (!action || !version) return;
  let modules: ModuleVersionRecord[];
  try {
    modules = await loadPinnedModules(ctx, tenantId, version.modules ?? []);
  } catch (error) {
    if (!isBuildFailure(error)) throw error;
    await ctx.store.versions.update(tenantId, actionId, number, { status: 'failed', errors: error.errors });
    return;
  }
  if (version.status !== 'built') {
    await ctx.store.versions.update(tenantId, actionId, number, { status: 'building' });
    let bundle: BuiltBundle;
    try {
      bundle = await ctx.bundle({
        code: version.code,
        dependencies: version.dependencies,
        runtime: version.runtime,
        modules: bundled(modules),
      });
    } catch (error) {
      if (!isBuildFailure(error)) throw error;
      await ctx.store.versions.update(tenantId, actionId, number, { status: 'failed', errors: error.errors });
      return;
    }
    const outcome = await deployed(ctx, functionSpec(ctx, action, version.function_name, bundle.zip));
    if (Array.isArray(outcome)) {
      await ctx.store.versions.update(tenantId, actionId, number, { status: 'failed', errors: outcome });
      return;
    }
    // Warm it once so the first live request does not pay the cold start; only an optimisation,
    // so a warm-up that fails (a throttle, a reset) does not fail the build.
    await ctx.functions.invoke(version.function_name, { warmup: true }).catch(() => undefined);
    await ctx.store.versions.update(tenantId, actionId, number, {
      status: 'built',
      built_at: new Date(ctx.now()).toISOString(),
    });
  }
  const switched = await ctx.store.actions.cutOver(
    tenantId,
    actionId,
    {
      version_id: version.id,
      number,
      function_name: version.function_name,
      deployed_at: new Date(ctx.now()).toISOString(),
      secrets_ciphertext: version.secrets.ciphertext,
      modules: liveModules(version.modules ?? [], modules),
      ...(version.configuration ? { configuration: version.configuration } : {}),
    },
    version.source_revision,
  );
  if (switched) ctx.chainsChanged?.(tenantId);
  await pruneVersions(ctx, tenantId, actionId, versions);
}

function bundled(modules: ModuleVersionRecord[]): BundledModule[] {
  return modules.map((m) => ({ name: m.module_name, code: m.code, dependencies: m.dependencies }));
}

/** The pins with their versions' encrypted secrets: the dispatcher decrypts them, never the action. */
function liveModules(pins: ModuleRef[], versions: ModuleVersionRecord[]) {
  return pins.map((pin, i) => ({ ...pin, secrets_ciphertext: versions[i]?.secrets.ciphertext ?? null }));
}

/**
 * Only the live version's function serves traffic (a rollback deploys a new version), so older
 * versions keep their records (up to Auth0's 50) but lose their functions after a short window
 * that lets in-flight requests finish. Rolling back to such a version builds it afresh.
 */
const PREVIOUS_FUNCTIONS_KEPT = 2;

async function pruneVersions(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  versions: VersionRecord[],
) {
  const live = (await ctx.store.actions.get(tenantId, actionId))?.deployed?.version_id;
  const newestFirst = [...versions].sort((a, b) => b.number - a.number).filter((v) => v.id !== live);
  const overLimit = Math.max(0, versions.length - LIMITS.versionsPerAction);
  for (const [index, version] of newestFirst.entries()) {
    const dropRecord = index >= newestFirst.length - overLimit;
    if ((dropRecord || index >= PREVIOUS_FUNCTIONS_KEPT) && !version.function_pruned) {
      await ctx.functions.delete(version.function_name);
      if (!dropRecord)
        await ctx.store.versions.update(tenantId, actionId, version.number, { function_pruned: true });
    }
    if (dropRecord) await ctx.store.versions.delete(tenantId, actionId, version.number);
  }
}

/**
 * The platform itself could not finish a build (the builder crashed, timed out, or a service it
 * needs stayed down) on the job's last delivery. Without this the action or version would stay
 * `building` forever once SQS parks the job in its DLQ: record `failed` with what happened and
 * what to do. A redriven job still rebuilds: a draft in `failed` or a version not `built` is built
 * again on delivery. Returns whether the failure was recorded (a newer draft revision wins).
 */
export async function recordPlatformBuildFailure(
  ctx: ActionsContext,
  job: BuildJob,
  reason: string,
): Promise<boolean> {
  const errors: BuildError[] = [
    {
      id: 'platform_error',
      msg: `The build could not complete: ${reason}. Update the action (or deploy again) to retry.`,
    },
  ];
  if (job.kind === 'retire-functions') return false; // nothing to record: the action is gone
  if (job.kind === 'draft') {
    return ctx.store.actions.recordBuild(job.tenant_id, job.action_id, job.revision, {
      status: 'failed',
      errors,
    });
  }
  const version = (await ctx.store.versions.list(job.tenant_id, job.action_id)).find(
    (v) => v.number === job.number,
  );
  if (!version || version.status === 'built') return false;
  await ctx.store.versions.update(job.tenant_id, job.action_id, job.number, { status: 'failed', errors });
  return true;
}
