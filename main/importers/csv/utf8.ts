import { createReadStream } from 'node:fs';

export interface Utf8Fault {
  /** 0-based offset of the first byte that is not valid UTF-8. */
  byte: number;
  /** 1-based line of the file on which it sits. */
  line: number;
  value: number;
}

/**
 * Finds the first byte that breaks UTF-8, with its line. Only called once a fatal TextDecoder has
 * thrown (it says that, not where), so the second read of the file costs nothing on good files.
 */
export async function locateInvalidUtf8(path: string): Promise<Utf8Fault | undefined> {
  let offset = 0;
  let line = 1;
  // Bytes still expected to complete the current sequence, and where that sequence began.
  let need = 0;
  let seqStart = 0;
  let seqLine = 1;
  let lower = 0x80;
  let upper = 0xbf;
  let seqLead = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i]!;
      if (need > 0) {
        if (b < lower || b > upper) return { byte: seqStart, line: seqLine, value: seqLead };
        lower = 0x80;
        upper = 0xbf;
        need--;
        continue;
      }
      if (b === 0x0a) line++;
      if (b < 0x80) continue;
      seqStart = offset;
      seqLine = line;
      seqLead = b;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
      } else return { byte: offset, line, value: b };
    }
  }
  return need > 0 ? { byte: seqStart, line: seqLine, value: seqLead } : undefined;
}
