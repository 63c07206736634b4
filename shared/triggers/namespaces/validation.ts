/** `api.validation.error`: reject with a customer-defined code and message; the chain stops like a deny. */
import { z } from 'zod';
import { type ChainState, defineCommand, type Namespace } from '../framework.ts';
import { nonEmptyString } from '../values.ts';

export interface ValidationSection {
  [key: string]: unknown;
  validation_error: { code: string; message: string } | null;
}

const error = defineCommand({
  type: 'validation.error',
  fields: () =>
    z.object({ errorCode: nonEmptyString('errorCode'), errorMessage: nonEmptyString('errorMessage') }),
  effect: 'stop',
  apply: (state: ChainState<ValidationSection>, { errorCode, errorMessage }) => {
    state.result.validation_error = { code: errorCode, message: errorMessage };
  },
});

export function validation(): Namespace<ValidationSection> {
  return {
    initial: () => ({ validation_error: null }),
    commands: [error],
    build: (ctx) => ({
      error(errorCode: string, errorMessage: string) {
        ctx.record(error, { errorCode, errorMessage });
        return ctx.api;
      },
    }),
  };
}
