/**
 * The CSV importer's fixture table (good files with the facts the profile must find, bad files
 * with the exact error), then preparation (J1-shaped data) and streaming of a large file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { profileCsv, readRows, prepareTabular, applyPreprocessing, unscaleTarget, scaleTarget } from '../../../main/importers/csv/index.js';
import { findImporter } from '../../../main/importers/index.js';
import { featureLayout, type ColumnType, type CsvProfile, type DatasetConfig } from '../../../shared/dataset.js';
import { AppError, type ErrorCode } from '../../../shared/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the promise to reject');
}

interface Good {
  delimiter: string;
  hasHeader: boolean;
  rowCount: number;
  names: string[];
  types: ColumnType[];
  missing?: number[];
  preview?: [row: number, col: number, value: string][];
}
interface Bad {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
interface Fixture {
  name: string;
  content: string | Uint8Array;
  expect: Good | Bad;
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
const J1_HEAD = 'date,pollution,dew,temp,press,wnd_dir,wnd_spd,snow,rain\n';
const latin1 = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const manyLines = Array.from({ length: 5000 }, (_, i) => `${i},${i * 2}\n`).join('');

const FIXTURES: Fixture[] = [
  {
    name: 'comma.csv',
    content: 'n,wind,when\n1,NE,2010-01-02 00:00:00\n2.5,cv,2010-01-02T01:00\n-3e2,NE,2010-01-02 02:00:00\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 3, names: ['n', 'wind', 'when'], types: ['number', 'categorical', 'datetime'], missing: [0, 0, 0] },
  },
  {
    name: 'semicolon.csv',
    content: 'city;price;rooms\nParis;1,5;3\nLyon;2,25;4\nNice;3,0;2\n',
    expect: { delimiter: ';', hasHeader: true, rowCount: 3, names: ['city', 'price', 'rooms'], types: ['categorical', 'categorical', 'number'] },
  },
  {
    name: 'tab.tsv',
    content: 'x\ty\tlabel\n1\t2\tcat\n3\t4\tdog\n5\t6\tcat',
    expect: { delimiter: '\t', hasHeader: true, rowCount: 3, names: ['x', 'y', 'label'], types: ['number', 'number', 'categorical'] },
  },
  {
    name: 'pipe.txt',
    content: 'a|b\n1|2\n3|4\n',
    expect: { delimiter: '|', hasHeader: true, rowCount: 2, names: ['a', 'b'], types: ['number', 'number'] },
  },
  {
    name: 'no-header.csv',
    content: '1,2.5,NE\n4,5.5,NW\n7,8.5,NE\n',
    expect: { delimiter: ',', hasHeader: false, rowCount: 3, names: ['column_1', 'column_2', 'column_3'], types: ['number', 'number', 'categorical'] },
  },
  {
    name: 'quoted.csv',
    content: 'id,comment,value\n1,"hello, world",3\n2,"line one\nline two",4\n3,"she said ""hi""",5\n',
    expect: {
      delimiter: ',',
      hasHeader: true,
      rowCount: 3,
      names: ['id', 'comment', 'value'],
      types: ['number', 'categorical', 'number'],
      preview: [
        [0, 1, 'hello, world'],
        [1, 1, 'line one\nline two'],
        [2, 1, 'she said "hi"'],
      ],
    },
  },
  {
    name: 'missing.csv',
    content: 'a,b,c\n1,,x\nNA,2,null\n3,N/A,y\nnan,None,z\n5, 6 ,NaN\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 5, names: ['a', 'b', 'c'], types: ['number', 'number', 'categorical'], missing: [2, 3, 2] },
  },
  {
    name: 'crlf-bom.csv',
    content: '\uFEFFtemp,press\r\n1.5,1000\r\n2.5,1001\r\n\r\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 2, names: ['temp', 'press'], types: ['number', 'number'] },
  },
  {
    name: 'blank-lines.csv',
    content: 'a,b\n1,2\n\n3,4\n\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 2, names: ['a', 'b'], types: ['number', 'number'] },
  },
  {
    name: 'one-column.csv',
    content: 'v\n1\n\n3\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 3, names: ['v'], types: ['number'], missing: [1] },
  },
  {
    name: 'text-header.csv',
    content: 'name,city\nbob,paris\nann,rome\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 2, names: ['name', 'city'], types: ['categorical', 'categorical'] },
  },
  {
    name: 'odd-header.csv',
    content: ',x,x\n0,1,2\n1,3,4\n',
    expect: { delimiter: ',', hasHeader: true, rowCount: 2, names: ['column_1', 'x', 'x_2'], types: ['number', 'number', 'number'] },
  },
  {
    name: 'ragged.csv',
    content: J1_HEAD + '2010-01-02 00:00:00,129,-16,-4,1020,SE,1.79,0,0\n2010-01-02 01:00:00,148,-15,-4,1020,SE,2.68,0\n',
    expect: {
      code: 'CSV_RAGGED',
      message: 'ragged.csv, row 3: expected 9 fields (as in the header) but found 8.',
      details: { file: 'ragged.csv', row: 3, expected: 9, found: 8 },
    },
  },
  {
    // The quoted line break makes record 3 start on line 4.
    name: 'ragged-after-quote.csv',
    content: 'id,comment,value\n1,"a\nb",3\n2,x\n',
    expect: { code: 'CSV_RAGGED', message: 'ragged-after-quote.csv, row 4: expected 3 fields (as in the header) but found 2.' },
  },
  {
    name: 'ragged-no-header.csv',
    content: '1,2\n3,4,5\n',
    expect: { code: 'CSV_RAGGED', message: 'ragged-no-header.csv, row 2: expected 2 fields (as in the first row) but found 3.' },
  },
  {
    name: 'latin1.csv',
    content: latin1('name,city\nJosé,Paris\n'),
    expect: {
      code: 'CSV_ENCODING',
      message:
        'latin1.csv, line 2 (byte 13): expected UTF-8 text but found the byte 0xE9, which is not valid UTF-8. Save the file as UTF-8 (for example "CSV UTF-8" in Excel) and import it again.',
      details: { file: 'latin1.csv', line: 2, byte: 13 },
    },
  },
  {
    // Past the 64 KB sniff: found by the streaming decoder.
    name: 'latin1-late.csv',
    content: Buffer.concat([Buffer.from('a,b\n' + manyLines.repeat(2)), Buffer.from('1,caf\xe9\n', 'latin1')]),
    expect: {
      code: 'CSV_ENCODING',
      message: `latin1-late.csv, line 10002 (byte ${4 + 2 * manyLines.length + 5}): expected UTF-8 text but found the byte 0xE9, which is not valid UTF-8. Save the file as UTF-8 (for example "CSV UTF-8" in Excel) and import it again.`,
    },
  },
  {
    name: 'utf16.csv',
    content: Uint8Array.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')])),
    expect: {
      code: 'CSV_ENCODING',
      message: 'utf16.csv is UTF-16 text; expected UTF-8 text. Save the file as UTF-8 (for example "CSV UTF-8" in Excel) and import it again.',
    },
  },
  { name: 'empty.csv', content: '', expect: { code: 'CSV_EMPTY', message: 'empty.csv is empty: expected a header row and data rows.' } },
  { name: 'whitespace.csv', content: '\n  \r\n\t\n', expect: { code: 'CSV_EMPTY', message: 'whitespace.csv is empty: expected a header row and data rows.' } },
  {
    name: 'header-only.csv',
    content: 'a,b,c\n',
    expect: { code: 'CSV_EMPTY', message: 'header-only.csv has a header row but no data rows: expected a header row and data rows.' },
  },
  {
    name: 'image.png',
    content: PNG,
    expect: { code: 'CSV_BINARY', message: 'image.png looks like a binary file, not text (found a NUL byte at byte 8).', details: { file: 'image.png', byte: 8 } },
  },
];

describe('CSV fixture table', () => {
  for (const f of FIXTURES) {
    it(f.name, async () => {
      const file = write(f.name, f.content);
      const e = f.expect;
      if ('code' in e) {
        const err = await failure(profileCsv(file));
        expect({ code: err.code, message: err.message }).toEqual({ code: e.code, message: e.message });
        if (e.details) expect(err.details).toEqual(e.details);
        return;
      }
      const p = await profileCsv(file);
      expect(p.delimiter).toBe(e.delimiter);
      expect(p.hasHeader).toBe(e.hasHeader);
      expect(p.rowCount).toBe(e.rowCount);
      expect(p.columns.map((c) => c.name)).toEqual(e.names);
      expect(p.columns.map((c) => c.type)).toEqual(e.types);
      if (e.missing) expect(p.columns.map((c) => c.missing)).toEqual(e.missing);
      for (const [r, c, v] of e.preview ?? []) expect(p.preview[r]?.[c]).toBe(v);
      expect(p.preview.length).toBe(Math.min(50, e.rowCount));
      // readRows sees the same rows as the profile.
      let n = 0;
      await readRows(file, p, (fields, i) => {
        expect(i).toBe(n++);
        expect(fields.length).toBe(e.names.length);
      });
      expect(n).toBe(e.rowCount);
    });
  }
});

describe('file edge cases', () => {
  it('decodes characters cut in two by the 64 KB sniff and the 1 MB read chunks', async () => {
    // Each 'é' (2 bytes) starts at 8 + 2 + 5k, so one straddles byte 65,536 and one byte 1,048,576.
    const rows = 300_000;
    const file = write('accents.csv', 'ab,cdef\n' + '1,é\n'.repeat(rows));
    expect((65535 - 10) % 5).toBe(0);
    expect((1048575 - 10) % 5).toBe(0);
    const p = await profileCsv(file);
    expect(p.rowCount).toBe(rows);
    expect(p.columns[1]).toMatchObject({ type: 'categorical', categories: ['é'] });
  });

  it('a missing file is NOT_FOUND', async () => {
    const err = await failure(profileCsv(path.join(dir, 'nope.csv')));
    expect(err.code).toBe('NOT_FOUND');
  });
});

describe('column statistics', () => {
  it('counts, Welford mean and std, an exact histogram below 10,000 values, sorted categories', async () => {
    const lines = ['x,dir,note'];
    const dirs = ['SE', 'NW', 'cv', 'NE'];
    for (let i = 0; i < 100; i++) lines.push(`${i},${dirs[i % 4]},${i < 60 ? `note ${i}` : ''}`);
    const p = await profileCsv(write('stats.csv', lines.join('\n')));
    const [x, dir, note] = p.columns;
    expect(x).toMatchObject({ type: 'number', min: 0, max: 99, distinct: 100, missing: 0 });
    expect(x!.mean).toBeCloseTo(49.5, 10);
    expect(x!.std).toBeCloseTo(Math.sqrt((100 * 100 - 1) / 12), 10);
    expect(x!.histogram).toEqual(new Array(20).fill(5));
    expect(dir).toMatchObject({ type: 'categorical', distinct: 4, categories: ['NE', 'NW', 'SE', 'cv'] });
    expect(dir!.topValues).toEqual(dirs.map((value) => ({ value, count: 25 })).sort((a, b) => (a.value < b.value ? -1 : 1)));
    expect(note).toMatchObject({ type: 'text', missing: 40, distinct: 60 });
    expect(note!.categories).toBeUndefined();
    expect(note!.topValues).toHaveLength(20);
  });

  it('more than 50 distinct strings is text; distinct stops at 1000', async () => {
    const lines = ['id,v'];
    for (let i = 0; i < 1500; i++) lines.push(`id${i},${i % 7}`);
    const p = await profileCsv(write('text.csv', lines.join('\n')));
    expect(p.columns[0]).toMatchObject({ type: 'text', distinct: 1000 });
    expect(p.columns[0]!.categories).toBeUndefined();
    expect(p.columns[1]).toMatchObject({ type: 'number', distinct: 7 });
  });

  it('histogram of a large column is scaled from the sample to the full count', async () => {
    const lines = ['v'];
    for (let i = 0; i < 50_000; i++) lines.push(String(i % 1000));
    const p = await profileCsv(write('big-hist.csv', lines.join('\n')));
    const h = p.columns[0]!.histogram!;
    const total = h.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 50_000)).toBeLessThan(50);
    for (const c of h) expect(Math.abs(c - 2500)).toBeLessThan(400);
  });
});

/** J1-shaped: hourly rows with the hour as a date part, so there are 8 features (7 numbers + wnd_dir). */
function j1Csv(hours: number, opts: { missingTargetEvery?: number } = {}): string {
  const dirs = ['NE', 'NW', 'SE', 'cv'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const lines = ['date,hour,pollution,dew,temp,press,wnd_dir,wnd_spd,snow,rain'];
  const start = Date.UTC(2010, 0, 2);
  for (let h = 0; h < hours; h++) {
    const date = new Date(start + h * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    const pollution = opts.missingTargetEvery && h % opts.missingTargetEvery === 5 ? 'NA' : (rnd() * 500).toFixed(1);
    const temp = (-10 + 30 * rnd()).toFixed(1);
    lines.push(
      `${date},${h % 24},${pollution},${Math.round(-30 + 40 * rnd())},${temp},${(1000 + 30 * rnd()).toFixed(1)},${dirs[Math.floor(rnd() * 4)]},${(rnd() * 50).toFixed(2)},${rnd() < 0.02 ? 1 : 0},${rnd() < 0.05 ? Math.floor(rnd() * 5) : 0}`,
    );
  }
  return lines.join('\n') + '\n';
}

function j1Config(profile: CsvProfile, overrides: Partial<DatasetConfig> = {}): DatasetConfig {
  return {
    columns: profile.columns.map((c) => ({
      name: c.name,
      role: c.name === 'pollution' ? 'target' : c.name === 'date' ? 'ignore' : 'feature',
      encoding: 'onehot',
    })),
    scaling: 'minmax',
    lookback: 1,
    split: { kind: 'chronological', trainRows: 365 * 24, validationFraction: 0.1 },
    ...overrides,
  };
}

/** The raw cells of data row r for the preprocessing's feature columns, as the try-it panel would pass them. */
const linesOf = new Map<string, string[]>();
function featureCells(text: string, profile: CsvProfile, columns: string[], r: number): string[] {
  let lines = linesOf.get(text);
  if (!lines) linesOf.set(text, (lines = text.split('\n')));
  const row = lines[r + 1]!.split(',');
  return columns.map((c) => row[profile.columns.find((p) => p.name === c)!.index]!);
}

describe('prepareTabular (J1)', () => {
  const HOURS = 365 * 24 + 960;
  let file: string;
  let text: string;
  let profile: CsvProfile;
  beforeAll(async () => {
    text = j1Csv(HOURS);
    file = write('j1.csv', text);
    profile = await profileCsv(file);
  });

  it('encodes 8 features as [1, 11] with a 4-way one-hot, in featureLayout order, date ignored', async () => {
    const config = j1Config(profile);
    const d = await prepareTabular(file, profile, config);
    const layout = featureLayout(profile, config);
    expect(d.inputs[0]!.shape).toEqual([1, 11]);
    expect(d.inputs[0]!.shape).toEqual(layout.inputShape);
    expect(d.pre.featureNames).toEqual(layout.featureNames);
    expect(d.pre.featureNames).toEqual(['hour', 'dew', 'temp', 'press', 'wnd_dir=NE', 'wnd_dir=NW', 'wnd_dir=SE', 'wnd_dir=cv', 'wnd_spd', 'snow', 'rain']);
    expect(d.outputUnits).toBe(1);
    expect(d.pre.target.task).toBe('regression');
    expect(JSON.parse(JSON.stringify(d.pre))).toEqual(d.pre);
  });

  it('splits chronologically: first 365×24 rows train (last 10% validation), the rest test', async () => {
    const d = await prepareTabular(file, profile, j1Config(profile));
    expect([d.train.count, d.validation.count, d.test.count]).toEqual([7884, 876, 960]);
    expect(d.train.rowIndex[0]).toBe(0);
    expect(d.train.rowIndex[7883]).toBe(7883);
    expect(d.validation.rowIndex[0]).toBe(7884);
    expect(d.test.rowIndex[0]).toBe(8760);
    expect(d.test.rowIndex[959]).toBe(HOURS - 1);
    expect(d.train.xs[0]!.length).toBe(7884 * 11);
    expect(d.skippedRows).toBe(0);
  });

  it('fits min-max on the train split only: train x and y in [0, 1], each reaching both ends', async () => {
    const d = await prepareTabular(file, profile, j1Config(profile, { split: { kind: 'chronological', trainRows: 365 * 24, validationFraction: 0 } }));
    for (let c = 0; c < 11; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < d.train.count; i++) {
        const v = d.train.xs[0]![i * 11 + c]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect([lo, hi], d.pre.featureNames[c]).toEqual([0, 1]);
    }
    const ys = Array.from(d.train.y);
    expect(Math.min(...ys)).toBe(0);
    expect(Math.max(...ys)).toBe(1);
    // The train split's range, not the whole file's.
    const trainPollution = Array.from(d.train.rowIndex, (r) => Number(featureCells(text, profile, ['pollution'], r)[0]));
    expect(d.pre.target.offset).toBe(Math.min(...trainPollution));
    expect(d.pre.target.divisor).toBeCloseTo(Math.max(...trainPollution) - Math.min(...trainPollution), 9);
  });

  it('unscales predictions back to file units', async () => {
    const d = await prepareTabular(file, profile, j1Config(profile));
    for (const i of [0, 17, 500]) {
      const r = d.test.rowIndex[i]!;
      const actual = Number(featureCells(text, profile, ['pollution'], r)[0]);
      expect(unscaleTarget(d.pre, d.test.y[i]!)).toBeCloseTo(actual, 3);
      expect(unscaleTarget(d.pre, scaleTarget(d.pre, actual))).toBeCloseTo(actual, 9);
    }
  });

  it('applyPreprocessing on raw cells gives exactly the prepared inputs', async () => {
    const d = await prepareTabular(file, profile, j1Config(profile));
    const columns = d.pre.features.map((f) => f.column);
    for (const i of [0, 99, 959]) {
      const r = d.test.rowIndex[i]!;
      const x = applyPreprocessing(d.pre, [featureCells(text, profile, columns, r)]);
      expect(Array.from(x)).toEqual(Array.from(d.test.xs[0]!.subarray(i * 11, (i + 1) * 11)));
    }
    expect(() => applyPreprocessing(d.pre, [])).toThrow('Expected 1 row of feature values (lookback 1) but received 0.');
  });

  it('lookback 3: windows of 3 consecutive rows ending at the target row', async () => {
    const d = await prepareTabular(file, profile, j1Config(profile, { lookback: 3, split: { kind: 'chronological', trainRows: 8760, validationFraction: 0 } }));
    expect(d.inputs[0]!.shape).toEqual([3, 11]);
    // The first window ends on row 2: rows 0 and 1 have no full window.
    expect(d.train.count).toBe(8760 - 2);
    expect(d.train.rowIndex[0]).toBe(2);
    expect(d.test.count).toBe(960);
    const columns = d.pre.features.map((f) => f.column);
    const i = 40;
    const r = d.test.rowIndex[i]!;
    const window = [r - 2, r - 1, r].map((k) => featureCells(text, profile, columns, k));
    expect(Array.from(d.test.xs[0]!.subarray(i * 33, (i + 1) * 33))).toEqual(Array.from(applyPreprocessing(d.pre, window)));
    // Row r-1 of this window is the last row of the previous sample's window.
    expect(Array.from(d.test.xs[0]!.subarray(i * 33 + 11, i * 33 + 22))).toEqual(Array.from(d.test.xs[0]!.subarray((i - 1) * 33 + 22, i * 33)));
  });

  it('random split: deterministic by seed, disjoint, sized by the fractions', async () => {
    const cfg = (seed: number) => j1Config(profile, { lookback: 0, split: { kind: 'random', seed, testFraction: 0.2, validationFraction: 0.1 } });
    const a = await prepareTabular(file, profile, cfg(42));
    const b = await prepareTabular(file, profile, cfg(42));
    const c = await prepareTabular(file, profile, cfg(7));
    expect(a.inputs[0]!.shape).toEqual([11]);
    expect([a.test.count, a.validation.count, a.train.count]).toEqual([Math.round(HOURS * 0.2), Math.round(HOURS * 0.1), HOURS - Math.round(HOURS * 0.2) - Math.round(HOURS * 0.1)]);
    expect(Array.from(b.test.rowIndex)).toEqual(Array.from(a.test.rowIndex));
    expect(Array.from(b.train.xs[0]!)).toEqual(Array.from(a.train.xs[0]!));
    expect(Array.from(c.test.rowIndex)).not.toEqual(Array.from(a.test.rowIndex));
    const all = new Set([...a.train.rowIndex, ...a.validation.rowIndex, ...a.test.rowIndex]);
    expect(all.size).toBe(HOURS);
  });
});

describe('prepareTabular: missing values and bad configs', () => {
  it('skips rows without a target and fills missing features with the train mean', async () => {
    const file = write('gaps.csv', 'x,dir,y\n1,a,10\n,b,20\n3,,\n5,a,40\n7,b,50\n');
    const profile = await profileCsv(file);
    const d = await prepareTabular(file, profile, {
      columns: [
        { name: 'x', role: 'feature', encoding: 'onehot' },
        { name: 'dir', role: 'feature', encoding: 'integer' },
        { name: 'y', role: 'target', encoding: 'onehot' },
      ],
      scaling: 'none',
      lookback: 0,
      split: { kind: 'chronological', trainRows: 3, validationFraction: 0 },
    });
    expect(d.skippedRows).toBe(1);
    expect(Array.from(d.train.rowIndex)).toEqual([0, 1]);
    expect(Array.from(d.test.rowIndex)).toEqual([3, 4]);
    // Row 1's x is missing: the mean of the train rows' x (only row 0 has one) fills it.
    expect(d.pre.features[0]!.fill).toBe(1);
    expect(Array.from(d.train.xs[0]!)).toEqual([1, 0, 1, 1]);
    expect(Array.from(d.test.y)).toEqual([40, 50]);
  });

  it('classification: a categorical target gives one-hot y and its classes', async () => {
    const file = write('classes.csv', 'a,b,label\n1,2,cat\n2,3,dog\n3,1,cat\n4,4,bird\n5,5,dog\n6,0,cat\n');
    const profile = await profileCsv(file);
    const config: DatasetConfig = {
      columns: [
        { name: 'a', role: 'feature', encoding: 'onehot' },
        { name: 'b', role: 'feature', encoding: 'onehot' },
        { name: 'label', role: 'target', encoding: 'onehot' },
      ],
      scaling: 'standard',
      lookback: 0,
      split: { kind: 'chronological', trainRows: 4, validationFraction: 0 },
    };
    const d = await prepareTabular(file, profile, config);
    expect(d.outputUnits).toBe(3);
    expect(d.pre.target.classes).toEqual(['bird', 'cat', 'dog']);
    expect(featureLayout(profile, config).outputUnits).toBe(3);
    expect(Array.from(d.train.y)).toEqual([0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
    // Standard scaling of the train split: mean 0.
    const xs = Array.from({ length: 4 }, (_, i) => d.train.xs[0]![i * 2]!);
    expect(xs.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6);
  });

  it("a target with no values is CSV_NO_TARGET_VALUES", async () => {
    const file = write('no-target.csv', 'a,b\n1,\n2,NA\n3,\n');
    const profile = await profileCsv(file);
    const err = await failure(
      prepareTabular(file, profile, {
        columns: [
          { name: 'a', role: 'feature', encoding: 'onehot' },
          { name: 'b', role: 'target', encoding: 'onehot' },
        ],
        scaling: 'minmax',
        lookback: 0,
        split: { kind: 'random', seed: 1, testFraction: 0.2, validationFraction: 0 },
      }),
    );
    expect(err.code).toBe('CSV_NO_TARGET_VALUES');
    expect(err.message).toBe("no-target.csv: target column 'b' has no values (all 3 rows are empty).");
  });

  const BAD: { name: string; change: (c: DatasetConfig) => void; message: string }[] = [
    {
      name: 'unknown column',
      change: (c) => c.columns.push({ name: 'pm25', role: 'feature', encoding: 'onehot' }),
      message: "Column 'pm25' is not in cfg.csv; its columns are 'date', 'temp', 'dir', 'note', 'y'.",
    },
    { name: 'no target', change: (c) => (c.columns[4]!.role = 'ignore'), message: "No target column: expected one column with the role 'target'." },
    {
      name: 'two targets',
      change: (c) => (c.columns[1]!.role = 'target'),
      message: "Expected one target column but found 2: 'temp', 'y'.",
    },
    {
      name: 'no features',
      change: (c) => c.columns.forEach((s) => s.role === 'feature' && (s.role = 'ignore')),
      message: "No feature columns: expected at least one column with the role 'feature'.",
    },
    {
      name: 'datetime feature',
      change: (c) => (c.columns[0]!.role = 'feature'),
      message: "Column 'date' holds dates and times; a feature must be numbers or at most 50 categories. Set its role to 'ignore'.",
    },
    {
      name: 'text feature',
      change: (c) => (c.columns[3]!.role = 'feature'),
      message: "Column 'note' has 60 distinct text values; a feature must be numbers or at most 50 categories. Set its role to 'ignore'.",
    },
    {
      name: 'train rows past the end',
      change: (c) => (c.split = { kind: 'chronological', trainRows: 60, validationFraction: 0 }),
      message: 'split.trainRows must be a whole number from 1 to 59 (cfg.csv has 60 data rows, and some must be left for testing) but is 60.',
    },
  ];
  for (const b of BAD) {
    it(`bad config: ${b.name}`, async () => {
      const lines = ['date,temp,dir,note,y'];
      for (let i = 0; i < 60; i++) lines.push(`2010-01-01 ${String(i % 24).padStart(2, '0')}:00,${i},${i % 2 ? 'E' : 'W'},note ${i},${i * 2}`);
      const file = write('cfg.csv', lines.join('\n'));
      const profile = await profileCsv(file);
      const config: DatasetConfig = {
        columns: [
          { name: 'date', role: 'ignore', encoding: 'onehot' },
          { name: 'temp', role: 'feature', encoding: 'onehot' },
          { name: 'dir', role: 'feature', encoding: 'onehot' },
          { name: 'note', role: 'ignore', encoding: 'onehot' },
          { name: 'y', role: 'target', encoding: 'onehot' },
        ],
        scaling: 'minmax',
        lookback: 0,
        split: { kind: 'random', seed: 1, testFraction: 0.2, validationFraction: 0.1 },
      };
      await expect(prepareTabular(file, profile, config)).resolves.toBeTruthy();
      b.change(config);
      const err = await failure(prepareTabular(file, profile, config));
      expect({ code: err.code, message: err.message }).toEqual({ code: 'CSV_BAD_CONFIG', message: b.message });
    });
  }
});

describe('importer registry', () => {
  it('matches CSV-like names with text content, nothing else', () => {
    const text = new TextEncoder().encode('a,b\n1,2\n');
    expect(findImporter('/data/pollution.csv', text)?.id).toBe('csv');
    expect(findImporter('/data/POLLUTION.TSV', text)?.id).toBe('csv');
    expect(findImporter('/data/image.csv', PNG)).toBeUndefined();
    expect(findImporter('/data/model.onnx', text)).toBeUndefined();
  });
});

describe('streaming a large file', () => {
  const big = path.join(dir, 'big.csv');
  beforeAll(async () => {
    const out = createWriteStream(big);
    const chunk = j1Csv(20_000).split('\n').slice(1).join('\n');
    out.write('date,hour,pollution,dew,temp,press,wnd_dir,wnd_spd,snow,rain\n');
    while (out.bytesWritten + out.writableLength < 50 * 1024 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  });

  it('profiles ~50 MB with progress events and bounded memory', async () => {
    const bytesTotal = statSync(big).size;
    expect(bytesTotal).toBeGreaterThan(50 * 1024 * 1024);
    const events: { bytesRead: number; rows: number }[] = [];
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const p = await profileCsv(big, {
      onProgress: (e) => {
        expect(e.bytesTotal).toBe(bytesTotal);
        events.push({ bytesRead: e.bytesRead, rows: e.rows });
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const after = process.memoryUsage().heapUsed;
    expect(p.columns.map((c) => c.type)).toEqual(['datetime', 'number', 'number', 'number', 'number', 'number', 'categorical', 'number', 'number', 'number']);
    expect(p.rowCount).toBeGreaterThan(700_000);
    expect(events.length).toBeGreaterThan(40);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.bytesRead).toBeGreaterThanOrEqual(events[i - 1]!.bytesRead);
      expect(events[i]!.rows).toBeGreaterThanOrEqual(events[i - 1]!.rows);
    }
    expect(events.at(-1)).toEqual({ bytesRead: bytesTotal, rows: p.rowCount });
    expect(after - before).toBeLessThan(100 * 1024 * 1024);
    // Garbage can pile up between collections, but never the file: as strings it alone would be > 100 MB.
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('cancels through the AbortSignal with CANCELLED', async () => {
    const abort = new AbortController();
    let rowsAtAbort = 0;
    const err = await failure(
      profileCsv(big, {
        signal: abort.signal,
        onProgress: (e) => {
          if (rowsAtAbort === 0 && e.bytesRead > 5 * 1024 * 1024) {
            rowsAtAbort = e.rows;
            abort.abort();
          }
        },
      }),
    );
    expect(err.code).toBe('CANCELLED');
    expect(rowsAtAbort).toBeGreaterThan(0);
    const already = new AbortController();
    already.abort();
    expect((await failure(profileCsv(big, { signal: already.signal }))).code).toBe('CANCELLED');
    expect((await failure(readRows(big, { delimiter: ',', hasHeader: true, rowCount: 0, columns: [], preview: [] }, () => {}, already.signal))).code).toBe(
      'CANCELLED',
    );
  });
});
