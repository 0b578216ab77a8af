/**
 * Training callbacks, as in Keras (`keras/src/callbacks/`): small objects the loop calls at the
 * end of each epoch and of the run. They act through the `Trainer` they are given: Keras's
 * `self.model`, `model.stop_training` and `optimizer.learning_rate`.
 */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors.js';
import type { EarlyStoppingReport, EarlyStoppingSettings, Metric, Monitor, ReduceLrOnPlateauSettings } from '../../shared/training.js';

export type Logs = Record<string, number>;

/** What a callback may see and change in the running loop. */
export interface Trainer {
  readonly model: TF.LayersModel;
  learningRate: number;
  /** Set to end the run after the current epoch. */
  stopTraining: boolean;
}

export abstract class Callback {
  private trainer_?: Trainer;

  setTrainer(trainer: Trainer): void {
    this.trainer_ = trainer;
  }

  protected get trainer(): Trainer {
    if (!this.trainer_) throw new Error(`${this.constructor.name} was called before setTrainer.`);
    return this.trainer_;
  }

  onTrainBegin(): void {}
  /** `logs` are the epoch's logs; a callback may add to them before they are reported. */
  onEpochEnd(_epoch: number, _logs: Logs): void {}
  /** Called when the run ends by itself (all epochs, or a callback's stop), not when the user stops it. */
  onTrainEnd(): void {}
  /** Frees what the callback holds (tensors); called however the run ends. */
  dispose(): void {}
}

/** Calls each callback in order. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}
  setTrainer(t: Trainer): void {
    this.callbacks.forEach((c) => c.setTrainer(t));
  }
  onTrainBegin(): void {
    this.callbacks.forEach((c) => c.onTrainBegin());
  }
  onEpochEnd(epoch: number, logs: Logs): void {
    this.callbacks.forEach((c) => c.onEpochEnd(epoch, logs));
  }
  onTrainEnd(): void {
    this.callbacks.forEach((c) => c.onTrainEnd());
  }
  dispose(): void {
    this.callbacks.forEach((c) => c.dispose());
  }
}

/** A monitored log value: its key in the epoch logs and which way is better. */
export interface MonitorKey {
  key: string;
  mode: 'min' | 'max';
}

/**
 * Where a monitor's value is in the logs. `logNames` are the model's `metricsNames` ('loss',
 * then one per entry of `metrics`, as TF.js names them: accuracy is 'acc'). A `val_*` monitor
 * falls back to its training value when the run has no validation split.
 */
export function resolveMonitor(monitor: Monitor, metrics: readonly Metric[], logNames: readonly string[], hasValidation: boolean, setting: string): MonitorKey {
  const validation = monitor.startsWith('val_');
  const base = validation ? monitor.slice(4) : monitor;
  let key = 'loss';
  if (base !== 'loss') {
    const i = metrics.indexOf(base as Metric);
    const name = i >= 0 ? logNames[i + 1] : undefined;
    if (!name)
      throw new AppError(
        'INVALID_REQUEST',
        `Training setting '${setting}' monitors '${monitor}', but '${base}' is not among the run's metrics (${metrics.length > 0 ? metrics.join(', ') : 'none'}); add it or monitor the loss.`,
      );
    key = name;
  }
  return { key: validation && hasValidation ? `val_${key}` : key, mode: base === 'accuracy' ? 'max' : 'min' };
}

/** True when `current` beats `best` by more than `minDelta` in the monitor's direction. */
function improves(m: MonitorKey, current: number, best: number, minDelta: number): boolean {
  return m.mode === 'min' ? current < best - minDelta : current > best + minDelta;
}

const worst = (m: MonitorKey) => (m.mode === 'min' ? Infinity : -Infinity);

/** Keras `EarlyStopping` (Keras 3 semantics: the best weights are restored at the end of the run). */
export class EarlyStopping extends Callback {
  private wait = 0;
  private best: number;
  private bestEpoch = -1;
  private lastEpoch = -1;
  private stoppedEpoch: number | undefined;
  private bestWeights: TF.Tensor[] | undefined;
  private bestLogs_: Logs | undefined;
  private restored = false;

  constructor(
    readonly monitor: MonitorKey,
    private readonly options: Required<Omit<EarlyStoppingSettings, 'monitor'>>,
  ) {
    super();
    this.best = worst(monitor);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor.key];
    if (current === undefined) return;
    this.lastEpoch = epoch;
    this.wait++;
    // NaN never improves, so a diverged run stops after `patience` epochs.
    if (improves(this.monitor, current, this.best, this.options.minDelta)) {
      this.best = current;
      this.wait = 0;
      this.keep(epoch, logs);
      return;
    }
    // Until something improves, the first epoch counts as the best (as in Keras).
    if (this.bestEpoch < 0) this.keep(epoch, logs);
    if (this.wait >= this.options.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.trainer.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (!this.bestWeights || this.bestEpoch === this.lastEpoch) return;
    this.trainer.model.setWeights(this.bestWeights);
    this.restored = true;
  }

  override dispose(): void {
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = undefined;
  }

  /** The logs of the epoch whose weights were restored, if they were. */
  get restoredLogs(): Logs | undefined {
    return this.restored ? this.bestLogs_ : undefined;
  }

  report(): EarlyStoppingReport {
    const r: EarlyStoppingReport = { monitor: this.monitor.key, bestEpoch: this.bestEpoch, best: this.best, restoredBestWeights: this.restored };
    if (this.stoppedEpoch !== undefined) r.stoppedEpoch = this.stoppedEpoch;
    return r;
  }

  private keep(epoch: number, logs: Logs): void {
    this.bestEpoch = epoch;
    this.bestLogs_ = { ...logs };
    if (!this.options.restoreBestWeights) return;
    this.dispose();
    // Clones share the variables' current data; the optimizer's next assign leaves them intact.
    this.bestWeights = this.trainer.model.getWeights().map((w) => w.clone());
  }
}

/** Keras `ReduceLROnPlateau`. Writes the rate the epoch trained with into its logs as `lr`. */
export class ReduceLrOnPlateau extends Callback {
  private wait = 0;
  private best: number;

  constructor(
    readonly monitor: MonitorKey,
    private readonly options: Required<Omit<ReduceLrOnPlateauSettings, 'monitor'>>,
  ) {
    super();
    this.best = worst(monitor);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs['lr'] = this.trainer.learningRate;
    const current = logs[this.monitor.key];
    if (current === undefined) return;
    if (improves(this.monitor, current, this.best, this.options.minDelta)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (++this.wait < this.options.patience) return;
    const lr = this.trainer.learningRate;
    if (lr > this.options.minLearningRate) {
      this.trainer.learningRate = Math.max(lr * this.options.factor, this.options.minLearningRate);
      this.wait = 0;
    }
  }
}
