/** The constructs, for a user's own CDK app: `new Hookchain(this, 'Hookchain', { stage: 'prod' })`. */
export { ActionFunctions } from './action-functions.ts';
export { ActionExecutionRole } from './action-role.ts';
export { HookchainApi } from './api.ts';
export { Hookchain, type HookchainProps } from './hookchain.ts';
export { HookchainNaming } from './naming.ts';
export { PlatformFunction } from './platform-function.ts';
export { WorkQueue } from './queue.ts';
export { HookchainKey } from './secrets-key.ts';
export { HookchainStack } from './stack.ts';
export { HookchainTable } from './table.ts';
