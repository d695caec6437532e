import type { EpochMetrics } from './types.js';

/** The seed's line: `epoch 1, loss 0.4123, train acc 0.851, test acc 0.862, time 31.2 sec, 1923 examples/sec`. */
export function formatEpochLine(m: EpochMetrics): string {
  return (
    `epoch ${m.epoch}, loss ${m.loss.toFixed(4)}, train acc ${m.trainAcc.toFixed(3)}, test acc ${m.testAcc.toFixed(3)}, ` +
    `time ${m.seconds.toFixed(1)} sec, ${Math.round(m.examplesPerSec)} examples/sec`
  );
}
