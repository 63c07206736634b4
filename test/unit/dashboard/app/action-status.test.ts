import { describe, expect, it } from 'vitest';
import { actionStatus } from '../../../../dashboard/src/action-status.ts';
import type { Action } from '../../../../shared/client/index.ts';

const action = (over: Partial<Action>): Action => ({
  id: 'a',
  name: 'a',
  supported_triggers: [{ id: 'post-login', version: 'v3' }],
  all_changes_deployed: false,
  created_at: '',
  updated_at: '',
  dependencies: [],
  runtime: 'node22',
  secrets: [],
  status: 'built',
  code: '',
  ...over,
});
const live = {
  id: 'v',
  action_id: 'a',
  number: 4,
  status: 'built' as const,
  deployed: true,
  created_at: '',
  updated_at: '',
};

describe('how an action status reads', () => {
  it.each([
    [action({ status: 'pending' }), 'Building'],
    [action({ status: 'building', deployed_version: live }), 'Building'],
    [action({ status: 'failed' }), 'Build failed'],
    [action({}), 'Built'],
    [action({ deployed_version: live, all_changes_deployed: true }), 'Deployed'],
    [action({ deployed_version: live }), 'Undeployed changes'],
  ])('%#: %s', (input, text) => {
    expect(actionStatus(input).text).toBe(text);
  });

  it('names the live version in its detail', () => {
    expect(actionStatus(action({ deployed_version: live, all_changes_deployed: true })).detail).toContain(
      'Version 4',
    );
  });
});
