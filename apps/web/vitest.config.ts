import { defineConfig } from 'vitest/config';

// End-to-end tests of the built app (the `test` script runs vite build first) in Chromium.
// Node-side helpers import the workspace packages from their TypeScript sources.
const conditions = ['@convnets/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*_test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
