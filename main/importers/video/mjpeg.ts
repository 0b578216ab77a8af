/**
 * Splits ffmpeg's MJPEG stream (image2pipe) into JPEG files. It follows the markers instead of
 * searching for FF D9, so an end-of-image byte pair inside a segment cannot cut a frame short:
 * segments carry their length; in entropy-coded data a real FF byte is followed by 00 (stuffing)
 * or a restart marker D0–D7, so any other FF xx there is the next marker.
 */
export class MjpegSplitter {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Where parsing of the current frame stands in the buffered bytes. */
  private pos = 0;
  private inScan = false;

  /** Feeds bytes; returns the JPEGs they complete. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const out: Buffer[] = [];
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    this.chunks = [buf];
    for (;;) {
      const end = this.scan(buf);
      if (end < 0) break;
      out.push(Buffer.from(buf.subarray(0, end)));
      buf = buf.subarray(end);
      this.chunks = buf.length > 0 ? [buf] : [];
      this.length = buf.length;
      this.pos = 0;
      this.inScan = false;
    }
    return out;
  }

  /** Bytes after the last whole JPEG (a frame cut off when ffmpeg stopped). */
  get pending(): number {
    return this.length;
  }

  /** The end offset of the frame that starts at 0, or -1 when more bytes are needed. */
  private scan(b: Buffer): number {
    if (this.pos === 0) {
      if (b.length < 2) return -1;
      if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error(`MJPEG stream out of step: expected a JPEG start (FF D8), found ${hex(b, 0)}`);
      this.pos = 2;
    }
    let p = this.pos;
    for (;;) {
      if (this.inScan) {
        // Entropy-coded data: look for FF followed by something other than 00 or a restart marker.
        for (;;) {
          const ff = b.indexOf(0xff, p);
          if (ff < 0 || ff + 1 >= b.length) {
            this.pos = ff < 0 ? b.length : ff;
            return -1;
          }
          const m = b[ff + 1]!;
          if (m === 0x00 || (m >= 0xd0 && m <= 0xd7) || m === 0xff) {
            p = ff + (m === 0xff ? 1 : 2);
            continue;
          }
          p = ff;
          this.inScan = false;
          break;
        }
      }
      if (p + 2 > b.length) {
        this.pos = p;
        return -1;
      }
      if (b[p] !== 0xff) throw new Error(`MJPEG stream out of step: expected a marker at byte ${p}, found ${hex(b, p)}`);
      const marker = b[p + 1]!;
      if (marker === 0xff) {
        p += 1; // fill byte
        continue;
      }
      if (marker === 0xd9) return p + 2; // end of image
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        p += 2;
        continue;
      }
      if (p + 4 > b.length) {
        this.pos = p;
        return -1;
      }
      const segment = b.readUInt16BE(p + 2);
      if (p + 2 + segment > b.length) {
        this.pos = p;
        return -1;
      }
      p += 2 + segment;
      if (marker === 0xda) this.inScan = true; // start of scan: entropy-coded data follows its header
    }
  }
}

function hex(b: Buffer, at: number): string {
  return Array.from(b.subarray(at, at + 4), (c) => c.toString(16).padStart(2, '0')).join(' ') || 'nothing';
}
