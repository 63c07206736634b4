/** Look up one execution by id (from a trigger's response or a log line): each action's result. */
import { type FormEvent, useState } from 'react';
import { useApi } from '../api/context.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { absoluteTime, duration } from '../format.ts';
import { useResource } from '../hooks/use-resource.ts';
import { hrefOf } from '../routes.ts';
import { navigate } from '../routing.ts';

export function ExecutionsPage({ executionId }: { executionId: string | undefined }) {
  const [input, setInput] = useState(executionId ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (input.trim()) navigate({ page: 'executions', executionId: input.trim() });
  };
  return (
    <section aria-labelledby="executions-title">
      <div className="page-header">
        <h1 id="executions-title">Executions</h1>
      </div>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="execution-id">Execution id</label>
        <input
          id="execution-id"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="01J…"
          spellCheck={false}
        />
        <button type="submit" className="button-primary">
          Show
        </button>
      </form>
      <p className="help">
        Every trigger response carries its execution id; executions are kept for 10 days. Log lines link here
        too.
      </p>
      {executionId && <ExecutionDetails key={executionId} executionId={executionId} />}
    </section>
  );
}

function ExecutionDetails({ executionId }: { executionId: string }) {
  const api = useApi();
  const execution = useResource(() => api.getExecution(executionId), [api, executionId]);
  if (execution.error) return <ErrorNotice error={execution.error} onRetry={execution.reload} />;
  if (!execution.data) return <p className="loading">Loading the execution…</p>;
  const { data } = execution;
  return (
    <article className="card" aria-labelledby="execution-title" data-testid="execution">
      <h2 id="execution-title">
        <code>{data.id}</code>
      </h2>
      <dl className="facts">
        <div>
          <dt>Trigger</dt>
          <dd>
            <a href={hrefOf({ page: 'flows', triggerId: data.trigger_id })}>{data.trigger_id}</a>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`outcome outcome-${data.status}`}>{data.status}</span>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{absoluteTime(data.created_at)}</dd>
        </div>
        {data.attempts !== undefined && (
          <div>
            <dt>Attempts</dt>
            <dd>{data.attempts}</dd>
          </div>
        )}
      </dl>
      <div className="table-wrap">
        <table className="table table-stacking">
          <caption className="visually-hidden">Action results, in the order they ran</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Result</th>
              <th scope="col">Duration</th>
              <th scope="col">Boot</th>
            </tr>
          </thead>
          <tbody>
            {data.results.map((result) => (
              <tr key={result.action_id ?? result.action_name}>
                <td data-label="Action">
                  {result.action_id ? (
                    <a href={hrefOf({ page: 'action', actionId: result.action_id, tab: 'code' })}>
                      {result.action_name}
                    </a>
                  ) : (
                    result.action_name
                  )}
                </td>
                <td data-label="Result">
                  {result.error ? (
                    <span className="outcome outcome-failed">
                      {result.error.id}: {result.error.msg}
                    </span>
                  ) : (
                    <span className="outcome outcome-success">ok</span>
                  )}
                </td>
                <td data-label="Duration">{duration(result.response?.stats?.total_request_duration_ms)}</td>
                <td data-label="Boot">{duration(result.response?.stats?.boot_duration_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.results.length === 0 && <p className="help">No action ran in this execution.</p>}
    </article>
  );
}
