/**
 * Milliseconds on a monotonic clock, for the runtime's own durations. Not `performance.now()`: the
 * first read of the `performance` global loads Node's perf_hooks (a few ms of every cold start of
 * an action that never uses it); `process.hrtime` is already there.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}
