/**
 * The import boundaries of DESIGN.md are enforced by eslint.config.js; this proves the rules
 * fire (a forbidden import is reported with its message) and stay quiet for allowed imports.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const body = `${code}\nexport const used = x;\n`;
  const text = filePath.endsWith('.svelte') ? `<script lang="ts">\n${body.replace('export const', 'const')}</script>\n<p>{used}</p>\n` : body;
  const [result] = await eslint.lintText(text, { filePath: `${root}${filePath}` });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(`ESLint could not parse ${filePath}: ${fatal[0]?.message}`);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  const forbidden: [file: string, code: string, message: RegExp][] = [
    ['shared/x.ts', "import x from 'node:fs';", /shared\/ is pure TypeScript.*no Node built-ins/],
    ['shared/api/x.ts', "import x from 'fs';", /no Node built-ins/],
    ['shared/api/x.ts', "import x from 'fs/promises';", /no Node built-ins/],
    ['shared/x.ts', "import x from 'lodash';", /shared\/ is pure TypeScript.*no other packages/],
    ['shared/x.ts', "import x from 'electron';", /shared\/.*not electron/],
    ['shared/x.ts', "import x from '@tensorflow/tfjs';", /shared\/.*@tensorflow/],
    ['shared/x.ts', "import x from 'better-sqlite3';", /better-sqlite3/],
    ['shared/x.ts', "import x from 'ws';", /\(ws\)/],
    ['shared/x.ts', "import x from 'papaparse';", /papaparse/],
    ['shared/api/x.ts', "import { x } from '../../main/core.js';", /not main\/ or renderer\//],
    ['shared/x.ts', "import type { x } from '../renderer/src/lib/transport.js';", /not main\/ or renderer\//],
    ['renderer/src/x.ts', "import x from '@tensorflow/tfjs';", /renderer\/ is a sandboxed browser page/],
    ['renderer/src/x.ts', "import x from 'node:path';", /no Node built-ins/],
    ['renderer/src/views/X.svelte', "import x from 'node:fs';", /renderer\/ is a sandboxed browser page.*no Node built-ins/],
    ['renderer/src/x.ts', "import { x } from 'electron';", /window\.layerbench/],
    ['renderer/src/lib/x.ts', "import { x } from '../../../main/core.js';", /not main\//],
    ['main/store/x.ts', "import x from 'electron';", /Only main\/electron\/ may import electron/],
    ['main/store/x.ts', "import x from '@tensorflow/tfjs';", /Only main\/engine\//],
    ['main/store/migrations/x.ts', "import { x } from '../../engine/build.js';", /do not import each other/],
    ['main/store/x.ts', "import { x } from '../importers/csv/index.js';", /do not import each other/],
    ['main/importers/csv/x.ts', "import { x } from '../../store/index.js';", /do not import each other/],
    ['main/engine/x.ts', "import { x } from '../importers/csv/prepare.js';", /do not import each other/],
    ['main/engine/x.ts', "import x from 'electron';", /Only main\/electron\//],
    ['main/jobs/x.ts', "import x from '@tensorflow/tfjs';", /Only main\/engine\//],
    ['main/core.ts', "import { app as x } from 'electron';", /Only main\/electron\//],
    ['main/electron/x.ts', "import x from '@tensorflow/tfjs-node';", /Only main\/engine\//],
    ['test/unit/x.test.ts', "import x from 'electron';", /Only main\/electron\//],
  ];
  it.each(forbidden)('%s: %s is reported', async (file, code, message) => {
    const messages = await restricted(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  const allowed: [file: string, code: string][] = [
    ['shared/x.ts', "import { z as x } from 'zod';"],
    ['shared/api/x.ts', "import { x } from '../errors.js';"],
    ['renderer/src/x.ts', "import { x } from '../../shared/api/client.js';"],
    ['renderer/src/x.ts', "import { mount as x } from 'svelte';"],
    ['renderer/src/views/X.svelte', "import { x } from '../../../shared/api/client.js';"],
    ['main/electron/x.ts', "import { app as x } from 'electron';"],
    ['main/electron/x.ts', "import x from 'node:path';"],
    ['main/engine/x.ts', "import * as x from '@tensorflow/tfjs';"],
    ['main/engine/x.ts', "import { x } from './backend.js';"],
    ['main/store/x.ts', "import x from 'better-sqlite3';"],
    ['main/store/x.ts', "import { x } from './migrations/index.js';"],
    ['main/jobs/x.ts', "import { x } from '../engine/train.js';"],
    ['main/core.ts', "import { x } from './store/index.js';"],
    ['main/importers/csv/x.ts', "import x from 'papaparse';"],
    ['bench/x.ts', "import * as x from '@tensorflow/tfjs';"],
    ['test/unit/x.test.ts', "import { x } from '../../main/engine/backend.js';"],
  ];
  it.each(allowed)('%s: %s is allowed', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
