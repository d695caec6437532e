/**
 * The trainer reports each epoch's running mean loss (read back every `syncEvery` steps). The
 * loss of the steps in between is exact arithmetic on two reports:
 * (mean_s · s − mean_r · r) / (s − r); with a report every step, each step's own loss.
 */
export class StepLoss {
  private epoch = 0;
  private step = 0;
  private sum = 0;

  /** The mean loss of the steps since the last report of this epoch; undefined without a report. */
  next(epoch: number, step: number, runningMean: number | undefined): number | undefined {
    if (runningMean === undefined) return undefined;
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      this.step = 0;
      this.sum = 0;
    }
    const sum = runningMean * step;
    const steps = step - this.step;
    const loss = steps > 0 ? (sum - this.sum) / steps : undefined;
    this.step = step;
    this.sum = sum;
    return loss;
  }
}
