/** A clock the test moves by hand; it starts at the real time, so the runtime's own clock agrees. */
export interface ManualClock {
  (): number;
  advance(ms: number): void;
}

export function manualClock(start = Date.now()): ManualClock {
  let current = start;
  const clock = (() => current) as ManualClock;
  clock.advance = (ms) => {
    current += ms;
  };
  return clock;
}
