/**
 * The test runner: the trigger's sample event, editable, run against the saved draft (never a
 * live version). Shows what the action asked for (commands), its console output, its error and
 * the timings.
 */
import { useState } from 'react';
import type { TestOutcome as Outcome } from '../../../../shared/client/index.ts';
import { useApi } from '../../api/context.tsx';
import { ErrorNotice } from '../../components/notice.tsx';
import { duration } from '../../format.ts';
import type { TriggerInfo } from '../../triggers.ts';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export interface TestPanelProps {
  actionId: string;
  trigger: TriggerInfo;
  /** Saves unsaved code and waits for its build. */
  beforeRun: () => Promise<unknown>;
  dirty: boolean;
}

export function TestPanel({ actionId, trigger, beforeRun, dirty }: TestPanelProps) {
  const api = useApi();
  const [eventText, setEventText] = useState(() => pretty(trigger.sampleEvent));
  const [result, setResult] = useState<Outcome['payload']>();
  const [error, setError] = useState<Error>();
  const [running, setRunning] = useState(false);

  const run = async () => {
    let event: unknown;
    try {
      event = JSON.parse(eventText);
    } catch (parseError) {
      setError(new Error(`The event is not valid JSON: ${(parseError as Error).message}`));
      return;
    }
    setRunning(true);
    setError(undefined);
    try {
      await beforeRun();
      setResult((await api.testAction(actionId, event)).payload);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="test-panel">
      <div className="test-input">
        <label htmlFor="test-event">Event ({trigger.id})</label>
        <textarea
          id="test-event"
          className="code-input"
          spellCheck={false}
          rows={18}
          value={eventText}
          onChange={(e) => setEventText(e.target.value)}
        />
        <div className="form-actions">
          <button type="button" className="button-primary" onClick={run} disabled={running}>
            {running ? 'Running…' : 'Run test'}
          </button>
          <button type="button" onClick={() => setEventText(pretty(trigger.sampleEvent))}>
            Reset to sample
          </button>
        </div>
        <p className="help">
          {dirty ? 'Your unsaved code is saved and built before the test runs. ' : ''}
          Tests run the draft, never a deployed version; calls your code makes still happen.
        </p>
      </div>
      <section className="test-output" aria-live="polite" aria-labelledby="test-result-title">
        <h2 id="test-result-title">Result</h2>
        {error && <ErrorNotice error={error} />}
        {!result && !error && (
          <p className="help">Run the test to see the commands, console output and timings.</p>
        )}
        {result && <TestOutcome result={result} />}
      </section>
    </div>
  );
}

function TestOutcome({ result }: { result: Outcome['payload'] }) {
  return (
    <div data-testid="test-result">
      <p>
        Status: <strong className={`outcome outcome-${result.status}`}>{result.status}</strong>
      </p>
      {result.error && (
        <div className="notice notice-error" role="alert">
          <strong>{result.error.name}:</strong> {result.error.message}
          {result.error.stack && <pre className="stack">{result.error.stack}</pre>}
        </div>
      )}
      <h3>Commands ({result.commands.length})</h3>
      {result.commands.length === 0 ? (
        <p className="help">The action asked for nothing.</p>
      ) : (
        <pre className="json-block" data-testid="test-commands">
          {pretty(result.commands)}
        </pre>
      )}
      <h3>Console output ({result.logs.length})</h3>
      {result.logs.length === 0 ? (
        <p className="help">Nothing was logged.</p>
      ) : (
        <ol className="console" data-testid="test-logs">
          {result.logs.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: console lines have no identity but their order.
            <li key={index} className={`console-line level-${line.level}`}>
              <span className="console-level">{line.level}</span> {line.message}
            </li>
          ))}
        </ol>
      )}
      <h3>Timings</h3>
      <dl className="stats">
        {Object.entries(result.stats ?? {}).map(([name, value]) => (
          <div key={name}>
            <dt>{name.replace(/_ms$/, '').replaceAll('_', ' ')}</dt>
            <dd>{duration(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
