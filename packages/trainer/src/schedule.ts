/** Learning-rate schedules, stepped once per epoch like PyTorch's StepLR / CosineAnnealingLR. */
export type LrSchedule =
  | { kind: 'constant' }
  /** StepLR: lr · gamma^floor(epoch / stepSize). */
  | { kind: 'step'; stepSize: number; gamma: number }
  /** CosineAnnealingLR with T_max = the run's epochs: minLr + (lr - minLr)(1 + cos(π·epoch/T))/2. */
  | { kind: 'cosine'; minLr?: number };

/**
 * The learning rate of epoch `epoch` (0-based) out of `epochs`. A closed form of the schedule,
 * so a resumed run gets exactly the rate the uninterrupted run had.
 */
export function learningRateAt(baseLr: number, epoch: number, epochs: number, schedule: LrSchedule | undefined): number {
  if (!schedule || schedule.kind === 'constant') return baseLr;
  if (schedule.kind === 'step') {
    if (!(Number.isInteger(schedule.stepSize) && schedule.stepSize > 0)) {
      throw new RangeError(`schedule.stepSize must be a positive integer, got ${schedule.stepSize}`);
    }
    return baseLr * Math.pow(schedule.gamma, Math.floor(epoch / schedule.stepSize));
  }
  const minLr = schedule.minLr ?? 0;
  if (epochs <= 0) return baseLr;
  return minLr + ((baseLr - minLr) * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
}
