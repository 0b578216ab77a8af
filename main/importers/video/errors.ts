/**
 * The video importer's own errors, as Netron gives each format one: VIDEO_INVALID for a file ffmpeg
 * cannot read as a video, VIDEO_DECODER_MISSING when there is no ffmpeg to ask.
 */
import { AppError } from '../../../shared/errors.js';

export class VideoError extends AppError {
  constructor(file: string, message: string, details?: Record<string, unknown>) {
    super('VIDEO_INVALID', message, { file, ...details });
    this.name = 'VideoError';
  }
}

export class VideoDecoderMissingError extends AppError {
  constructor(message: string) {
    super('VIDEO_DECODER_MISSING', message);
    this.name = 'VideoDecoderMissingError';
  }
}

/** "Expected a video in 'clip.mp4', but ffmpeg could not read it: "moov atom not found"." */
export function unreadableVideo(name: string, reason: string): VideoError {
  return new VideoError(name, `Expected a video in '${name}', but ffmpeg could not read it: "${reason}".`, { reason });
}

// Lines ffmpeg prints that are never the reason a file failed.
const NOISE = [/misdetection possible/i, /^At least one output file must be specified/, /^frame=\s*\d+/, /deprecated pixel format/i, /^video:\d+kB audio:/, /^Press \[q\]/];

/**
 * ffmpeg's reason for failing, in one line, from the tail of its stderr: its last one or two
 * distinct messages, without the "[mov,mp4 @ 0x55…]" context or the file name it prefixes.
 */
export function ffmpegReason(stderrLines: readonly string[], file: string): string {
  const seen = new Set<string>();
  const reasons: string[] = [];
  for (let i = stderrLines.length - 1; i >= 0 && reasons.length < 2; i--) {
    let line = stderrLines[i]!.trim();
    if (!line || line.startsWith('Parsed_showinfo') || /^\[Parsed_showinfo/.test(line)) continue;
    line = line.replace(/^(\[[^\]]*@ 0x[0-9a-f]+\]\s*)+/i, '');
    if (line.startsWith(`${file}: `)) line = line.slice(file.length + 2);
    if (!line || NOISE.some((n) => n.test(line)) || seen.has(line)) continue;
    // Stream descriptions ("Stream #0:0 …", "Metadata:", "Duration: …") are the happy part of the output.
    if (/^(Stream #|Metadata:|Side data:|Duration:|Input #|Output #|Stream mapping:|[a-z_]+\s*: )/.test(line)) break;
    seen.add(line);
    reasons.unshift(line);
  }
  return reasons.length > 0 ? reasons.join('; ') : 'no reason given';
}

export { ioReason } from '../io-reason.js';
