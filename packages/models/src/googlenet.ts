import { Conv2d, Flatten, GlobalAvgPool2d, Inception, Linear, MaxPool2d, ReLU, Sequential } from '@convnets/layers';
import { type BaseModelOptions, positiveInt, setModelName } from './common.js';

/**
 * The seed's GoogLeNet at 96×96: Sequential(b1, b2, b3, b4, b5, FlattenLayer, Linear(1024, 10)).
 * Faithful to the seed, b2 has no ReLU between its two convolutions.
 */
export function googlenet(opts: BaseModelOptions = {}): Sequential {
  const inChannels = positiveInt('googlenet: inChannels', opts.inChannels ?? 1);
  const numClasses = positiveInt('googlenet: numClasses', opts.numClasses ?? 10);
  const o = { rng: opts.rng };

  const b1 = new Sequential(
    new Conv2d(inChannels, 64, 7, 2, 3, o),
    new ReLU(),
    new MaxPool2d(3, 2, 1),
  );

  const b2 = new Sequential(
    new Conv2d(64, 64, 1, 1, 0, o),
    new Conv2d(64, 192, 3, 1, 1, o),
    new MaxPool2d(3, 2, 1),
  );

  const b3 = new Sequential(
    new Inception(192, 64, [96, 128], [16, 32], 32, o),
    new Inception(256, 128, [128, 192], [32, 96], 64, o),
    new MaxPool2d(3, 2, 1),
  );

  const b4 = new Sequential(
    new Inception(480, 192, [96, 208], [16, 48], 64, o),
    new Inception(512, 160, [112, 224], [24, 64], 64, o),
    new Inception(512, 128, [128, 256], [24, 64], 64, o),
    new Inception(512, 112, [144, 288], [32, 64], 64, o),
    new Inception(528, 256, [160, 320], [32, 128], 128, o),
    new MaxPool2d(3, 2, 1),
  );

  const b5 = new Sequential(
    new Inception(832, 256, [160, 320], [32, 128], 128, o),
    new Inception(832, 384, [192, 384], [48, 128], 128, o),
    new GlobalAvgPool2d(),
  );

  const net = new Sequential(b1, b2, b3, b4, b5, new Flatten(), new Linear(1024, numClasses, o));
  return setModelName(net, 'googlenet');
}
