import type { XY } from '../../lib/downsample.js';

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  points: readonly XY[];
  /** Stroke width; thin for per-batch points, thick for per-epoch ones. */
  width?: number;
  markers?: boolean;
  dashed?: boolean;
  /** Left out of the legend (e.g. the batch trace of a metric whose epoch trace is listed). */
  hideInLegend?: boolean;
  opacity?: number;
}
