import { defineConfig, defaultClientConditions } from 'vite';
import { fashionMnistPlugin } from './scripts/fashion_mnist_plugin.js';

// Workspace packages resolve to their TypeScript sources (dev and build alike).
const conditions = ['@convnets/source', ...defaultClientConditions];

export default defineConfig({
  resolve: { conditions },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
  plugins: [fashionMnistPlugin()],
});
