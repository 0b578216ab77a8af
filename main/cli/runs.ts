/** `layerbench runs <project> [list|rename|hide|unhide|delete|compare]`: looking after a project's runs from a script. */
import type { Core } from '../core.js';
import { AppError } from '../../shared/errors.js';
import type { RunSummary } from '../../shared/training.js';
import { apiOf, type Flags } from './commands.js';
import type { Output } from './output.js';

export const RUNS_USAGE = `runs <project> [list] [--all]                  the runs, newest first (--all: hidden ones too)
  runs <project> rename --run ID --name NAME
  runs <project> hide|unhide|delete --run ID
  runs <project> compare --run A,B[,C,D]         settings that differ, best epochs, final metrics`;

const SUBCOMMANDS = ['list', 'rename', 'hide', 'unhide', 'delete', 'compare'] as const;

function flag(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A run by id, or by name when exactly one run has it. */
function resolve(runs: RunSummary[], ref: string): RunSummary {
  const byId = runs.find((r) => r.id === ref);
  if (byId) return byId;
  const named = runs.filter((r) => r.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw new AppError('INVALID_REQUEST', `${named.length} runs are named '${ref}'; give one of their ids: ${named.map((r) => r.id).join(', ')}.`);
  throw new AppError('NOT_FOUND', `No run '${ref}' in this project; \`layerbench runs <project> --all\` lists them.`);
}

function line(r: RunSummary): string {
  return `${r.id}  ${r.name.padEnd(10)} ${r.status.padEnd(10)} ${String(r.epochsDone).padStart(4)} epochs  ${(r.backend?.name ?? '-').padEnd(8)} loss ${r.finalLogs?.['loss']?.toFixed(4) ?? '-'}  ${r.startedAt}${r.hidden ? '  (hidden)' : ''}${r.error ? '  ' + r.error : ''}`;
}

export async function cmdRuns(core: Core, sub: string | undefined, flags: Flags, out: Output): Promise<void> {
  const api = apiOf(core);
  const action = sub ?? 'list';
  if (!(SUBCOMMANDS as readonly string[]).includes(action))
    throw new AppError('INVALID_REQUEST', `Unknown runs command '${action}'; expected one of ${SUBCOMMANDS.join(', ')}.`);
  const runs = await api.training.list({});
  if (action === 'list') {
    const shown = flags['all'] ? runs : runs.filter((r) => !r.hidden);
    const hidden = runs.length - shown.length;
    out.result(shown, () =>
      [shown.length === 0 ? 'No runs yet.' : shown.map(line).join('\n'), ...(hidden ? [`(${hidden} hidden; --all lists them)`] : [])].join('\n'),
    );
    return;
  }
  const refs = (flag(flags, 'run') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (refs.length === 0) throw new AppError('INVALID_REQUEST', `layerbench runs ${action} needs --run ID${action === 'compare' ? ',ID…' : ''}.`);
  const picked = refs.map((ref) => resolve(runs, ref));
  const run = picked[0]!;
  if (action === 'rename') {
    const name = flag(flags, 'name');
    if (name === undefined) throw new AppError('INVALID_REQUEST', 'layerbench runs rename needs --name NAME.');
    const r = await api.runs.rename({ runId: run.id, name });
    out.result(r, () => `Renamed '${run.name}' to '${r.name}'.`);
  } else if (action === 'hide' || action === 'unhide') {
    const r = await api.runs.hide({ runId: run.id, hidden: action === 'hide' });
    out.result(r, () => (action === 'hide' ? `Hid '${r.name}'; \`runs --all\` still lists it.` : `'${r.name}' is shown again.`));
  } else if (action === 'delete') {
    await api.runs.remove({ runId: run.id });
    out.result({ deleted: run.id }, () => `Deleted '${run.name}' with its weights, checkpoints and evaluation.`);
  } else {
    const c = await api.runs.compare({ runIds: picked.map((r) => r.id) });
    out.result(c, () => {
      const differing = c.settings.filter((s) => s.differs);
      return [
        `Comparing ${c.runs.map((r) => `'${r.summary.name}'`).join(', ')}:`,
        ...c.runs.map((r) => {
          const best = r.best ? `best ${r.best.key} ${r.best.value.toFixed(4)} at epoch ${r.best.epoch + 1}` : 'no finished epoch';
          return `  ${r.summary.name}: ${r.summary.status}, ${r.epochs.length} epochs, ${best}`;
        }),
        differing.length ? 'Settings that differ:' : 'Every setting is the same.',
        ...differing.map((s) => `  ${s.label}: ${s.values.join(' | ')}`),
      ].join('\n');
    });
  }
}
