/**
 * The video importer: a video file sampled into frames (JPEG bytes) for labelling. ffmpeg does the
 * decoding: the system's when there is one, else the static build npm installs (see decoder.ts).
 */
export { findVideoDecoder, requireVideoDecoder, describeDecoder, parseFfmpegVersion, FFMPEG_ENV, type VideoDecoder } from './decoder.js';
export { matchVideo, isVideoName, sniffVideo, VIDEO_EXTENSIONS, type VideoContainer } from './match.js';
export { probeVideo, parseProbe, type VideoInfo } from './probe.js';
export { planVideoImport, frameName, ffmpegArgs, type VideoSampling, type VideoProgress, type VideoImportOptions } from './sample.js';
export { DEFAULT_SIMILARITY, CHANGE_LEVEL, THUMB_SIDE, similarity, thumbnail } from './similarity.js';
export { VideoError, VideoDecoderMissingError, ffmpegReason } from './errors.js';
