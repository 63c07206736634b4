/**
 * Live logs: one entry per action run with its console output, newest at the bottom, polled from
 * the logs API every 2-5 s (CloudWatch's read quota is shared by the whole account: see
 * shared/client/log-poll.ts). Filters by action, trigger and execution go to the API; text and level filter in
 * the page. The list scrolls in a fixed-height box, so streaming never shifts the layout, and it
 * follows new lines only while the reader is at the bottom.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ActionRunLog, LogQuery } from '../../../shared/client/index.ts';
import { useApi } from '../api/context.tsx';
import { duration } from '../format.ts';
import { useInterval } from '../hooks/use-interval.ts';
import { useResource } from '../hooks/use-resource.ts';
import { matchesLocal, mergeRuns, nextPollDelayMs, OVERLAP_MS, runKey } from '../logs/tail.ts';
import { hrefOf } from '../routes.ts';
import { TRIGGERS } from '../triggers.ts';

const FIRST_WINDOW_MS = 60 * 60 * 1000;

type Connection =
  | { state: 'connecting' }
  | { state: 'live'; at: number }
  | { state: 'paused' }
  | { state: 'down'; reason: string };

export function LogsPage() {
  const api = useApi();
  const actions = useResource(() => api.listActions(), [api]);
  const [filters, setFilters] = useState<Pick<LogQuery, 'action' | 'trigger' | 'execution'>>({});
  const [text, setText] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [runs, setRuns] = useState<ActionRunLog[]>([]);
  const [paused, setPaused] = useState(false);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  const [openedAt] = useState(() => Date.now());
  // Each poll picks the next one's delay: jittered, and later when the server asks (retry_after).
  const [pollMs, setPollMs] = useState(() => nextPollDelayMs());
  const inFlight = useRef(false);
  // Bumped when the filters change: an answer to a query made under older filters is dropped.
  const generation = useRef(0);
  const box = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  const poll = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const asked = generation.current;
    try {
      const newest = runs.at(-1)?.timestamp;
      const since = newest === undefined ? openedAt - FIRST_WINDOW_MS : newest - OVERLAP_MS;
      const page = await api.queryLogs({ ...filters, since, limit: 1000 });
      setPollMs(nextPollDelayMs(page.retry_after));
      if (asked !== generation.current) return;
      setRuns((shown) => mergeRuns(shown, page.logs));
      setConnection({ state: 'live', at: Date.now() });
    } catch (error) {
      setPollMs(nextPollDelayMs());
      setConnection({ state: 'down', reason: (error as Error).message });
    } finally {
      inFlight.current = false;
    }
  }, [api, filters, runs, openedAt]);

  // New server-side filters: start over.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a filter change is the trigger.
  useEffect(() => {
    generation.current += 1;
    inFlight.current = false;
    setRuns([]);
    following.current = true;
  }, [filters]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: poll at once when filters or pause change, not on every new run.
  useEffect(() => {
    if (!paused) void poll();
  }, [filters, paused]);
  useInterval(() => void poll(), pollMs, !paused);
  useEffect(() => setConnection(paused ? { state: 'paused' } : { state: 'connecting' }), [paused]);

  const visible = runs.filter((run) => matchesLocal(run, { text, errorsOnly }));

  useLayoutEffect(() => {
    const element = box.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  });

  const actionNames = [...new Set((actions.data ?? []).map((a) => a.name))].sort();

  return (
    <section aria-labelledby="logs-title" className="logs">
      <div className="page-header">
        <h1 id="logs-title">Logs</h1>
        <div className="toolbar">
          <ConnectionStatus connection={connection} />
          <button type="button" onClick={() => setPaused(!paused)} aria-pressed={paused}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" onClick={() => setRuns([])}>
            Clear
          </button>
        </div>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Log filters">
        <div className="field">
          <label htmlFor="log-action">Action</label>
          <select
            id="log-action"
            value={filters.action ?? ''}
            onChange={(e) => setFilters({ ...filters, action: e.target.value || undefined })}
          >
            <option value="">All actions</option>
            {actionNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-trigger">Trigger</label>
          <select
            id="log-trigger"
            value={filters.trigger ?? ''}
            onChange={(e) => setFilters({ ...filters, trigger: e.target.value || undefined })}
          >
            <option value="">All triggers</option>
            {TRIGGERS.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-execution">Execution</label>
          <input
            id="log-execution"
            value={filters.execution ?? ''}
            onChange={(e) => setFilters({ ...filters, execution: e.target.value.trim() || undefined })}
            placeholder="execution id"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor="log-search">Search</label>
          <input
            id="log-search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="text in output"
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />
          Errors only
        </label>
      </form>
      <ol
        ref={box}
        className="log-box"
        aria-label="Action runs, oldest first"
        data-testid="log-lines"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll box must be reachable by keyboard.
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {visible.length === 0 && (
          <li className="log-empty">
            {runs.length === 0
              ? 'Waiting for action runs… Trigger a flow to see its logs here.'
              : 'No run matches the filters.'}
          </li>
        )}
        {visible.map((run) => (
          <li key={runKey(run)} className={`log-run level-${run.level}`} data-testid="log-run">
            <div className="log-head">
              <time dateTime={new Date(run.timestamp).toISOString()}>
                {new Date(run.timestamp).toLocaleTimeString()}
              </time>
              <span className="log-trigger">{run.trigger_id}</span>
              <span className="log-message">{run.message}</span>
              <span className="help">{duration(run.duration_ms)}</span>
              <a
                href={hrefOf({ page: 'executions', executionId: run.execution_id })}
                className="log-execution"
              >
                {run.execution_id}
              </a>
            </div>
            {run.logs.length > 0 && (
              <ol className="console">
                {run.logs.map((line, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: console lines have no identity but their order.
                  <li key={index} className={`console-line level-${line.level}`}>
                    <span className="console-level">{line.level}</span> {line.message}
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ConnectionStatus({ connection }: { connection: Connection }) {
  const [text, tone] =
    connection.state === 'live'
      ? [`Live · updated ${new Date(connection.at).toLocaleTimeString()}`, 'good']
      : connection.state === 'paused'
        ? ['Paused', 'neutral']
        : connection.state === 'connecting'
          ? ['Connecting…', 'busy']
          : [`Disconnected: ${connection.reason} Retrying.`, 'bad'];
  return (
    <span className={`badge badge-${tone} connection`} role="status" data-testid="log-connection">
      {text}
    </span>
  );
}
