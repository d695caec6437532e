/**
 * @convnets/data — browser-safe entry: IDX parsing, the FashionMnist dataset, seeded batches
 * with resize/normalisation/augmentation, epoch orders, and loading from URLs.
 * Node's file/cache/download loader is in '@convnets/data/node'.
 */
export * from './classes.js';
export * from './files.js';
export * from './errors.js';
export * from './idx.js';
export * from './gzip.js';
export * from './sha256.js';
export * from './epoch_order.js';
export * from './stratified_limit.js';
export * from './augment.js';
export * from './resize.js';
export * from './batches.js';
export * from './dataset.js';
export * from './assemble_split.js';
export * from './load_from_urls.js';
