/** How an action's state reads in the dashboard, from its build status and deployment. */
import { type Action, BUILDING_STATES, type BuildStatus } from '../../shared/client/index.ts';

export type Tone = 'neutral' | 'busy' | 'good' | 'warn' | 'bad';

export interface StatusLabel {
  text: string;
  tone: Tone;
  /** A sentence for screen readers and tooltips. */
  detail: string;
}

export function isBuilding(status: BuildStatus): boolean {
  return BUILDING_STATES.includes(status);
}

export function actionStatus(action: Action): StatusLabel {
  if (isBuilding(action.status))
    return { text: 'Building', tone: 'busy', detail: 'The draft is being built.' };
  if (action.status === 'failed')
    return { text: 'Build failed', tone: 'bad', detail: 'The draft failed to build; see its errors.' };
  if (!action.deployed_version)
    return { text: 'Built', tone: 'neutral', detail: 'The draft is built and was never deployed.' };
  if (action.all_changes_deployed)
    return {
      text: 'Deployed',
      tone: 'good',
      detail: `Version ${action.deployed_version.number} is live and matches the draft.`,
    };
  return {
    text: 'Undeployed changes',
    tone: 'warn',
    detail: `Version ${action.deployed_version.number} is live; the draft has changes not deployed yet.`,
  };
}
