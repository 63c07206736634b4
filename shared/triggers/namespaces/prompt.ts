/** `api.prompt.render`: show a form/custom prompt; like a redirect, the chain suspends until `continue`. */
import { z } from 'zod';
import { InvalidApiCallError } from '../../errors.ts';
import { type ChainState, defineCommand, type Namespace } from '../framework.ts';
import { jsonBytes, nonEmptyString } from '../values.ts';

export interface PromptSection {
  [key: string]: unknown;
  prompt: { id: string; fields: Record<string, unknown>; vars: Record<string, unknown> } | null;
}

/** Auth0 limits the size of render options; 10 kB of JSON is the documented order of magnitude. */
const MAX_OPTIONS_BYTES = 10 * 1024;

const render = defineCommand({
  type: 'prompt.render',
  fields: () =>
    z.object({
      promptId: nonEmptyString('promptId'),
      fields: z.record(z.string(), z.unknown()).optional(),
      vars: z.record(z.string(), z.unknown()).optional(),
    }),
  effect: 'suspend',
  apply: (state: ChainState<PromptSection>, { promptId, fields, vars }) => {
    state.result.prompt = { id: promptId, fields: fields ?? {}, vars: vars ?? {} };
  },
});

export function prompt(): Namespace<PromptSection> {
  return {
    initial: () => ({ prompt: null }),
    commands: [render],
    build: (ctx) => ({
      render(
        promptId: string,
        options: { fields?: Record<string, unknown>; vars?: Record<string, unknown> } = {},
      ) {
        if (ctx.recorded.some((c) => c.type === 'prompt.render')) {
          throw new InvalidApiCallError('api.prompt.render: only one prompt may be rendered per action.');
        }
        if (ctx.recorded.some((c) => c.type === 'redirect.sendUserTo')) {
          throw new InvalidApiCallError(
            'api.prompt.render: cannot be combined with api.redirect.sendUserTo in one action.',
          );
        }
        const size = jsonBytes(options ?? {});
        if (size === undefined) {
          throw new InvalidApiCallError('api.prompt.render: options must be JSON-serialisable.');
        }
        if (size > MAX_OPTIONS_BYTES) {
          throw new InvalidApiCallError(
            `api.prompt.render: options must be at most ${MAX_OPTIONS_BYTES} bytes of JSON.`,
          );
        }
        ctx.record(render, { promptId, fields: options?.fields, vars: options?.vars });
        return ctx.api;
      },
    }),
  };
}
