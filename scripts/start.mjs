// `npm start` (after the build): the desktop app when an Electron binary is installed, otherwise
// serve mode in a browser. The `electron` package resolves to its binary's path and throws when
// the binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install time).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
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

/**
 * better-sqlite3's addon in node_modules is built for Node (the CLI, serve mode and tests use it).
 * Electron needs one built for its own ABI: build a copy once per Electron version under .cache/
 * with node-gyp against Electron's headers, and hand its path to the app (main/store/sqlite.ts).
 */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const dir = path.join(root, '.cache', `electron-${version}`, 'better-sqlite3');
  const binding = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(path.join(root, 'node_modules/better-sqlite3'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
  const gyp = spawnSync(
    process.execPath,
    // npm tells its scripts where its bundled node-gyp is.
    [process.env.npm_config_node_gyp ?? path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: dir, stdio: 'inherit' },
  );
  if (gyp.status !== 0 || !existsSync(binding)) {
    console.error('Could not build better-sqlite3 for Electron (node-gyp needs Python, a C++ compiler and Electron\'s headers from the internet). Starting serve mode instead.');
    return null;
  }
  return binding;
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
  const binding = electron ? electronSqliteBinding() : null;
  if (electron && binding) {
    // Electron loads package.json "main" (dist/main/electron/main.js).
    // ELECTRON_RUN_AS_NODE (set in some editors' terminals) would make it a plain Node.
    const { ELECTRON_RUN_AS_NODE: _, ...env } = process.env;
    run(electron, ['.', ...process.argv.slice(2)], { ...env, LAYERBENCH_SQLITE_BINDING: binding });
  } else if (!electron) {
    console.log(
      'Electron is not installed on this machine (its binary could not be downloaded), so Layerbench is starting in serve mode: open the URL below in a browser.',
    );
    run(process.execPath, ['bin/layerbench.js', 'serve', ...process.argv.slice(2)]);
  } else {
    run(process.execPath, ['bin/layerbench.js', 'serve', ...process.argv.slice(2)]);
  }
}
