/** `layerbench <command>`: the pipeline without a UI, and `layerbench serve`. See docs/cli.md. */
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../core.js';
import { startServer } from '../server/server.js';
import { isCancelled, serializeError } from '../../shared/errors.js';
import { appDataDir, distPaths } from './paths.js';
import { makeOutput } from './output.js';
import { cmdBackends, cmdResume, cmdCreate, cmdDatasets, cmdEvaluate, cmdExport, cmdImport, cmdModel, cmdTrain, type Flags } from './commands.js';
import { cmdRuns, RUNS_USAGE } from './runs.js';
import { apiOf } from './commands.js';

const USAGE = `Usage: layerbench <command> [options]

Commands:
  serve [--port N] [--host H] [--project DIR]   serve the app to a browser (prints a URL with a token)
  create <dir> [--name NAME]                     create a project folder
  import <project> <file.csv> [--target COL] [--ignore A,B] [--encoding COL=onehot|integer]
         [--scaling minmax|standard|none] [--lookback N] [--horizon N] [--target-as-input]
         [--split chronological:ROWS|random:FRACTION]
         [--validation FRACTION] [--seed N] [--name NAME]
  import <project> <folder|video|file> [--name NAME] [--every-seconds S|--every-frames N] [--keep-similar]
                                                 images: class folders, plain folders, IDX, COCO, VOC, YOLO, video
  model <project> [--template j1-lstm|mlp|j2-cnn|image-small|j3-vqa|detector-grid] [--keras model.json] [--dataset ID]
  train <project> [--dataset ID] [--epochs N] [--batch-size N] [--optimizer adam|sgd|rmsprop|adagrad]
        [--lr X] [--momentum M] [--loss NAME] [--metrics a,b] [--seed N] [--backend auto|tensorflow-gpu|tensorflow|wasm|cpu]
  resume <project> --run ID [--from latest|best] [--epochs N]   train a stopped or failed run further, as a new run
  evaluate <project> [--run ID]
  export <project> [--run ID] [--out DIR] [--format tfjs|keras|onnx|python]
  ${RUNS_USAGE}
  datasets <project>
  backends [--backend B]                         which training backends load here, and why the others do not

Options: --json prints machine-readable results; progress goes to stderr.`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  port: { type: 'string' },
  host: { type: 'string' },
  project: { type: 'string' },
  name: { type: 'string' },
  target: { type: 'string' },
  ignore: { type: 'string' },
  features: { type: 'string' },
  encoding: { type: 'string' },
  scaling: { type: 'string' },
  lookback: { type: 'string' },
  horizon: { type: 'string' },
  'target-as-input': { type: 'boolean' },
  'every-seconds': { type: 'string' },
  format: { type: 'string' },
  'every-frames': { type: 'string' },
  'keep-similar': { type: 'boolean' },
  split: { type: 'string' },
  validation: { type: 'string' },
  seed: { type: 'string' },
  template: { type: 'string' },
  keras: { type: 'string' },
  dataset: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  loss: { type: 'string' },
  metrics: { type: 'string' },
  backend: { type: 'string' },
  run: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  all: { type: 'boolean' },
} as const;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const flags = parsed.values as Flags;
  const [command, ...args] = parsed.positionals;
  if (!command || flags.help) {
    process.stdout.write(USAGE + '\n');
    return command || flags.help ? 0 : 2;
  }
  const out = makeOutput(Boolean(flags.json));
  const core = createCore({ appDataDir: appDataDir(), workerEntry: distPaths.worker });

  const needProject = async (): Promise<void> => {
    if (!args[0]) throw new Error(`layerbench ${command} needs the project folder as its first argument.`);
    await apiOf(core).projects.open({ dir: args[0] });
  };

  try {
    switch (command) {
      case 'serve':
        return await serve(core, flags);
      case 'create':
        if (!args[0]) throw new Error('layerbench create needs a folder: layerbench create ./my-project');
        await cmdCreate(core, args[0], flags, out);
        break;
      case 'import':
        await needProject();
        if (!args[1]) throw new Error('layerbench import needs a CSV file: layerbench import ./my-project data.csv');
        await cmdImport(core, args[1], flags, out);
        break;
      case 'model':
        await needProject();
        await cmdModel(core, flags, out);
        break;
      case 'train':
        await needProject();
        await cmdTrain(core, flags, out);
        break;
      case 'resume':
        await needProject();
        await cmdResume(core, flags, out);
        break;
      case 'evaluate':
        await needProject();
        await cmdEvaluate(core, flags, out);
        break;
      case 'export':
        await needProject();
        await cmdExport(core, flags, out);
        break;
      case 'runs':
        await needProject();
        await cmdRuns(core, args[1], flags, out);
        break;
      case 'datasets':
        await needProject();
        await cmdDatasets(core, out);
        break;
      case 'backends':
        await cmdBackends(core, flags, out);
        break;
      default:
        process.stderr.write(`Unknown command '${command}'.\n\n${USAGE}\n`);
        return 2;
    }
    return 0;
  } catch (e) {
    if (isCancelled(e)) return 130;
    const err = serializeError(e);
    if (out.json) process.stdout.write(JSON.stringify({ error: err }) + '\n');
    process.stderr.write(`Error: ${err.message}\n`);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    return 1;
  } finally {
    if (command !== 'serve') await core.dispose();
  }
}

async function serve(core: Core, flags: Flags): Promise<number> {
  const port = typeof flags.port === 'string' ? Number(flags.port) : 0;
  const host = typeof flags.host === 'string' ? flags.host : '127.0.0.1';
  if (typeof flags.project === 'string') await apiOf(core).projects.open({ dir: flags.project });
  const server = await startServer({ core, rendererDir: distPaths.renderer, host, port: port || undefined, token: process.env.LAYERBENCH_TOKEN });
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
    process.stderr.write(`Warning: serving on ${host}, reachable from other machines; anyone with the URL's token can use this Layerbench.\n`);
  process.stdout.write(`Layerbench is serving at ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  await core.dispose();
  return 0;
}

process.exitCode = await main();
