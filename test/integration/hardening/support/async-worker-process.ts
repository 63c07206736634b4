/**
 * The async worker in a process of its own, so a test can kill it mid-batch (SIGKILL: no cleanup,
 * no batch response, no deletes) as Lambda's sandbox can die. It is the same handler and the same
 * local event-source poller the stack runs in-process, on the stack's queues and table: the
 * configuration comes as JSON in HOOKCHAIN_TEST_CONFIG, the endpoints and credentials in the
 * standard AWS_* variables. Prints `ready` once polling.
 */
import { createAsyncWorkerHandler } from '../../../../functions/async-worker/handler.ts';
import { createPlatform } from '../../../../functions/platform.ts';
import { createLogger } from '../../../../infra/local/logger.ts';
import { startQueuePoller } from '../../../../infra/local/sqs-poller.ts';
import type { HookchainConfig } from '../../../../shared/config.ts';

const config = JSON.parse(process.env.HOOKCHAIN_TEST_CONFIG ?? '{}') as HookchainConfig;
const platform = createPlatform(config);
startQueuePoller(
  {
    queueUrl: config.triggerQueueUrl,
    name: 'hookchain-async-worker (child)',
    handler: createAsyncWorkerHandler(() => platform),
    batchSize: 10,
    waitTimeSeconds: 1,
    // A short invocation, so the leases this worker takes (its time left + a margin) end soon after it is killed.
    timeoutMs: 5_000,
  },
  { sqs: platform.sqs, logger: createLogger({ level: 'silent', component: 'child-worker' }) },
);
process.stdout.write('ready\n');
