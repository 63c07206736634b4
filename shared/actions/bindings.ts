/**
 * Flows: the ordered chain of actions bound to a trigger. A PATCH replaces the whole list in one
 * conditional write of the flow item. Only deployed actions that support the trigger may be bound.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { ActionRecord, BindingRecord, FlowRecord } from '../model/actions.ts';
import type { TriggerId } from '../triggers/ids.ts';
import type { ActionsContext } from './context.ts';
import { settleChains } from './go-live.ts';
import type { updateBindingsBody } from './schemas.ts';

export interface ResolvedBinding {
  binding: BindingRecord;
  action: ActionRecord;
}

/** The flow with its actions; bindings whose action vanished are skipped. */
export async function getBindings(ctx: ActionsContext, tenantId: string, triggerId: TriggerId) {
  const flow = await ctx.store.flows.get(tenantId, triggerId);
  return { flow, bindings: await resolve(ctx, tenantId, flow) };
}

async function resolve(ctx: ActionsContext, tenantId: string, flow: FlowRecord): Promise<ResolvedBinding[]> {
  const actions = await Promise.all(flow.bindings.map((b) => ctx.store.actions.get(tenantId, b.action_id)));
  return flow.bindings.flatMap((binding, i) => {
    const action = actions[i];
    return action ? [{ binding, action }] : [];
  });
}

export async function updateBindings(
  ctx: ActionsContext,
  tenantId: string,
  triggerId: TriggerId,
  input: z.output<typeof updateBindingsBody>,
): Promise<ResolvedBinding[]> {
  const flow = await ctx.store.flows.get(tenantId, triggerId);
  const now = new Date(ctx.now()).toISOString();
  const resolved: ResolvedBinding[] = [];
  for (const [index, item] of input.bindings.entries()) {
    const action = await findAction(ctx, tenantId, flow, item.ref);
    const where = `bindings.${index}`;
    if (!action)
      throw new ValidationError(`${where}: no action matches ${item.ref.type} '${item.ref.value}'.`);
    if (!action.supported_triggers.some((t) => t.id === triggerId)) {
      throw new ValidationError(
        `${where}: action '${action.name}' does not support the ${triggerId} trigger.`,
      );
    }
    if (!action.deployed) {
      throw new ValidationError(`${where}: action '${action.name}' must be deployed before it can be bound.`);
    }
    if (resolved.some((r) => r.action.id === action.id)) {
      throw new ValidationError(`${where}: action '${action.name}' is already bound to this trigger.`);
    }
    const previous = flow.bindings.find((b) => b.action_id === action.id);
    resolved.push({
      action,
      binding: {
        id: previous?.id ?? ctx.newId(),
        action_id: action.id,
        display_name: item.display_name ?? previous?.display_name ?? action.name,
        created_at: previous?.created_at ?? now,
        updated_at: now,
      },
    });
  }
  await ctx.store.flows.replace(
    tenantId,
    triggerId,
    flow.revision,
    resolved.map((r) => r.binding),
  );
  ctx.chainsChanged?.(tenantId);
  // The next execute, whichever dispatcher serves it, runs the new chain.
  await settleChains(ctx);
  return resolved;
}

async function findAction(
  ctx: ActionsContext,
  tenantId: string,
  flow: FlowRecord,
  ref: { type: 'action_id' | 'action_name' | 'binding_id'; value: string },
): Promise<ActionRecord | undefined> {
  switch (ref.type) {
    case 'action_id':
      return ctx.store.actions.get(tenantId, ref.value);
    case 'action_name':
      return ctx.store.actions.findByName(tenantId, ref.value);
    case 'binding_id': {
      const binding = flow.bindings.find((b) => b.id === ref.value);
      return binding ? ctx.store.actions.get(tenantId, binding.action_id) : undefined;
    }
  }
}
