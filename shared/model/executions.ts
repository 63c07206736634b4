/** What Hookchain records about trigger executions, and what a suspended chain leaves behind. */

import type { Suspension } from '../flow/types.ts';
import type { ActionError } from '../runtime/protocol.ts';
import type { TriggerId } from '../triggers/ids.ts';

/** Auth0's execution statuses; `failed` and `denied` are Hookchain's sync outcomes, kept for reading back. */
export type ExecutionStatus =
  | 'pending'
  | 'final'
  | 'partial'
  | 'suspended'
  | 'failed'
  | 'denied'
  | 'canceled';

export interface ExecutionResult {
  action_id: string;
  action_name: string;
  version_id?: string;
  entrypoint: string;
  error: ActionError | null;
  /** ISO-8601. */
  started_at: string;
  ended_at: string;
  duration_ms: number;
  stats: { boot_ms: number; duration_ms: number };
}

export interface ExecutionRecord {
  tenant_id: string;
  id: string;
  trigger_id: TriggerId;
  status: ExecutionStatus;
  results: ExecutionResult[];
  /** Async executions keep the event until they ran, so a redelivery can run them. */
  event?: Record<string, unknown>;
  /** Deliveries of an async execution so far. */
  attempts?: number;
  /** The async delivery running the chain now, and until when its lease holds (epoch ms). */
  lease_holder?: string;
  lease_until?: number;
  created_at: string;
  updated_at: string;
  /** Epoch seconds: DynamoDB's TTL attribute. Readers ignore records past it (TTL deletes lazily). */
  expires_at: number;
}

/** A suspended chain, stored under the hash of the opaque state handed to the caller. */
export interface ContinueStateRecord {
  hash: string;
  tenant_id: string;
  suspension: Suspension;
  /** The exact versions that were running, so the resume runs them and no others. */
  chain: ResolvedAction[];
  expires_at: number;
}

/** Auth0 keeps execution records for 10 days. */
export const EXECUTION_TTL_SECONDS = 10 * 24 * 60 * 60;
/** Auth0 expires redirect-based login transactions after 1 hour. */
export const CONTINUE_STATE_TTL_SECONDS = 60 * 60;

/** A bound action as a chain runs it: its live version's function, secrets and settings. */
export interface ResolvedAction {
  action_id: string;
  action_name: string;
  version_id: string;
  version_number: number;
  function_name: string;
  secrets_ciphertext: string | null;
  /** The pinned modules' encrypted secrets, by module name. */
  modules?: Array<{ name: string; secrets_ciphertext: string | null }>;
  /** An installed integration's configuration (plain text). */
  configuration?: Record<string, string>;
}
