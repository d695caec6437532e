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

function formatLr(lr: number): string {
  return Number(lr.toPrecision(3)).toString();
}
