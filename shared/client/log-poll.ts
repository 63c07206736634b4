/**
 * How often a log tail asks again. CloudWatch serves FilterLogEvents at 5 requests per second for
 * the whole account and region, shared by every tail, logs page and the platform itself: each
 * client polls every 2-5 s, jittered so tails started together do not ask together, and never
 * sooner than the server's `retry_after` (its read quota is spent). The CLI's tail and the
 * dashboard's logs page both pace themselves with it.
 */
export const POLL_MIN_MS = 2_000;
export const POLL_MAX_MS = 5_000;

export function nextPollDelayMs(retryAfterSeconds?: number, random: () => number = Math.random): number {
  const paced = POLL_MIN_MS + random() * (POLL_MAX_MS - POLL_MIN_MS);
  if (retryAfterSeconds === undefined) return paced;
  // Past the server's hint, spread out again so the waiting tails do not return in one burst.
  return Math.max(paced, retryAfterSeconds * 1000 + random() * 1000);
}
