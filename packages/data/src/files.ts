/** Names and checksums of the four canonical Fashion-MNIST files. */

export type Split = 'train' | 'test';

/** The file stems (without `.gz`) of one split. */
export interface SplitFiles {
  images: string;
  labels: string;
}

export const FASHION_MNIST_FILES: Readonly<Record<Split, SplitFiles>> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** SHA-256 (hex) of each DECOMPRESSED file, keyed by file stem. */
export type Checksums = Readonly<Record<string, string>>;

export const FASHION_MNIST_SHA256: Checksums = {
  'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

/** Upstream (Zalando) base URL. S3 website endpoints serve plain HTTP only; integrity comes from the SHA-256 check. */
export const FASHION_MNIST_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

export const SPLITS: readonly Split[] = ['train', 'test'];
