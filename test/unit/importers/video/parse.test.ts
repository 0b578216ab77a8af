/** The pure parts: ffmpeg's text output, the MJPEG splitter, the file signatures. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ffmpegReason, frameName, isVideoName, matchVideo, parseFfmpegVersion, parseProbe, sniffVideo } from '../../../../main/importers/video/index.js';
import { MjpegSplitter } from '../../../../main/importers/video/mjpeg.js';

describe('parseProbe', () => {
  it('reads an ffmpeg 6 header with a container id, 29.97 fps and a display matrix', () => {
    const out = [
      "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_0042.MOV':",
      '  Duration: 00:20:03.52, start: 0.000000, bitrate: 17000 kb/s',
      '  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, 16000 kb/s, 29.97 fps, 29.97 tbr, 600 tbn (default)',
      '    Metadata:',
      '      handler_name    : Core Media Video',
      '    Side data:',
      '      displaymatrix: rotation of -90.00 degrees',
      '  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 160 kb/s (default)',
    ].join('\n');
    expect(parseProbe(out)).toEqual({
      durationSec: 1203.52,
      fps: 29.97,
      width: 1080,
      height: 1920,
      rotation: 90,
      codec: 'hevc',
      frameCountEstimate: Math.round(1203.52 * 29.97),
      streamIndex: 0,
    });
  });

  it('passes over cover art and copes with an unknown duration', () => {
    const out = [
      '  Duration: N/A, start: 0.000000, bitrate: N/A',
      '  Stream #0:0: Video: mjpeg (Baseline), yuvj420p(pc), 600x600, 90k tbr, 90k tbn (attached pic)',
      '  Stream #0:1: Video: vp9 (Profile 0), yuv420p(tv), 640x480, SAR 1:1 DAR 4:3, 1k tbr, 1k tbn (default)',
    ].join('\n');
    expect(parseProbe(out)).toMatchObject({ durationSec: null, fps: null, width: 640, height: 480, codec: 'vp9', frameCountEstimate: null, streamIndex: 1 });
  });

  it('finds no video in audio-only output', () => {
    expect(parseProbe('  Duration: 00:00:02.02\n  Stream #0:0(und): Audio: aac (LC), 44100 Hz, mono')).toBeNull();
  });
});

describe('parseFfmpegVersion', () => {
  it.each([
    ['ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024 the FFmpeg developers', '5.1.6'],
    ['ffmpeg version n7.0.2 Copyright (c) 2000-2024', '7.0.2'],
    ['ffmpeg version 6.1.1-3ubuntu5 Copyright', '6.1.1'],
    ['ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/\nlibavutil      56. 24.101 / 56. 24.101', '4.x'],
    ['ffmpeg version N-113000-gabcdef\nlibavutil      99.  1.100', 'N-113000-gabcdef'],
    ['GNU bash, version 5.2', null],
  ])('%s → %s', (out, version) => expect(parseFfmpegVersion(out)).toBe(version));
});

describe('ffmpegReason', () => {
  it('quotes the last one or two messages, without context prefixes and the file name', () => {
    const lines = [
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x22a86b00] Format mov,mp4,m4a,3gp,3g2,mj2 detected only with low score of 1, misdetection possible!',
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x22a86b00] moov atom not found',
      '/tmp/x/bad.mp4: Invalid data found when processing input',
    ];
    expect(ffmpegReason(lines, '/tmp/x/bad.mp4')).toBe('moov atom not found; Invalid data found when processing input');
  });

  it('stops at the stream description and says when there is nothing', () => {
    expect(ffmpegReason(['    Metadata:', '      encoder         : Lavc58.42.100 mjpeg', '[matroska,webm @ 0x1] Read error', 'video:49kB audio:0kB subtitle:0kB'], 'x.mkv')).toBe('Read error');
    expect(ffmpegReason([], 'x.mkv')).toBe('no reason given');
  });
});

describe('MjpegSplitter', () => {
  async function jpegs(): Promise<Buffer[]> {
    const make = (w: number, h: number, r: number) =>
      sharp({ create: { width: w, height: h, channels: 3, background: { r, g: 255 - r, b: 90 } } })
        .composite([{ input: Buffer.from(`<svg width="${w}" height="${h}"><circle cx="${w / 2}" cy="${h / 2}" r="${h / 3}" fill="white"/></svg>`) }])
        .jpeg({ quality: 80 })
        .toBuffer();
    const [a, b, c] = await Promise.all([make(64, 48, 10), make(321, 17, 200), make(8, 8, 128)]);
    // A comment segment holding FF D9 (the end-of-image bytes) must not end the frame.
    const comment = Buffer.from([0xff, 0xfe, 0x00, 0x08, 0x61, 0xff, 0xd9, 0x62, 0xff, 0xd9]);
    const withComment = Buffer.concat([a!.subarray(0, 2), comment, a!.subarray(2)]);
    return [withComment, b!, c!];
  }

  it.each([1, 7, 1000, 1 << 20])('gives back whole JPEGs from %i-byte chunks', async (size) => {
    const frames = await jpegs();
    const stream = Buffer.concat(frames);
    const s = new MjpegSplitter();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...s.push(stream.subarray(i, i + size)));
    expect(out.map((b) => b.toString('hex'))).toEqual(frames.map((b) => b.toString('hex')));
    expect(s.pending).toBe(0);
    for (const f of out) expect((await sharp(f).metadata()).format).toBe('jpeg');
  });

  it('keeps a cut-off frame pending and refuses bytes that are not JPEG', async () => {
    const [a] = await jpegs();
    const s = new MjpegSplitter();
    expect(s.push(a!.subarray(0, a!.length - 1))).toEqual([]);
    expect(s.pending).toBe(a!.length - 1);
    expect(() => new MjpegSplitter().push(Buffer.from('not a jpeg'))).toThrow(/expected a JPEG start \(FF D8\), found 6e 6f 74 20/);
  });
});

describe('matchVideo and names', () => {
  const ftyp = Uint8Array.from([0, 0, 0, 0x20, ...Buffer.from('ftypisom')]);
  const ebml = Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]);
  const avi = Uint8Array.from(Buffer.from('RIFF\x10\x00\x00\x00AVI LIST'));

  it('needs a video extension and a video signature', () => {
    expect(sniffVideo(ftyp)).toBe('iso-bmff');
    expect(sniffVideo(ebml)).toBe('matroska');
    expect(sniffVideo(avi)).toBe('avi');
    expect(matchVideo('clip.MP4', ftyp)).toBe(true);
    expect(matchVideo('clip.webm', ebml)).toBe(true);
    expect(matchVideo('clip.avi', avi)).toBe(true);
    expect(matchVideo('photo.heic', ftyp)).toBe(false);
    expect(matchVideo('clip.mp4', Uint8Array.from(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ')))).toBe(false);
    expect(matchVideo('clip.mkv', new Uint8Array(0))).toBe(false);
    expect([isVideoName('clip.mkv'), isVideoName('a/b/CLIP.M4V'), isVideoName('clip.mp4.txt')]).toEqual([true, true, false]);
  });

  it('names frames so they sort by time', () => {
    expect(frameName(120, 4.8)).toBe('frame-000120-t0004.80s.jpg');
    expect(frameName(36_000, 1200.04)).toBe('frame-036000-t1200.04s.jpg');
  });
});
