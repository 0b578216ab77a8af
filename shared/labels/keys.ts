/**
 * The labelling keyboard, as a table: resolveKey() reads it to turn a key press into an action,
 * and the help overlay lists it, so the two cannot disagree. The table decides nothing about
 * data; the label view carries out the action (a class key becomes a setClass op, and so on).
 *
 * Keys that mean different things in different states: the arrows nudge the selected box (or the
 * draft), and only with nothing selected do ← and → go to the previous and next image; Enter
 * accepts the selected proposal or confirms the draft; Esc cancels the draft, else deselects; Tab
 * cycles boxes only when there are boxes, so elsewhere it still moves focus.
 */
import type { BoxStatus, LabelClass } from '../images.js';
import { NUDGE_STEP, NUDGE_STEP_LARGE } from './geometry.js';

export type KeyAction =
  /** 'selected': the selected box's class; 'draft': the class the draft will get; 'image': the image's class. */
  | { type: 'setClass'; classId: number; target: 'selected' | 'draft' | 'image' }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'copyPrevious' }
  | { type: 'newBox' }
  | { type: 'deleteSelected' }
  | { type: 'acceptSelected' }
  | { type: 'acceptAll' }
  | { type: 'deselect' }
  | { type: 'confirmDraft' }
  | { type: 'cancelDraft' }
  | { type: 'toggleBoxes' }
  | { type: 'cycle'; backwards: boolean }
  /** dx, dy in image pixels (1, or 10 with Shift). */
  | { type: 'nudge'; target: 'selected' | 'draft'; dx: number; dy: number; mode: 'move' | 'resize' }
  | { type: 'zoomIn' }
  | { type: 'zoomOut' }
  | { type: 'fit' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'help' };

/** The parts of a KeyboardEvent that matter (a real event fits). */
export interface KeyEventLike {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

export interface KeyState {
  selectedId: number | null;
  /** The selected box's status (Enter accepts proposals only). */
  selectedStatus: BoxStatus | null;
  /** A keyboard-drawn box is being placed. */
  drafting: boolean;
  /** Boxes on the current image (Tab cycles only when there are some). */
  boxCount: number;
  classes: readonly LabelClass[];
}

/** When a key combination applies. */
export type When = 'always' | 'idle' | 'selected' | 'proposal' | 'drafting' | 'not-drafting' | 'has-boxes';

export interface Combo {
  /** KeyboardEvent.key; letters match either case. */
  key: string;
  /** Default false; 'any' ignores Shift (keys typed with Shift, such as ?, and Shift for a larger step). */
  shift?: boolean | 'any';
  /** Ctrl, or ⌘ on a Mac. Default false. */
  ctrl?: boolean;
  alt?: boolean;
  /** Overrides the binding's `when` for this combination. */
  when?: When;
}

export type KeyGroup = 'Images' | 'Classes' | 'Boxes' | 'Drawing' | 'View' | 'Edit';

export interface KeyBinding {
  combos: Combo[];
  when: When;
  /** How the help shows the keys ("D / →"). */
  keys: string;
  description: string;
  group: KeyGroup;
  action: (e: KeyEventLike, s: KeyState) => KeyAction;
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

function arrowStep(e: KeyEventLike): { dx: number; dy: number } {
  const [x, y] = ARROWS[e.key] ?? [0, 0];
  const step = e.shiftKey ? NUDGE_STEP_LARGE : NUDGE_STEP;
  return { dx: x * step, dy: y * step };
}

const arrows = (alt: boolean): Combo[] => Object.keys(ARROWS).map((key) => ({ key, shift: 'any', alt }));
const one = (type: Exclude<KeyAction['type'], 'setClass' | 'cycle' | 'nudge'>) => () => ({ type }) as KeyAction;

/** The fixed keys, in the order they are tried (and shown). Class keys come from the classes. */
export const KEYMAP: readonly KeyBinding[] = [
  {
    combos: [{ key: 'd' }, { key: 'ArrowRight', shift: 'any', when: 'idle' }],
    when: 'always',
    keys: 'D / →',
    description: 'Next image (→ only when no box is selected)',
    group: 'Images',
    action: one('next'),
  },
  {
    combos: [{ key: 'a' }, { key: 'ArrowLeft', shift: 'any', when: 'idle' }],
    when: 'always',
    keys: 'A / ←',
    description: 'Previous image (← only when no box is selected)',
    group: 'Images',
    action: one('previous'),
  },
  { combos: [{ key: 'r' }], when: 'always', keys: 'R', description: "Copy the previous image's boxes", group: 'Boxes', action: one('copyPrevious') },
  { combos: [{ key: 'n' }, { key: 'b' }], when: 'not-drafting', keys: 'N / B', description: 'New box: place it with the arrows, Enter to add', group: 'Drawing', action: one('newBox') },
  {
    combos: arrows(false),
    when: 'drafting',
    keys: '← ↑ → ↓',
    description: 'Move the new box (Shift: 10 px)',
    group: 'Drawing',
    action: (e) => ({ type: 'nudge', target: 'draft', mode: 'move', ...arrowStep(e) }),
  },
  {
    combos: arrows(true),
    when: 'drafting',
    keys: 'Alt + arrows',
    description: 'Grow (→ ↓) or shrink (← ↑) the new box',
    group: 'Drawing',
    action: (e) => ({ type: 'nudge', target: 'draft', mode: 'resize', ...arrowStep(e) }),
  },
  { combos: [{ key: 'Enter' }], when: 'drafting', keys: 'Enter', description: 'Add the new box', group: 'Drawing', action: one('confirmDraft') },
  { combos: [{ key: 'Escape' }], when: 'drafting', keys: 'Esc', description: 'Drop the new box', group: 'Drawing', action: one('cancelDraft') },
  {
    combos: arrows(false),
    when: 'selected',
    keys: '← ↑ → ↓',
    description: 'Move the selected box 1 px (Shift: 10 px)',
    group: 'Boxes',
    action: (e) => ({ type: 'nudge', target: 'selected', mode: 'move', ...arrowStep(e) }),
  },
  {
    combos: arrows(true),
    when: 'selected',
    keys: 'Alt + arrows',
    description: 'Grow (→ ↓) or shrink (← ↑) the selected box',
    group: 'Boxes',
    action: (e) => ({ type: 'nudge', target: 'selected', mode: 'resize', ...arrowStep(e) }),
  },
  {
    combos: [{ key: 'Tab', shift: 'any' }],
    when: 'has-boxes',
    keys: 'Tab / Shift+Tab',
    description: 'Select the next / previous box',
    group: 'Boxes',
    action: (e) => ({ type: 'cycle', backwards: !!e.shiftKey }),
  },
  { combos: [{ key: 'Delete' }, { key: 'Backspace' }], when: 'selected', keys: 'Delete', description: 'Delete the selected box', group: 'Boxes', action: one('deleteSelected') },
  { combos: [{ key: 'Enter' }], when: 'proposal', keys: 'Enter', description: 'Accept the selected proposal', group: 'Boxes', action: one('acceptSelected') },
  { combos: [{ key: 'Enter', shift: true }], when: 'always', keys: 'Shift+Enter', description: 'Accept all proposals above the threshold', group: 'Boxes', action: one('acceptAll') },
  { combos: [{ key: 'Escape' }], when: 'selected', keys: 'Esc', description: 'Deselect', group: 'Boxes', action: one('deselect') },
  { combos: [{ key: 'h' }], when: 'always', keys: 'H', description: 'Hide / show boxes', group: 'View', action: one('toggleBoxes') },
  { combos: [{ key: '+', shift: 'any' }, { key: '=', shift: 'any' }], when: 'always', keys: '+', description: 'Zoom in', group: 'View', action: one('zoomIn') },
  { combos: [{ key: '-', shift: 'any' }, { key: '_', shift: 'any' }], when: 'always', keys: '-', description: 'Zoom out', group: 'View', action: one('zoomOut') },
  { combos: [{ key: '0' }], when: 'always', keys: '0', description: 'Fit the image', group: 'View', action: one('fit') },
  { combos: [{ key: 'z', ctrl: true }], when: 'always', keys: 'Ctrl+Z', description: 'Undo', group: 'Edit', action: one('undo') },
  { combos: [{ key: 'z', ctrl: true, shift: true }, { key: 'y', ctrl: true }], when: 'always', keys: 'Ctrl+Shift+Z / Ctrl+Y', description: 'Redo', group: 'Edit', action: one('redo') },
  { combos: [{ key: '?', shift: 'any' }], when: 'always', keys: '?', description: 'Show these keys', group: 'View', action: one('help') },
];

function holds(when: When, s: KeyState): boolean {
  switch (when) {
    case 'always':
      return true;
    case 'idle':
      return s.selectedId === null && !s.drafting;
    case 'selected':
      return s.selectedId !== null && !s.drafting;
    case 'proposal':
      return s.selectedId !== null && !s.drafting && s.selectedStatus === 'proposal';
    case 'drafting':
      return s.drafting;
    case 'not-drafting':
      return !s.drafting;
    case 'has-boxes':
      return s.boxCount > 0 && !s.drafting;
  }
}

const sameKey = (a: string, b: string) => a === b || (a.length === 1 && b.length === 1 && a.toLowerCase() === b.toLowerCase());

function matches(c: Combo, e: KeyEventLike): boolean {
  if (!sameKey(c.key, e.key)) return false;
  if ((c.ctrl ?? false) !== (!!e.ctrlKey || !!e.metaKey)) return false;
  if ((c.alt ?? false) !== !!e.altKey) return false;
  const shift = c.shift ?? false;
  return shift === 'any' || shift === !!e.shiftKey;
}

/** The action a key press means in this state, or null (let the browser have it). */
export function resolveKey(e: KeyEventLike, s: KeyState): KeyAction | null {
  for (const b of KEYMAP) {
    if (b.combos.some((c) => matches(c, e) && holds(c.when ?? b.when, s))) return b.action(e, s);
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const cls = s.classes.find((c) => c.key !== null && sameKey(c.key, e.key));
  if (!cls) return null;
  return { type: 'setClass', classId: cls.id, target: s.drafting ? 'draft' : s.selectedId !== null ? 'selected' : 'image' };
}

/** Keys the fixed table takes (without modifiers), lower case: a class cannot use them. */
export function reservedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const b of KEYMAP) for (const c of b.combos) if (!c.ctrl && !c.alt && c.shift !== true) keys.add(c.key.length === 1 ? c.key.toLowerCase() : c.key);
  return keys;
}

/** Classes whose key another class or a fixed key already has (the first class keeps a shared key). */
export function classKeyConflicts(classes: readonly LabelClass[]): { classId: number; key: string; takenBy: string }[] {
  const reserved = reservedKeys();
  const seen = new Map<string, string>();
  const out: { classId: number; key: string; takenBy: string }[] = [];
  for (const c of [...classes].sort((a, b) => a.position - b.position)) {
    if (c.key === null) continue;
    const k = c.key.length === 1 ? c.key.toLowerCase() : c.key;
    if (reserved.has(k)) out.push({ classId: c.id, key: c.key, takenBy: 'a fixed key' });
    else if (seen.has(k)) out.push({ classId: c.id, key: c.key, takenBy: `class '${seen.get(k)}'` });
    else seen.set(k, c.name);
  }
  return out;
}

export interface KeyHelpRow {
  keys: string;
  description: string;
  group: KeyGroup;
}

/** The help overlay's rows: each class key, then the fixed table. */
export function keyHelp(classes: readonly LabelClass[]): KeyHelpRow[] {
  const classRows = [...classes]
    .filter((c) => c.key !== null)
    .sort((a, b) => a.position - b.position)
    .map((c) => ({ keys: c.key!.toUpperCase(), description: `Class '${c.name}' (the selected box's, else the image's)`, group: 'Classes' as const }));
  return [...classRows, ...KEYMAP.map(({ keys, description, group }) => ({ keys, description, group }))];
}
