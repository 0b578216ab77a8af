/** Reading a pasted CSV row (or window of rows) into the try-it form's cells, and checking the cells. */
import { describe, expect, it } from 'vitest';
import { rowsFromPaste, splitCsvLine, type TableForm } from '../../../shared/tryit.js';
import { checkCells } from '../../../main/handlers/tryit.js';

const form: TableForm = {
  kind: 'table',
  runId: 'r',
  runName: 'Run 1',
  task: 'regression',
  target: 'pollution',
  columns: [
    { name: 'temp', kind: 'number', initial: '12.5' },
    { name: 'wnd_dir', kind: 'category', categories: ['NE', 'NW', 'SE', 'cv'], initial: 'SE' },
    { name: 'rain', kind: 'number', initial: '0' },
  ],
  steps: 1,
  horizon: 0,
  fileColumns: ['date', 'pollution', 'temp', 'wnd_dir', 'rain'],
  delimiter: ',',
  sourceName: 'pm.csv',
};

describe('splitCsvLine', () => {
  it('splits on the delimiter, trims, and keeps quoted delimiters and doubled quotes', () => {
    expect(splitCsvLine(' 1, "a,b" ,"say ""hi""",', ',')).toEqual(['1', 'a,b', 'say "hi"', '']);
    expect(splitCsvLine('1;2', ';')).toEqual(['1', '2']);
  });
  it('names an unclosed quote', () => {
    expect(() => splitCsvLine('1,"open', ',')).toThrow('A quoted value is not closed: "1,\\"open".');
  });
});

describe('rowsFromPaste', () => {
  it('reads the input columns in order, without a header', () => {
    expect(rowsFromPaste(form, '3.5,NW,0.2\n')).toEqual([['3.5', 'NW', '0.2']]);
  });
  it('reads a whole row of the file, picking the input columns by position', () => {
    expect(rowsFromPaste(form, '2010-01-02,129,-4,SE,0')).toEqual([['-4', 'SE', '0']]);
  });
  it('finds columns by name under a header, in any order, ignoring the others', () => {
    expect(rowsFromPaste(form, 'rain,pollution,wnd_dir,temp\n1.5,99,cv,7')).toEqual([['7', 'cv', '1.5']]);
  });
  it('reads a tab-separated paste from a spreadsheet', () => {
    expect(rowsFromPaste(form, 'temp\twnd_dir\train\n1\tNE\t0')).toEqual([['1', 'NE', '0']]);
  });
  it('says exactly what a ragged line holds and what was expected', () => {
    expect(() => rowsFromPaste(form, '1,NE')).toThrow("Line 1 has 2 values; expected 3 (temp, wnd_dir, rain) or all 5 columns of pm.csv.");
    expect(() => rowsFromPaste(form, 'temp,wnd_dir,rain\n1,NE')).toThrow('Line 2 has 2 values but the header names 3 columns.');
  });
  it('asks for the window a time-series run reads', () => {
    const windowed = { ...form, steps: 3 };
    expect(rowsFromPaste(windowed, '1,NE,0\n2,NW,0\n\n3,SE,1\n')).toEqual([['1', 'NE', '0'], ['2', 'NW', '0'], ['3', 'SE', '1']]);
    expect(() => rowsFromPaste(windowed, '1,NE,0\n2,NW,0')).toThrow(
      'Expected 3 consecutive rows (this run reads a window of 3) after pasting but found 2 rows.',
    );
    expect(() => rowsFromPaste(form, 'temp,wnd_dir,rain\n1,NE,0\n2,NE,0')).toThrow('Expected one row after the header but found 2 rows.');
  });
  it('says what to paste when there is nothing', () => {
    expect(() => rowsFromPaste(form, ' \n\n')).toThrow('Nothing to read: paste 1 row of temp, wnd_dir, rain.');
  });
});

describe('checkCells', () => {
  it('accepts numbers and known categories, and reports empty cells as filled', () => {
    expect(checkCells(form, [['1e3', 'cv', '']])).toEqual(['rain']);
    expect(checkCells(form, [['-0.5', ' NE ', 'NA']])).toEqual(['rain']);
  });
  it('names the column, the value found and what was expected', () => {
    expect(() => checkCells(form, [['warm', 'NE', '0']])).toThrow("Column 'temp': expected a number but found 'warm'.");
    expect(() => checkCells(form, [['1', 'SW', '0']])).toThrow("Column 'wnd_dir': 'SW' is not a value the run trained on; expected one of NE, NW, SE, cv.");
    expect(() => checkCells({ ...form, steps: 2 }, [['1', 'NE', '0'], ['x', 'NE', '0']])).toThrow(
      "Column 'temp' (row 2 of 2): expected a number but found 'x'.",
    );
  });
  it('refuses the wrong number of rows or values', () => {
    expect(() => checkCells(form, [['1', 'NE']])).toThrow('Expected 3 values, one per input column (temp, wnd_dir, rain), but received 2.');
    expect(() => checkCells(form, [])).toThrow('Expected one row of values but received 0.');
  });
});
