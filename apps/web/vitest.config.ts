import { vitestConfig } from '@convnets/vitest-config';

// End-to-end tests: the built app (vite build runs first, see the `test` script) in Chromium.
export default vitestConfig({
  test: {
    include: ['test/**/*_test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
