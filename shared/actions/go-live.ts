/**
 * "Deploy means live": `POST .../deploy` and a rollback answer only once the new version serves
 * every dispatcher, so a bindings PATCH or an execute sent right after sees it (Auth0's own deploy
 * answers before that, and callers sleep: auth0-deploy-cli issue 385). The builder does the work
 * (bundle, function Active, warm-up, cut-over); deploy waits for it with consistent reads, within a
 * bound well inside API Gateway's 29 s, then waits out the dispatchers' chain cache
 * (`chainSettleMs`) so no container still runs the previous chain. docs/decisions.md says why.
 */
import { ConflictError, ValidationError } from '../errors.ts';
import type { ActionRecord, VersionRecord } from '../model/actions.ts';
import type { ActionsContext } from './context.ts';
import { requireAction } from './drafts.ts';
import { deployDraft, rollback } from './versions.ts';

/** How long deploy waits for a build and cut-over before answering that it is still in progress. */
export const GO_LIVE_TIMEOUT_MS = 20_000;

/**
 * Polls every 20 ms for the first 2 s (a no-dependency build goes live in a few hundred ms locally,
 * and each step of a coarser poll adds to every deploy), then back off to 250 ms (on AWS a new
 * function is Pending for seconds). Each poll is one or two consistent reads.
 */
const QUICK_POLL_MS = 20;
const QUICK_POLLING_FOR_MS = 2_000;
const MAX_POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Deadline {
  /** Epoch ms past which waiting gives up. */
  at: number;
}

function newDeadline(timeoutMs = GO_LIVE_TIMEOUT_MS): Deadline {
  return { at: Date.now() + timeoutMs };
}

/** Calls `check` until it answers; undefined once the deadline passes. */
async function pollUntil<T>(deadline: Deadline, check: () => Promise<T | undefined>): Promise<T | undefined> {
  const started = Date.now();
  let delay = QUICK_POLL_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline.at - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(delay, left));
    if (Date.now() - started > QUICK_POLLING_FOR_MS) delay = Math.min(MAX_POLL_MS, Math.round(delay * 1.5));
  }
}

const buildErrors = (errors: Array<{ msg: string }>) =>
  errors.length > 0 ? ` ${errors.map((e) => e.msg).join(' ')}` : '';

/** A draft still building is waited for (create then deploy works without polling in between). */
async function awaitBuiltDraft(
  ctx: ActionsContext,
  tenantId: string,
  actionId: string,
  deadline: Deadline,
): Promise<ActionRecord> {
  const settled = await pollUntil(deadline, async () => {
    const action = await requireAction(ctx, tenantId, actionId);
    return action.status === 'built' || action.status === 'failed' ? action : undefined;
  });
  if (!settled) {
    throw new ConflictError(
      'The draft is still building; deploy again once GET /actions/{id} reports status "built".',
      'draft_not_built',
    );
  }
  if (settled.status === 'failed') {
    throw new ValidationError(
      `The draft's build failed, so it cannot be deployed.${buildErrors(settled.errors)}`,
      'draft_not_built',
    );
  }
  return settled;
}

/** Waits until `version` is the action's live version, then until every dispatcher runs it. */
async function awaitLive(
  ctx: ActionsContext,
  version: VersionRecord,
  deadline: Deadline,
): Promise<VersionRecord> {
  const { tenant_id: tenantId, action_id: actionId } = version;
  const outcome = await pollUntil(deadline, async () => {
    const action = await requireAction(ctx, tenantId, actionId);
    // A newer deploy that went live first supersedes this one: this version will not serve.
    if ((action.deployed?.number ?? 0) >= version.number) return 'live' as const;
    const current = await ctx.store.versions.get(tenantId, actionId, version.id);
    return current?.status === 'failed' ? current : undefined;
  });
  if (outcome === undefined) {
    throw new ConflictError(
      `Version ${version.number} is still being built; it goes live when its build finishes ` +
        `(GET /actions/${actionId}/versions/${version.id} reports it). Deploying again would create another version.`,
      'deploy_in_progress',
    );
  }
  if (outcome !== 'live') {
    throw new ValidationError(
      `Version ${version.number} could not be built, so the live version is unchanged.${buildErrors(outcome.errors)}`,
      'version_build_failed',
    );
  }
  await settleChains(ctx);
  return (await ctx.store.versions.get(tenantId, actionId, version.id)) ?? version;
}

/**
 * Dispatchers in other containers cache each chain for `chainSettleMs`: once that has passed since
 * a change, every one of them runs it. Zero where the only dispatcher shares this process and was
 * told directly (`chainsChanged`).
 */
export async function settleChains(ctx: ActionsContext): Promise<void> {
  if (ctx.chainSettleMs && ctx.chainSettleMs > 0) await sleep(ctx.chainSettleMs);
}

/** `POST /actions/{id}/deploy`: the built (or building) draft becomes a version that serves. */
export async function deployLive(ctx: ActionsContext, tenantId: string, actionId: string) {
  const deadline = newDeadline();
  await awaitBuiltDraft(ctx, tenantId, actionId, deadline);
  return awaitLive(ctx, await deployDraft(ctx, tenantId, actionId), deadline);
}

/** `POST /actions/{id}/versions/{vid}/deploy`: a rollback that serves when it answers. */
export async function rollbackLive(...args: Parameters<typeof rollback>) {
  const deadline = newDeadline();
  return awaitLive(args[0], await rollback(...args), deadline);
}
