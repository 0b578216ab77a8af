/** What the canvas hands its custom node and edge components (xyflow `data`). */
import type { Edge, Node } from '@xyflow/svelte';

export interface LayerNodeData extends Record<string, unknown> {
  type: string;
  name: string;
  /** The layer's main settings in a few words ("64 units, relu"). */
  summary: string;
  params: number;
  shape: string | null;
  error: string | null;
  hint: string | null;
  /** How many input handles to draw (merges take several). */
  ports: number;
  isInput: boolean;
  /** Flagged by the ONNX target check, when the user has chosen ONNX. */
  unsupported?: string;
}

export interface ShapeEdgeData extends Record<string, unknown> {
  shape: string | null;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;
export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;

/** The size the layout assumes for a node; the node's CSS keeps to it. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

/** The drag-and-drop payload type of a palette entry (its value is the layer type). */
export const DRAG_TYPE = 'application/x-layerbench-layer';
