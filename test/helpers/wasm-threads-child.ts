/** Loads the wasm backend as the trainer does (threads from LAYERBENCH_WASM_THREADS), prints its device and a product's checksum, and returns. */
import { loadBackend } from '../../main/engine/backend.js';

const { tf, info } = await loadBackend('wasm');
const a = tf.tensor2d(Float32Array.from({ length: 64 * 300 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5), [64, 300]);
const b = tf.tensor2d(Float32Array.from({ length: 300 * 128 }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5), [300, 128]);
const x = tf.tensor4d(Float32Array.from({ length: 4 * 12 * 12 * 8 }, (_, i) => ((i * 31) % 17) / 17), [4, 12, 12, 8]);
const w = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => ((i * 13) % 11) / 11 - 0.5), [3, 3, 8, 16]);
const product = Array.from(tf.matMul(a, b).dataSync());
const conv = Array.from(tf.conv2d(x, w, 1, 'same').dataSync());
process.stdout.write(JSON.stringify({ device: info.device, product: product.slice(0, 50), productSum: product.reduce((s, v) => s + v, 0), convSum: conv.reduce((s, v) => s + v, 0) }) + '\n');
// No process.exit: the process must end by itself, with the thread pool running.
