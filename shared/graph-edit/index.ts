/**
 * The graph editor's logic, free of any UI framework: edits, undo history, clipboard, automatic
 * layout, diffs, generated code and palette search. The Svelte editor only wires these to the DOM.
 */
export { GraphHistory, HISTORY_LIMIT, COALESCE_MS, type HistoryOptions, type PushOptions } from './history.js';
export {
  addLayer,
  insertAfter,
  connect,
  connectionProblem,
  disconnect,
  removeNodes,
  renameNode,
  setParam,
  moveNodes,
  offsetNodes,
  duplicate,
  type Edit,
  type Refusal,
  type Checked,
} from './edit.js';
export { copySelection, pasteClipboard, readClipboard, CLIPBOARD_FORMAT, type ClipboardPayload, type PasteOptions } from './clipboard.js';
export { layoutGraph, fitBounds, NODE_SIZE, GAP_X, GAP_Y, ROW_STEP, type LayoutOptions, type NodeSize } from './layout.js';
export { diffGraphs, describeDiff, type GraphDiff, type LayerChange, type ParamChange, type LayerRef, type Connection } from './diff.js';
export { kerasCode, tfjsCode, generateCode, tfjsFactory, type CodeTarget, type CodegenOptions } from './codegen.js';
export { searchLayers, rankLayers, wordStarts, type LayerMatch } from './search.js';
export { uniqueName } from './names.js';
export type { Fragment, Point } from './fragment.js';
