import { describe, expect, it } from 'vitest';
import {
  bindingsBody,
  type ChainLink,
  insertLink,
  moveLink,
  removeLink,
  sameChain,
} from '../../../../../dashboard/src/flows/chain.ts';

const link = (name: string): ChainLink => ({ actionId: `id-${name}`, name });
const names = (chain: ChainLink[]) => chain.map((l) => l.name);
const abc = [link('a'), link('b'), link('c')];

describe('editing a flow chain', () => {
  it('inserts an action before the link it is dropped on, or at the end', () => {
    expect(names(insertLink(abc, link('x'), 0))).toEqual(['x', 'a', 'b', 'c']);
    expect(names(insertLink(abc, link('x'), 2))).toEqual(['a', 'b', 'x', 'c']);
    expect(names(insertLink(abc, link('x'), 3))).toEqual(['a', 'b', 'c', 'x']);
    expect(names(insertLink(abc, link('x'), 99))).toEqual(['a', 'b', 'c', 'x']);
  });

  it('binds an action once: inserting one already there moves it', () => {
    expect(names(insertLink(abc, link('c'), 0))).toEqual(['c', 'a', 'b']);
  });

  it('moves a link so it lands before the drop target, counted before the move', () => {
    expect(names(moveLink(abc, 2, 0))).toEqual(['c', 'a', 'b']);
    expect(names(moveLink(abc, 0, 2))).toEqual(['b', 'a', 'c']);
    expect(names(moveLink(abc, 0, 3))).toEqual(['b', 'c', 'a']);
    expect(names(moveLink(abc, 1, 1))).toEqual(['a', 'b', 'c']);
    expect(names(moveLink(abc, 7, 0))).toEqual(['a', 'b', 'c']);
  });

  it('removes a link and compares chains by order of actions', () => {
    expect(names(removeLink(abc, 1))).toEqual(['a', 'c']);
    expect(sameChain(abc, [...abc])).toBe(true);
    expect(sameChain(abc, moveLink(abc, 2, 0))).toBe(false);
    expect(sameChain(abc, removeLink(abc, 0))).toBe(false);
  });

  it('sends the order as Auth0 binding refs by action id, named after the action', () => {
    expect(bindingsBody([link('a')])).toEqual([
      { ref: { type: 'action_id', value: 'id-a' }, display_name: 'a' },
    ]);
  });
});
