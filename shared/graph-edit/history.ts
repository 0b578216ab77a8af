/**
 * Undo and redo for the graph editor, as a list of whole-graph snapshots. Graphs are small
 * (tens of layers), so snapshots are simpler and safer than inverse operations.
 *
 * The history keeps its own serialized copies: callers may change graphs they pass in or get
 * back (a Svelte $state proxy, say) without corrupting it.
 */
import type { ModelGraph } from '../graph.js';

export interface HistoryOptions {
  /** Most undo steps kept; the oldest go first. */
  limit?: number;
  /** Edits with the same coalesceKey closer together than this become one step. */
  coalesceMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export interface PushOptions {
  /**
   * Pushes with the same key in a row (typing in one parameter field, the moves of one drag)
   * make one undo step, until another edit, an undo or redo, seal(), or a pause longer than
   * coalesceMs. edit.ts results carry a suitable key.
   */
  coalesceKey?: string;
  /** This push's pause limit; Infinity for a drag, which the editor ends with seal(). */
  coalesceMs?: number;
}

interface Entry {
  json: string;
  /** The edit that led to this state; empty for the first. */
  label: string;
  key?: string;
  time: number;
}

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1000;

export class GraphHistory {
  private entries: Entry[];
  private index = 0;
  private sealed = true;
  private readonly limit: number;
  private readonly coalesceMs: number;
  private readonly now: () => number;

  constructor(initial: ModelGraph, options: HistoryOptions = {}) {
    this.limit = Math.max(1, options.limit ?? HISTORY_LIMIT);
    this.coalesceMs = options.coalesceMs ?? COALESCE_MS;
    this.now = options.now ?? (() => Date.now());
    this.entries = [{ json: JSON.stringify(initial), label: '', time: this.now() }];
  }

  /** The graph as of the last push, undo or redo. */
  get current(): ModelGraph {
    return JSON.parse(this.entries[this.index]!.json) as ModelGraph;
  }

  /**
   * Records the graph after an edit; `label` says what the edit did ("add Dense").
   * Returns false when nothing changed (the graph equals the current one), which records nothing.
   */
  push(graph: ModelGraph, label: string, options: PushOptions = {}): boolean {
    const json = JSON.stringify(graph);
    const top = this.entries[this.index]!;
    const time = this.now();
    const key = options.coalesceKey;
    const within = options.coalesceMs ?? this.coalesceMs;
    if (key !== undefined && !this.sealed && top.key === key && this.index > 0 && time - top.time <= within) {
      top.json = json;
      top.label = label;
      top.time = time;
      this.entries.length = this.index + 1;
      // Typing a value and then its old value back leaves no step behind.
      if (this.entries[this.index - 1]!.json === json) {
        this.entries.pop();
        this.index--;
        this.sealed = true;
      }
      return true;
    }
    if (json === top.json) return false;
    this.entries.length = this.index + 1;
    this.entries.push({ json, label, ...(key !== undefined ? { key } : {}), time });
    if (this.entries.length > this.limit + 1) this.entries.splice(0, this.entries.length - this.limit - 1);
    this.index = this.entries.length - 1;
    this.sealed = key === undefined;
    return true;
  }

  /** Ends the current run of coalescing edits (a field loses focus, a drag ends). */
  seal(): void {
    this.sealed = true;
  }

  get canUndo(): boolean {
    return this.index > 0;
  }

  get canRedo(): boolean {
    return this.index < this.entries.length - 1;
  }

  /** "Undo add Dense", or null when there is nothing to undo. */
  get undoLabel(): string | null {
    return this.canUndo ? `Undo ${this.entries[this.index]!.label}` : null;
  }

  /** "Redo add Dense", or null when there is nothing to redo. */
  get redoLabel(): string | null {
    return this.canRedo ? `Redo ${this.entries[this.index + 1]!.label}` : null;
  }

  /** Steps back; returns the graph to show, or null when there is nothing to undo. */
  undo(): ModelGraph | null {
    if (!this.canUndo) return null;
    this.index--;
    this.sealed = true;
    return this.current;
  }

  redo(): ModelGraph | null {
    if (!this.canRedo) return null;
    this.index++;
    this.sealed = true;
    return this.current;
  }

  /** Forgets every step and starts again from `graph` (another model was opened). */
  reset(graph: ModelGraph): void {
    this.entries = [{ json: JSON.stringify(graph), label: '', time: this.now() }];
    this.index = 0;
    this.sealed = true;
  }

  /** How many steps can be undone and redone. */
  get depth(): { undo: number; redo: number } {
    return { undo: this.index, redo: this.entries.length - 1 - this.index };
  }
}
