/**
 * The integration catalog: partner-built actions an operator publishes once for every tenant.
 * An integration is a catalog entry with immutable releases; each release carries closed code,
 * pinned dependencies and the declaration of the secrets and configuration a tenant provides.
 */
import type { Dependency, TriggerRef } from './actions.ts';

export interface FieldOption {
  value: string;
  label: string;
}

/** One entry of `configuration.json`'s `secrets[]` or `configuration[]`. */
export interface FieldDeclaration {
  /** ALL_CAPS_SNAKE_CASE: the key in `event.secrets` / `event.configuration`. */
  name: string;
  label: string;
  description: string;
  /** Used when an installer gives no value; without one the field is required. */
  default_value?: string;
  /** What the partner's own test deployments use (kept for the kit; installs never use it). */
  deploy_value?: string;
  /** When present, a value must be one of these. */
  options?: FieldOption[];
}

export interface IntegrationRecord {
  /** The catalog slug (`name` when publishing): stable across releases. */
  id: string;
  display_name: string;
  description: string;
  short_description: string;
  /** Who built it (Auth0's `partner_id`). */
  partner?: string;
  /** Fixed for the integration's life: an upgrade never moves an action to another trigger. */
  supported_triggers: TriggerRef[];
  latest_release?: { id: string; version: number; created_at: string };
  /** Atomic counter handing out release numbers. */
  release_counter: number;
  created_at: string;
  updated_at: string;
}

export interface IntegrationReleaseRecord {
  integration_id: string;
  id: string;
  /** 1, 2, ...: what tenants install and upgrade to. */
  version: number;
  code: string;
  runtime: string;
  dependencies: Dependency[];
  secrets: FieldDeclaration[];
  configuration: FieldDeclaration[];
  notes?: string;
  created_at: string;
}
