/** Human-readable output by default, one JSON document per result with --json. */
export interface Output {
  json: boolean;
  result(value: unknown, human: () => string): void;
  progress(line: string): void;
}

export function makeOutput(json: boolean): Output {
  let lastProgress = 0;
  return {
    json,
    result(value, human) {
      if (json) process.stdout.write(JSON.stringify(value) + '\n');
      else process.stdout.write(human() + '\n');
    },
    progress(line) {
      if (json) return;
      // At most a few lines a second, so logs of long runs stay readable.
      const now = Date.now();
      if (now - lastProgress < 250) return;
      lastProgress = now;
      process.stderr.write(line + '\n');
    },
  };
}

export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
