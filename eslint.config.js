// Lint for the whole repository (ESLint flat config): recommended rules for JS, TS and Svelte,
// and the import boundaries of DESIGN.md ("rooms and doors"): each folder says what its runtime
// allows, so a Node import in the renderer or a TF.js import outside the engine fails the lint.
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import { builtinModules } from 'node:module';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

// ESLint's own recommended set, read from the rules' metadata (the same list @eslint/js ships,
// without adding that package).
const jsRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

const SRC = '*.{ts,mts,cts,js,mjs,cjs,svelte}';
const under = (...dirs) => dirs.map((d) => `${d}/**/${SRC}`);

// ---- Import boundaries --------------------------------------------------------------------
// Each group is a regex over the import specifier and the message a reader gets.
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/'));
const NODE = (why) => ({ regex: `^(node:|(${nodeBuiltins.join('|')})(\\/|$))`, message: why });
const ELECTRON = {
  regex: '^electron(\\/|$)',
  message: 'Only main/electron/ may import electron; the core stays plain Node so serve mode and the CLI can host it.',
};
const TENSORFLOW = {
  regex: '^@tensorflow\\/',
  message: 'Only main/engine/ (and bench/, test/) may import @tensorflow/*; other code reaches TF.js through the engine or a trainer process.',
};
const pkg = (name, why) => ({ regex: `^${name.replace(/[/]/g, '\\/')}(\\/|$)`, message: `${why} (${name})` });
// Relative imports that climb out of the folder into a sibling: '../../main/core.js', '../engine/x.js'.
const into = (dirs, why) => ({ regex: `^(\\.\\.\\/)+(main\\/)?(${dirs.join('|')})(\\/|$)`, message: why });

const restrict = (name, files, groups, ignores = []) => ({
  name: `layerbench/boundaries/${name}`,
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns: groups }] },
});

const SHARED = 'shared/ is pure TypeScript used by every process: it may import only shared/ and zod';
const RENDERER = 'renderer/ is a sandboxed browser page: it may import only shared/ and browser libraries, and reaches files, SQLite and TF.js through the api';
const CORE_PARTS = 'main/store, main/importers and main/engine do not import each other; main/core.ts and main/jobs wire them';

const boundaries = [
  restrict('shared', under('shared'), [
    NODE(`${SHARED}, no Node built-ins.`),
    { ...ELECTRON, message: `${SHARED}, not electron.` },
    { ...TENSORFLOW, message: `${SHARED}, not @tensorflow/*.` },
    pkg('better-sqlite3', SHARED),
    pkg('ws', SHARED),
    pkg('papaparse', SHARED),
    { regex: '^(\\.\\.\\/)+(main|renderer)(\\/|$)', message: `${SHARED}, not main/ or renderer/.` },
    // Everything else too: an allow-list, so a new dependency cannot slip into shared/.
    // (Packages named above keep their own message, so the list below leaves them out.)
    {
      regex: `^(?!node:|@tensorflow\\/|(zod|electron|better-sqlite3|ws|papaparse|${nodeBuiltins.join('|')})(\\/|$))[^.]`,
      message: `${SHARED}; no other packages.`,
    },
  ]),
  restrict('renderer', under('renderer'), [
    NODE(`${RENDERER}; no Node built-ins.`),
    { ...ELECTRON, message: `${RENDERER}; electron is reached only through window.layerbench (the preload).` },
    { ...TENSORFLOW, message: `${RENDERER}; not @tensorflow/*.` },
    pkg('better-sqlite3', RENDERER),
    { regex: '^(\\.\\.\\/)+main(\\/|$)', message: `${RENDERER}; not main/.` },
  ]),
  restrict('main-electron', under('main/electron'), [TENSORFLOW]),
  restrict('main-engine', under('main/engine'), [ELECTRON, into(['store', 'importers'], `${CORE_PARTS}.`)]),
  restrict('main-store', under('main/store'), [ELECTRON, TENSORFLOW, into(['engine', 'importers'], `${CORE_PARTS}.`)]),
  restrict('main-importers', under('main/importers'), [ELECTRON, TENSORFLOW, into(['engine', 'store'], `${CORE_PARTS}.`)]),
  restrict('main-other', under('main'), [ELECTRON, TENSORFLOW], under('main/electron', 'main/engine', 'main/store', 'main/importers')),
  restrict('bench-test', under('bench', 'test'), [ELECTRON]),
  restrict('elsewhere', [SRC, ...under('scripts', 'bin', 'assets', 'docs')], [ELECTRON, TENSORFLOW]),
];

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'release/', 'test-results/', 'playwright-report/', 'coverage/'], 'layerbench/ignores'),
  { name: 'layerbench/js-recommended', files: [`**/${SRC}`], rules: jsRecommended },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    name: 'layerbench/svelte-typescript',
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // TypeScript (svelte-check) checks names and redeclarations better than these rules can.
      ...tseslint.configs.eslintRecommended.rules,
      // `let { a } = $props()` must be `let`; the Svelte variant knows runes.
      'prefer-const': 'off',
      'svelte/prefer-const': 'error',
    },
  },
  {
    name: 'layerbench/globals-node',
    files: under('main', 'scripts', 'bin', 'bench', 'test').concat([SRC]),
    languageOptions: { globals: { ...globals.node } },
  },
  { name: 'layerbench/globals-browser', files: under('renderer'), languageOptions: { globals: { ...globals.browser } } },
  { name: 'layerbench/globals-shared', files: under('shared'), languageOptions: { globals: { ...globals['shared-node-browser'] } } },
  {
    name: 'layerbench/unused',
    files: [`**/${SRC}`],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  ...boundaries,
);
