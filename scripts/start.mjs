// `npm start` (after the build): the desktop app when an Electron binary is installed, otherwise
// serve mode in a browser. The `electron` package resolves to its binary's path and throws when
// the binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install time).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Electron executable, or null when it is not installed. */
export function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** Runs a child with our stdio, passes our signals on, and exits with its code. */
function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, forward(s));
  child.on('error', (e) => {
    console.error(`Could not start ${command}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const electron = electronBinary();
  if (electron) {
    // Electron loads package.json "main" (dist/main/electron/main.js). Native modules
    // (better-sqlite3) must be built for Electron's ABI: `npx electron-builder install-app-deps`.
    // ELECTRON_RUN_AS_NODE (set in some editors' terminals) would make it a plain Node.
    const { ELECTRON_RUN_AS_NODE: _, ...env } = process.env;
    run(electron, ['.', ...process.argv.slice(2)], env);
  } else {
    console.log(
      'Electron is not installed on this machine (its binary could not be downloaded), so Layerbench is starting in serve mode: open the URL below in a browser.',
    );
    run(process.execPath, ['bin/layerbench.js', 'serve', ...process.argv.slice(2)]);
  }
}
