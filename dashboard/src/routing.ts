/**
 * The current route as state, following the address bar's hash, and a guard a page with unsaved
 * work sets so that leaving it (a link, the back button, closing the tab) asks first.
 */
import { useEffect, useState } from 'react';
import { hrefOf, parseRoute, type Route } from './routes.ts';

/** Answers whether the user may go to `next`; asks them when it must. */
type LeaveGuard = (next: Route) => boolean;
let leaveGuard: LeaveGuard | undefined;

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (event: HashChangeEvent) => {
      const next = parseRoute(window.location.hash);
      if (leaveGuard && !leaveGuard(next)) {
        // Stay: put the address back without another hashchange.
        window.history.replaceState(null, '', event.oldURL);
        return;
      }
      setRoute(next);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/**
 * While `active`, leaving for a route `stays` does not accept asks `question` first, and closing
 * or reloading the tab asks the browser's own question.
 */
export function useLeaveGuard(active: boolean, question: string, stays: (next: Route) => boolean): void {
  useEffect(() => {
    if (!active) return;
    const guard: LeaveGuard = (next) => stays(next) || window.confirm(question);
    leaveGuard = guard;
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => {
      if (leaveGuard === guard) leaveGuard = undefined;
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [active, question, stays]);
}
