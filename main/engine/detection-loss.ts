/**
 * The grid detector's loss, exactly as shared/detection.ts states it (GRID_LOSS_WEIGHTS): per
 * image, summed over cells, a weighted cross-entropy on objectness everywhere, and where the
 * target has an object, squared errors on the centre and on the square roots of the size, plus a
 * cross-entropy per class. TF.js averages the per-image values over the batch.
 */
import type * as TF from '@tensorflow/tfjs';
import { GRID_BOX_CHANNELS, GRID_LOSS_WEIGHTS } from '../../shared/detection.js';

type Tf = typeof import('@tensorflow/tfjs');

/** p is clipped to [EPSILON, 1 − EPSILON] before a log or square root, so neither a loss nor its gradient is infinite. */
export const GRID_LOSS_EPSILON = 1e-7;

/**
 * `yPred` (batch, rows, cols, 5 + C); `yTrue` the same values in any shape with as many per
 * sample (the training loop may hand them flat). Returns one loss per image, shape (batch).
 */
export function gridDetectionLoss(tf: Tf, yTrue: TF.Tensor, yPred: TF.Tensor): TF.Tensor1D {
  return tf.tidy(() => {
    const depth = yPred.shape[yPred.shape.length - 1]!;
    const classes = depth - GRID_BOX_CHANNELS;
    if (classes < 1) throw new Error(`The grid loss needs (rows, cols, ${GRID_BOX_CHANNELS} + classes) predictions with at least one class; got [${yPred.shape.join(', ')}].`);
    const batch = yPred.shape[0] ?? -1;
    // (batch, cells, depth): the loss does not care where a cell is.
    const p = tf.clipByValue(tf.reshape(yPred, [batch, -1, depth]), GRID_LOSS_EPSILON, 1 - GRID_LOSS_EPSILON);
    const t = tf.reshape(yTrue, [batch, -1, depth]);
    const [p0, p1, p2, p3, p4, pc] = tf.split(p, [1, 1, 1, 1, 1, classes], 2) as TF.Tensor3D[];
    const [t0, t1, t2, t3, t4, tc] = tf.split(t, [1, 1, 1, 1, 1, classes], 2) as TF.Tensor3D[];
    const { object, noObject, coord } = GRID_LOSS_WEIGHTS;
    const one = tf.scalar(1);
    const absent = tf.sub(one, t0!);
    // BCE(p₀, 1) = −ln p₀ where there is an object; BCE(p₀, 0) = −ln(1 − p₀) elsewhere.
    const objectness = tf.add(
      tf.mul(tf.mul(t0!, tf.neg(tf.log(p0!))), object),
      tf.mul(tf.mul(absent, tf.neg(tf.log(tf.sub(one, p0!)))), noObject),
    );
    const centre = tf.add(tf.square(tf.sub(p1!, t1!)), tf.square(tf.sub(p2!, t2!)));
    const size = tf.add(tf.square(tf.sub(tf.sqrt(p3!), tf.sqrt(t3!))), tf.square(tf.sub(tf.sqrt(p4!), tf.sqrt(t4!))));
    const box = tf.mul(tf.mul(t0!, tf.add(centre, size)), coord);
    const bce = tf.neg(tf.add(tf.mul(tc!, tf.log(pc!)), tf.mul(tf.sub(one, tc!), tf.log(tf.sub(one, pc!)))));
    const classLoss = tf.mul(t0!, tf.sum(bce, 2, true));
    const perCell = tf.add(tf.add(objectness, box), classLoss);
    return tf.sum(perCell, [1, 2]) as TF.Tensor1D;
  });
}
