import type { StatusLabel } from '../action-status.ts';

export function StatusBadge({ status }: { status: StatusLabel }) {
  return (
    <span className={`badge badge-${status.tone}`} title={status.detail} data-testid="status-badge">
      {status.text}
      <span className="visually-hidden">: {status.detail}</span>
    </span>
  );
}
