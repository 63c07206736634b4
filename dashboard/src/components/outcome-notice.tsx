/** What an action the user took came to: a success or progress note, or the error. */
import { ErrorNotice, Notice } from './notice.tsx';

export type Outcome = { kind: 'success' | 'info'; text: string } | { kind: 'error'; error: Error };

export function OutcomeNotice({
  outcome,
  onDismiss,
}: {
  outcome: Outcome | undefined;
  onDismiss: () => void;
}) {
  if (!outcome) return null;
  if (outcome.kind === 'error') return <ErrorNotice error={outcome.error} />;
  return (
    <Notice kind={outcome.kind} onDismiss={onDismiss}>
      {outcome.text}
    </Notice>
  );
}
