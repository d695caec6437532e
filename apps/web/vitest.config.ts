import { vitestConfig } from '@convnets/vitest-config';

// End-to-end tests of the built app (the `test` script runs vite build first) in Chromium,
// one file at a time. Node-side helpers import the workspace packages from their sources.
export default vitestConfig({
  test: {
    include: ['test/**/*_test.ts'],
    fileParallelism: false,
  },
});
