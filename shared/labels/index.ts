/** Labelling logic shared by the canvas, the image grid and the label view: pure TypeScript. */
export * from './geometry.js';
export * from './viewport.js';
export * from './hit-test.js';
export * from './draft.js';
export * from './history.js';
export * from './keys.js';
export * from './virtual-grid.js';
export * from './drag.js';
