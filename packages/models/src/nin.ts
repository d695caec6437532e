import { Dropout, Flatten, GlobalAvgPool2d, MaxPool2d, ninBlock, Sequential } from '@convnets/layers';
import { type BaseModelOptions, positiveInt, setModelName } from './common.js';

/**
 * The seed's NiN: Sequential(
 *   nin_block(1, 96, 11, 4, 0), MaxPool2d(3, 2), nin_block(96, 256, 5, 1, 2), MaxPool2d(3, 2),
 *   nin_block(256, 384, 3, 1, 1), MaxPool2d(3, 2), Dropout(0.5), nin_block(384, 10, 3, 1, 1),
 *   GlobalAvgPool2d(), FlattenLayer())
 * — no fully connected layer; keys {0,2,4,7}.{0,2,4}.{weight,bias}.
 */
export function nin(opts: BaseModelOptions = {}): Sequential {
  const inChannels = positiveInt('nin: inChannels', opts.inChannels ?? 1);
  const numClasses = positiveInt('nin: numClasses', opts.numClasses ?? 10);
  const o = { rng: opts.rng };
  const net = new Sequential(
    ninBlock(inChannels, 96, 11, 4, 0, o),
    new MaxPool2d(3, 2),
    ninBlock(96, 256, 5, 1, 2, o),
    new MaxPool2d(3, 2),
    ninBlock(256, 384, 3, 1, 1, o),
    new MaxPool2d(3, 2),
    new Dropout(0.5),
    // 标签类别数是10 (the number of classes)
    ninBlock(384, numClasses, 3, 1, 1, o),
    new GlobalAvgPool2d(),
    new Flatten(),
  );
  return setModelName(net, 'nin');
}
