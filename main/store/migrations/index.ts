/** Every schema migration, oldest first. Append new ones; never edit or reorder released ones. */
import { migration001 } from './001-initial.js';
import { migration002 } from './002-run-prep.js';
import { migration003 } from './003-run-early-stop.js';
import { migration004 } from './004-run-checkpoints.js';
import { migration005 } from './005-images.js';
import { migration006 } from './006-run-hidden.js';
import type { Migration } from './types.js';

export type { Db, Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];
