/**
 * J3's data, generated: VQA-shaped samples of a 50×50×3 image and a question of 27 word ids
 * (vocabulary 1427, id 0 is padding), answered by one of 1427 classes. Seeded, so every run and
 * the peer script see the same samples.
 *
 * Each image is noise with one coloured square (8 colours, 2 sizes, in one of 4 quadrants); each
 * question asks for its colour, its place or its size, in one of a few phrasings, with filler words
 * after the phrase and padding before it (as Keras's pad_sequences does). The answer needs both
 * inputs, so a model that learns shows it in accuracy; 14 of the 1427 answer classes occur.
 */
import { mulberry32 } from '../shared/random.js';

export const J3_SIDE = 50;
export const J3_CHANNELS = 3;
export const J3_WORDS = 27;
export const J3_VOCABULARY = 1427;
export const J3_ANSWERS = 1427;
export const J3_PIXELS = J3_SIDE * J3_SIDE * J3_CHANNELS;

const PALETTE: [number, number, number][] = [
  [0.95, 0.1, 0.1],
  [0.1, 0.9, 0.1],
  [0.15, 0.2, 0.95],
  [0.95, 0.9, 0.1],
  [0.9, 0.1, 0.9],
  [0.1, 0.9, 0.9],
  [0.95, 0.55, 0.1],
  [0.98, 0.98, 0.98],
];
const SIZES = [8, 16];
/** Question families, each with a few phrasings (word ids) and the answer classes it uses. */
const FAMILIES = [
  { phrasings: [[3, 17, 42, 9], [3, 17, 11], [88, 17, 42, 9, 51]], answers: PALETTE.map((_, i) => 10 + i) },
  { phrasings: [[5, 23, 42, 9], [5, 23, 57], [88, 23, 57, 9, 51]], answers: [20, 21, 22, 23] },
  { phrasings: [[7, 31, 42, 9], [7, 31, 66], [88, 31, 66, 9, 51]], answers: [30, 31] },
];
/** Filler words come from ids the phrasings do not use. */
const FILLER_FROM = 100;

export interface J3Data {
  /** count × 50 × 50 × 3 (NHWC), row-major, in [0, 1]. */
  image: Float32Array;
  /** count × 27 word ids. */
  question: Int32Array;
  /** count answer classes in [0, 1427). */
  answer: Int32Array;
  count: number;
}

export function generateJ3(count: number, seed = 3): J3Data {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const image = new Float32Array(count * J3_PIXELS);
  const question = new Int32Array(count * J3_WORDS);
  const answer = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const color = int(PALETTE.length);
    const sizeIndex = int(SIZES.length);
    const side = SIZES[sizeIndex]!;
    const quadrant = int(4);
    const half = J3_SIDE / 2;
    const top = (quadrant >> 1) * half + int(half - side + 1);
    const left = (quadrant & 1) * half + int(half - side + 1);
    const base = s * J3_PIXELS;
    const rgb = PALETTE[color]!;
    for (let r = 0; r < J3_SIDE; r++) {
      for (let c = 0; c < J3_SIDE; c++) {
        const inside = r >= top && r < top + side && c >= left && c < left + side;
        for (let ch = 0; ch < J3_CHANNELS; ch++) {
          const v = inside ? rgb[ch]! + (rnd() - 0.5) * 0.1 : 0.1 + 0.25 * rnd();
          image[base + (r * J3_SIDE + c) * J3_CHANNELS + ch] = Math.min(1, Math.max(0, v));
        }
      }
    }
    const family = int(FAMILIES.length);
    const f = FAMILIES[family]!;
    const phrase = f.phrasings[int(f.phrasings.length)]!;
    const length = phrase.length + int(J3_WORDS - phrase.length - 2);
    const words = [...phrase];
    while (words.length < length) words.push(FILLER_FROM + int(J3_VOCABULARY - FILLER_FROM));
    question.set(words, s * J3_WORDS + (J3_WORDS - words.length));
    answer[s] = f.answers[family === 0 ? color : family === 1 ? quadrant : sizeIndex]!;
  }
  return { image, question, answer, count };
}

/** count × classes one-hot rows for class ids. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const y = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) y[i * classes + labels[i]!] = 1;
  return y;
}
