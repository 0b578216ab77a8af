/**
 * Every method's wire name, without the zod schemas, so the renderer's client does not bundle
 * zod. A unit test checks this list against `apiSpec`.
 */
export const API_METHODS = {
  projects: ['create', 'open', 'close', 'current', 'recent'],
  datasets: ['list', 'get', 'importCsv', 'importImages', 'exportImages', 'cancelImport', 'configure', 'layout', 'rename', 'remove'],
  labels: ['items', 'itemIds', 'item', 'boxes', 'classes', 'addClass', 'updateClass', 'apply', 'acceptProposals', 'stats', 'split', 'proposers', 'prelabel', 'cancelPrelabel'],
  models: ['get', 'set', 'fromTemplate', 'importKeras'],
  training: ['start', 'resume', 'pause', 'stop', 'list', 'get', 'wait', 'backends'],
  runs: ['rename', 'hide', 'remove', 'compare'],
  evaluation: ['run', 'get', 'items', 'detectionImages'],
  tryit: ['form', 'predict', 'predictImages'],
  export: ['tfjs', 'keras', 'onnx', 'python', 'onnxSupport', 'pythonSupport'],
} as const;
