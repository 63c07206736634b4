/**
 * Flows: per trigger, the ordered chain of deployed actions. Drag an action from the list on the
 * right into the chain, or drag links to reorder; every move also has a button, for keyboards.
 * Nothing changes for callers until Apply.
 */
import { type DragEvent, useEffect, useState } from 'react';
import { useApi } from '../api/context.tsx';
import { EmptyState } from '../components/empty-state.tsx';
import { ErrorNotice } from '../components/notice.tsx';
import { type Outcome, OutcomeNotice } from '../components/outcome-notice.tsx';
import { bindingsBody, type ChainLink, insertLink, moveLink, removeLink, sameChain } from '../flows/chain.ts';
import { useResource } from '../hooks/use-resource.ts';
import { hrefOf } from '../routes.ts';
import { TRIGGERS, triggerInfo } from '../triggers.ts';

/** What is being dragged: a link of the chain (by position) or an action from the list. */
type Dragged = { from: 'chain'; index: number } | { from: 'available'; link: ChainLink };
const DRAG_TYPE = 'application/x-hookchain-link';

export function FlowsPage({ triggerId }: { triggerId: string }) {
  const api = useApi();
  const trigger = triggerInfo(triggerId);
  const data = useResource(async () => {
    const [bindings, actions] = await Promise.all([api.getBindings(triggerId), api.listActions()]);
    return { bindings, actions };
  }, [api, triggerId]);
  const saved: ChainLink[] = (data.data?.bindings ?? []).map((b) => ({
    actionId: b.action.id,
    name: b.display_name || b.action.name,
    ...(b.action.deployed_version ? { version: b.action.deployed_version.number } : {}),
  }));
  const [chain, setChain] = useState<ChainLink[]>();
  const [dragged, setDragged] = useState<Dragged>();
  const [dropAt, setDropAt] = useState<number>();
  const [announcement, setAnnouncement] = useState('');
  const [message, setMessage] = useState<Outcome>();
  const [applying, setApplying] = useState(false);

  // A fresh load (or another trigger) resets the working copy.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new load resets it.
  useEffect(() => setChain(undefined), [data.data]);
  const working = chain ?? saved;
  const changed = chain !== undefined && !sameChain(chain, saved);

  const available: ChainLink[] = (data.data?.actions ?? [])
    .filter(
      (a) =>
        a.supported_triggers.some((t) => t.id === triggerId) &&
        a.deployed_version !== undefined &&
        !working.some((l) => l.actionId === a.id),
    )
    .map((a) => ({ actionId: a.id, name: a.name, version: a.deployed_version?.number ?? 0 }));

  const edit = (next: ChainLink[], said: string) => {
    setChain(next);
    setAnnouncement(said);
    setMessage(undefined);
  };
  const add = (link: ChainLink, at = working.length) =>
    edit(
      insertLink(working, link, at),
      `${link.name} added at position ${Math.min(at, working.length) + 1}.`,
    );
  const move = (from: number, to: number) => {
    const link = working[from];
    if (!link || to < 0 || to > working.length) return;
    const next = moveLink(working, from, to);
    edit(next, `${link.name} moved to position ${next.indexOf(link) + 1}.`);
  };

  const apply = async () => {
    setApplying(true);
    setMessage(undefined);
    try {
      await api.setBindings(triggerId, bindingsBody(working));
      await data.reload();
      setMessage({ kind: 'success', text: `The ${trigger?.label ?? triggerId} flow is updated.` });
    } catch (error) {
      setMessage({ kind: 'error', error: error as Error });
    } finally {
      setApplying(false);
    }
  };

  const onDragStart = (event: DragEvent, what: Dragged) => {
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData(DRAG_TYPE, what.from === 'chain' ? String(what.index) : what.link.actionId);
    setDragged(what);
  };
  const onDragOver = (event: DragEvent, at: number) => {
    if (!dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setDropAt(at);
  };
  const onDrop = (event: DragEvent, at: number) => {
    event.preventDefault();
    if (dragged?.from === 'chain') move(dragged.index, at);
    else if (dragged?.from === 'available') add(dragged.link, at);
    setDragged(undefined);
    setDropAt(undefined);
  };
  const onDragEnd = () => {
    setDragged(undefined);
    setDropAt(undefined);
  };

  return (
    <section aria-labelledby="flows-title" className="flows">
      <div className="page-header">
        <h1 id="flows-title">Flows</h1>
      </div>
      <div className="flows-layout">
        <nav aria-label="Triggers" className="trigger-nav">
          <ul>
            {TRIGGERS.map((t) => (
              <li key={t.id}>
                <a
                  href={hrefOf({ page: 'flows', triggerId: t.id })}
                  aria-current={t.id === triggerId ? 'page' : undefined}
                >
                  {t.label}
                  <span className="help"> {t.mode}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="flow-main">
          <div className="flow-header">
            <div>
              <h2>{trigger?.label ?? triggerId}</h2>
              <p className="help">{trigger?.summary}</p>
            </div>
            <div className="toolbar">
              {changed && <span className="tag tag-warn">Not applied</span>}
              <button type="button" disabled={!changed || applying} onClick={() => setChain(undefined)}>
                Discard
              </button>
              <button
                type="button"
                className="button-primary"
                disabled={!changed || applying}
                onClick={apply}
              >
                {applying ? 'Applying…' : 'Apply'}
              </button>
            </div>
          </div>
          <p className="visually-hidden" aria-live="assertive">
            {announcement}
          </p>
          <OutcomeNotice outcome={message} onDismiss={() => setMessage(undefined)} />
          {data.error && <ErrorNotice error={data.error} onRetry={data.reload} />}
          {!data.data && !data.error && <p className="loading">Loading the flow…</p>}
          {data.data && (
            <div className="flow-columns">
              <div className="flow-chain">
                <div className="flow-terminal">Start</div>
                <ol
                  className="chain"
                  aria-label={`Actions bound to ${triggerId}, in order`}
                  data-testid="chain"
                >
                  {working.map((link, index) => (
                    <li
                      key={link.actionId}
                      className={`chain-link${dropAt === index ? ' drop-before' : ''}`}
                      draggable
                      onDragStart={(e) => onDragStart(e, { from: 'chain', index })}
                      onDragOver={(e) => onDragOver(e, index)}
                      onDrop={(e) => onDrop(e, index)}
                      onDragEnd={onDragEnd}
                      data-testid="chain-link"
                    >
                      <span className="drag-handle" aria-hidden="true">
                        ⋮⋮
                      </span>
                      <span className="link-name">
                        <span className="link-position">{index + 1}.</span> {link.name}
                        {link.version !== undefined && <span className="help"> v{link.version}</span>}
                      </span>
                      <span className="link-buttons">
                        <button
                          type="button"
                          className="button-small"
                          disabled={index === 0}
                          onClick={() => move(index, index - 1)}
                          aria-label={`Move ${link.name} up`}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          className="button-small"
                          disabled={index === working.length - 1}
                          onClick={() => move(index, index + 2)}
                          aria-label={`Move ${link.name} down`}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          className="button-small"
                          onClick={() =>
                            edit(removeLink(working, index), `${link.name} removed from the flow.`)
                          }
                          aria-label={`Remove ${link.name} from the flow`}
                        >
                          Remove
                        </button>
                      </span>
                    </li>
                  ))}
                </ol>
                {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for pointers; keyboards use the Add and move buttons. */}
                <div
                  className={`drop-end${dropAt === working.length ? ' drop-active' : ''}${dragged ? ' dragging' : ''}`}
                  onDragOver={(e) => onDragOver(e, working.length)}
                  onDrop={(e) => onDrop(e, working.length)}
                  data-testid="chain-end"
                >
                  {working.length === 0 ? 'Drag an action here, or use Add.' : 'Drop here to run last'}
                </div>
                <div className="flow-terminal">Complete</div>
              </div>
              <aside className="flow-available" aria-labelledby="available-title">
                <h3 id="available-title">Deployed actions</h3>
                {available.length === 0 ? (
                  <EmptyState title="Nothing to add">
                    <p className="help">
                      Deployed {triggerId} actions not in this flow appear here.{' '}
                      <a href={hrefOf({ page: 'new-action' })}>Create an action</a>.
                    </p>
                  </EmptyState>
                ) : (
                  <ul className="available-list">
                    {available.map((link) => (
                      <li
                        key={link.actionId}
                        draggable
                        onDragStart={(e) => onDragStart(e, { from: 'available', link })}
                        onDragEnd={onDragEnd}
                        className="available-action"
                        data-testid="available-action"
                      >
                        <span className="drag-handle" aria-hidden="true">
                          ⋮⋮
                        </span>
                        <span className="link-name">{link.name}</span>
                        <button
                          type="button"
                          className="button-small"
                          onClick={() => add(link)}
                          aria-label={`Add ${link.name} to the end of the flow`}
                        >
                          Add
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </aside>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
