/** `api.multifactor.enable`: require MFA with a provider; the caller runs the challenge after the chain. */
import { z } from 'zod';
import { type ChainState, defineCommand, type Namespace } from '../framework.ts';
import { nonEmptyString } from '../values.ts';

export const MFA_PROVIDERS = ['any', 'none', 'guardian', 'google-authenticator', 'duo'] as const;

export interface MultifactorSection {
  [key: string]: unknown;
  multifactor: {
    provider: (typeof MFA_PROVIDERS)[number];
    allow_remember_browser: boolean;
    provider_options?: Record<string, unknown>;
  } | null;
}

const enable = defineCommand({
  type: 'multifactor.enable',
  fields: () =>
    z.object({
      provider: z.enum(MFA_PROVIDERS, { error: `provider must be one of ${MFA_PROVIDERS.join(', ')}` }),
      options: z
        .object({
          allowRememberBrowser: z.boolean({ error: 'allowRememberBrowser must be a boolean' }).optional(),
          providerOptions: z
            .object({
              host: nonEmptyString('providerOptions.host'),
              ikey: nonEmptyString('providerOptions.ikey'),
              skey: nonEmptyString('providerOptions.skey'),
              username: z.string().optional(),
            })
            .optional(),
        })
        .optional(),
    }),
  apply: (state: ChainState<MultifactorSection>, { provider, options }) => {
    state.result.multifactor = {
      provider,
      allow_remember_browser: options?.allowRememberBrowser ?? false,
      ...(options?.providerOptions ? { provider_options: options.providerOptions } : {}),
    };
  },
});

export function multifactor(): Namespace<MultifactorSection> {
  return {
    initial: () => ({ multifactor: null }),
    commands: [enable],
    build: (ctx) => ({
      enable(provider: string, options?: unknown) {
        ctx.record(enable, { provider, options });
        return ctx.api;
      },
    }),
  };
}
