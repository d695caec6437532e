import { BatchNorm2d, Conv2d, Flatten, GlobalAvgPool2d, Linear, MaxPool2d, ReLU, resnetBlock, Sequential } from '@convnets/layers';
import { type BaseModelOptions, positiveInt, setModelName } from './common.js';

/**
 * ResNet-18 from d2l's next section (PyTorch edition), at 96×96:
 *
 *   net = Sequential(Conv2d(1, 64, 7, 2, 3), BatchNorm2d(64), ReLU(), MaxPool2d(3, 2, 1))
 *   net.add_module("resnet_block1", resnet_block(64, 64, 2, first_block=True))
 *   net.add_module("resnet_block2", resnet_block(64, 128, 2))
 *   net.add_module("resnet_block3", resnet_block(128, 256, 2))
 *   net.add_module("resnet_block4", resnet_block(256, 512, 2))
 *   net.add_module("global_avg_pool", GlobalAvgPool2d())
 *   net.add_module("fc", Sequential(FlattenLayer(), Linear(512, 10)))
 *
 * so the classifier's keys are fc.1.weight / fc.1.bias, as in d2l.
 */
export function resnet18(opts: BaseModelOptions = {}): Sequential {
  const inChannels = positiveInt('resnet18: inChannels', opts.inChannels ?? 1);
  const numClasses = positiveInt('resnet18: numClasses', opts.numClasses ?? 10);
  const o = { rng: opts.rng };
  const net = new Sequential(
    new Conv2d(inChannels, 64, 7, 2, 3, o),
    new BatchNorm2d(64),
    new ReLU(),
    new MaxPool2d(3, 2, 1),
  );
  net.addModule('resnet_block1', resnetBlock(64, 64, 2, true, o));
  net.addModule('resnet_block2', resnetBlock(64, 128, 2, false, o));
  net.addModule('resnet_block3', resnetBlock(128, 256, 2, false, o));
  net.addModule('resnet_block4', resnetBlock(256, 512, 2, false, o));
  net.addModule('global_avg_pool', new GlobalAvgPool2d());
  net.addModule('fc', new Sequential(new Flatten(), new Linear(512, numClasses, o)));
  return setModelName(net, 'resnet18');
}
