/** The ten Fashion-MNIST classes, indexed by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export type FashionMnistClass = (typeof FASHION_MNIST_CLASSES)[number];

export const FASHION_MNIST_NUM_CLASSES = 10;
export const FASHION_MNIST_HEIGHT = 28;
export const FASHION_MNIST_WIDTH = 28;

/** Per-pixel mean and std of the training images in [0, 1], for the optional normalisation. */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;
