import { mergeConfig } from 'vite';
import base from './vite.config.js';
import { fileURLToPath } from 'node:url';
export default mergeConfig(base, { resolve: { alias: { '@convnets/models': fileURLToPath(new URL('./.stub/models.ts', import.meta.url)), '@convnets/trainer': fileURLToPath(new URL('./.stub/trainer.ts', import.meta.url)) } } });
