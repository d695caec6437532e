import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs } from '@tensorflow/tfjs-core';

/** The Conv2DInfo of an NHWC convolution of input `xShape` by `filterShape` ([fh, fw, c, o]). */
export function nhwcConv2DInfo(
  xShape: readonly number[], filterShape: readonly number[], a: Pick<Conv2DAttrs, 'strides' | 'pad' | 'dimRoundingMode'>, dilations: Conv2DAttrs['dilations'] = 1,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number], a.strides, dilations, a.pad, a.dimRoundingMode, false, 'channelsLast',
  );
}
