/** Calls `tick` every `ms` while `active`; the latest `tick` is used without restarting the timer. */
import { useEffect, useRef } from 'react';

export function useInterval(tick: () => void, ms: number, active = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}
