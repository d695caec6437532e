export * from '../../../packages/trainer/src/index.ts';
export interface TrainConfig { epochs: number; batchSize: number; lr: number; optimizer: 'adam' | 'sgd'; inputSize: number; init?: 'default' | 'xavier'; modelOptions?: Record<string, unknown>; why: string }
export function getPreset(_m: string, _p: string): TrainConfig {
  return { epochs: 10, batchSize: 256, lr: 0.001, optimizer: 'adam', inputSize: 28, modelOptions: {}, why: 'Stub preset.' };
}
