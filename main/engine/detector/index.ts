/** Pre-labelling: detectors that propose boxes for the user to accept or fix. */
export type { DetectOptions, Proposal, Proposer, RgbImage } from './types.js';
export { loadPretrainedDetector, packageModelDir, PRETRAINED_MODELS, DEFAULT_PRETRAINED, type PretrainedModel, type PretrainedOptions } from './pretrained.js';
export { proposerFromModel, type DetectorHead, type UserDetectorOptions } from './from-model.js';
export { createProposer, type InputSpec, type OutputData, type OutputDecoder, type ProposerSpec, type RawDetection, type DetectorModel } from './proposer.js';
export { prelabelImages, type PrelabelFile, type PrelabelOptions, type PrelabelProgress, type PrelabelResult, type DecodedForDetection } from './prelabel.js';
export { decodeImage, decodeRgb, type DecodedImage, type DecodeOptions } from './decode.js';
export { COCO_CLASSES } from './coco.js';
export { fitTransform, toImageBox, nonMaxSuppression, type Fit, type FitTransform } from './geometry.js';
