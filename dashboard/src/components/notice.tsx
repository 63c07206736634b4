/** A message about what just happened: errors interrupt screen readers, the rest waits politely. */
import type { ReactNode } from 'react';

export interface NoticeProps {
  kind: 'error' | 'success' | 'info';
  title?: string;
  children: ReactNode;
  onDismiss?: () => void;
}

export function Notice({ kind, title, children, onDismiss }: NoticeProps) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="notice-body">
        {title && <strong>{title} </strong>}
        {children}
      </div>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <Notice kind="error">
      {error.message}
      {onRetry && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onRetry}>
            Try again
          </button>
        </>
      )}
    </Notice>
  );
}
