/** Thrown when the training loss becomes NaN or infinite; the last checkpoint is left as it was. */
export class DivergenceError extends Error {
  readonly epoch: number;
  readonly step: number;
  readonly lr: number;
  readonly loss: number;

  constructor(info: { epoch: number; step: number; lr: number; loss: number }) {
    super(
      `Training diverged: the loss became ${info.loss} at epoch ${info.epoch}, step ${info.step}, learning rate ${info.lr}. ` +
        `Lower the learning rate (try ${formatLr(info.lr / 10)}) or enable gradient clipping (clipGradNorm); ` +
        `the last checkpoint, if any, was left untouched.`,
    );
    this.name = 'DivergenceError';
    this.epoch = info.epoch;
    this.step = info.step;
    this.lr = info.lr;
    this.loss = info.loss;
  }
}

export function formatLr(lr: number): string {
  return Number(lr.toPrecision(3)).toString();
}

/**
 * Thrown when a weight (or optimizer slot) becomes NaN or infinite although the loss stayed
 * finite (ReLU turns NaN activations into zeros); checked once per epoch, before the checkpoint.
 */
export class WeightsDivergedError extends DivergenceError {
  readonly tensors: string[];

  constructor(info: { epoch: number; lr: number; tensors: string[] }) {
    super({ epoch: info.epoch, step: NaN, lr: info.lr, loss: NaN });
    const t = info.tensors;
    const list = t.length > 3 ? `${t.slice(0, 3).join(', ')} and ${t.length - 3} more` : t.join(', ');
    this.message =
      `Training diverged: ${list} became NaN or infinite in epoch ${info.epoch} (learning rate ${info.lr}) although the loss stayed finite. ` +
      `Lower the learning rate (try ${formatLr(info.lr / 10)}) or enable gradient clipping (clipGradNorm); ` +
      `the last checkpoint, if any, was left untouched.`;
    this.name = 'WeightsDivergedError';
    this.tensors = t;
  }
}
