/** The keyboard map: what each key means in each state, class keys, conflicts, and the help rows. */
import { describe, expect, it } from 'vitest';
import { KEYMAP, classKeyConflicts, keyHelp, resolveKey, type KeyState } from '../../../shared/labels/keys.js';
import { classes } from './boxes.js';

const cls = classes(3);
const idle: KeyState = { selectedId: null, selectedStatus: null, drafting: false, boxCount: 2, classes: cls };
const selected: KeyState = { ...idle, selectedId: 4, selectedStatus: 'confirmed' };
const proposal: KeyState = { ...idle, selectedId: 4, selectedStatus: 'proposal' };
const drafting: KeyState = { ...idle, drafting: true };
const press = (key: string, mods: { shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean } = {}) => ({ key, ...mods });

describe('resolveKey', () => {
  it('arrows nudge the selected box, and navigate only when none is selected', () => {
    expect(resolveKey(press('ArrowRight'), selected)).toEqual({ type: 'nudge', target: 'selected', mode: 'move', dx: 1, dy: 0 });
    expect(resolveKey(press('ArrowUp', { shiftKey: true }), selected)).toEqual({ type: 'nudge', target: 'selected', mode: 'move', dx: 0, dy: -10 });
    expect(resolveKey(press('ArrowDown', { altKey: true }), selected)).toEqual({ type: 'nudge', target: 'selected', mode: 'resize', dx: 0, dy: 1 });
    expect(resolveKey(press('ArrowRight'), idle)).toEqual({ type: 'next' });
    expect(resolveKey(press('ArrowLeft'), idle)).toEqual({ type: 'previous' });
    expect(resolveKey(press('ArrowUp'), idle)).toBeNull();
  });

  it('D and A navigate in every state', () => {
    for (const s of [idle, selected]) {
      expect(resolveKey(press('d'), s)).toEqual({ type: 'next' });
      expect(resolveKey(press('A'), s)).toEqual({ type: 'previous' });
    }
  });

  it('class keys label the selected box, else the draft, else the image', () => {
    expect(resolveKey(press('2'), idle)).toEqual({ type: 'setClass', classId: 11, target: 'image' });
    expect(resolveKey(press('2'), selected)).toEqual({ type: 'setClass', classId: 11, target: 'selected' });
    expect(resolveKey(press('1'), drafting)).toEqual({ type: 'setClass', classId: 10, target: 'draft' });
    expect(resolveKey(press('7'), idle)).toBeNull(); // only three classes
    const custom = [{ ...cls[0]!, key: 'p' }];
    expect(resolveKey(press('P'), { ...idle, classes: custom })).toEqual({ type: 'setClass', classId: 10, target: 'image' });
    expect(resolveKey(press('1', { ctrlKey: true }), idle)).toBeNull();
  });

  it('Enter accepts a selected proposal, Shift+Enter all above the threshold', () => {
    expect(resolveKey(press('Enter'), proposal)).toEqual({ type: 'acceptSelected' });
    expect(resolveKey(press('Enter'), selected)).toBeNull();
    expect(resolveKey(press('Enter', { shiftKey: true }), idle)).toEqual({ type: 'acceptAll' });
  });

  it('Delete and Backspace delete only a selected box; Esc deselects', () => {
    expect(resolveKey(press('Delete'), selected)).toEqual({ type: 'deleteSelected' });
    expect(resolveKey(press('Backspace'), proposal)).toEqual({ type: 'deleteSelected' });
    expect(resolveKey(press('Delete'), idle)).toBeNull();
    expect(resolveKey(press('Escape'), selected)).toEqual({ type: 'deselect' });
    expect(resolveKey(press('Escape'), idle)).toBeNull();
  });

  it('Tab cycles boxes when there are some, and leaves focus alone when there are none', () => {
    expect(resolveKey(press('Tab'), idle)).toEqual({ type: 'cycle', backwards: false });
    expect(resolveKey(press('Tab', { shiftKey: true }), selected)).toEqual({ type: 'cycle', backwards: true });
    expect(resolveKey(press('Tab'), { ...idle, boxCount: 0 })).toBeNull();
  });

  it('undo and redo with Ctrl or ⌘; the bare letters mean something else', () => {
    expect(resolveKey(press('z', { ctrlKey: true }), idle)).toEqual({ type: 'undo' });
    expect(resolveKey(press('Z', { ctrlKey: true, shiftKey: true }), idle)).toEqual({ type: 'redo' });
    expect(resolveKey(press('y', { ctrlKey: true }), idle)).toEqual({ type: 'redo' });
    expect(resolveKey(press('z', { metaKey: true }), idle)).toEqual({ type: 'undo' });
    expect(resolveKey(press('z'), idle)).toBeNull();
    expect(resolveKey(press('d', { ctrlKey: true }), idle)).toBeNull();
  });

  it('view keys: zoom with + (= unshifted) and -, fit with 0, hide with H, help with ?', () => {
    expect(resolveKey(press('+', { shiftKey: true }), idle)).toEqual({ type: 'zoomIn' });
    expect(resolveKey(press('='), idle)).toEqual({ type: 'zoomIn' });
    expect(resolveKey(press('-'), idle)).toEqual({ type: 'zoomOut' });
    expect(resolveKey(press('0'), idle)).toEqual({ type: 'fit' });
    expect(resolveKey(press('h'), selected)).toEqual({ type: 'toggleBoxes' });
    expect(resolveKey(press('?', { shiftKey: true }), idle)).toEqual({ type: 'help' });
    expect(resolveKey(press('r'), idle)).toEqual({ type: 'copyPrevious' });
  });
});

describe('drawing a box with the keyboard', () => {
  it('N or B starts a draft; arrows move it, Alt+arrows resize it, Enter adds it, Esc drops it', () => {
    expect(resolveKey(press('n'), idle)).toEqual({ type: 'newBox' });
    expect(resolveKey(press('b'), selected)).toEqual({ type: 'newBox' });
    expect(resolveKey(press('n'), drafting)).toBeNull();
    expect(resolveKey(press('ArrowLeft', { shiftKey: true }), drafting)).toEqual({ type: 'nudge', target: 'draft', mode: 'move', dx: -10, dy: 0 });
    expect(resolveKey(press('ArrowRight', { altKey: true }), drafting)).toEqual({ type: 'nudge', target: 'draft', mode: 'resize', dx: 1, dy: 0 });
    expect(resolveKey(press('Enter'), drafting)).toEqual({ type: 'confirmDraft' });
    expect(resolveKey(press('Escape'), drafting)).toEqual({ type: 'cancelDraft' });
  });

  it('while drafting, the arrows move the draft even with a box selected, and Tab is left alone', () => {
    const both = { ...selected, drafting: true };
    expect(resolveKey(press('ArrowDown'), both)).toMatchObject({ type: 'nudge', target: 'draft' });
    expect(resolveKey(press('Enter'), { ...proposal, drafting: true })).toEqual({ type: 'confirmDraft' });
    expect(resolveKey(press('Tab'), drafting)).toBeNull();
  });
});

describe('class keys and help', () => {
  it('reports class keys that a fixed key or an earlier class already has', () => {
    const c = classes(3);
    c[1] = { ...c[1]!, key: 'd' };
    c[2] = { ...c[2]!, key: '1' };
    expect(classKeyConflicts(c)).toEqual([
      { classId: 11, key: 'd', takenBy: 'a fixed key' },
      { classId: 12, key: '1', takenBy: "class 'class0'" },
    ]);
    expect(classKeyConflicts(classes(9))).toEqual([]);
  });

  it('the help lists every class key and every binding of the table', () => {
    const rows = keyHelp(classes(2));
    expect(rows.slice(0, 2).map((r) => r.keys)).toEqual(['1', '2']);
    expect(rows).toHaveLength(2 + KEYMAP.length);
    expect(rows.some((r) => r.keys === 'Ctrl+Z' && r.description === 'Undo')).toBe(true);
  });
});
