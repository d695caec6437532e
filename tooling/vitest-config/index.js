// Shared vitest preset: tests sit beside the code as foo_test.ts, and workspace
// packages resolve to their TypeScript sources through the @convnets/source condition.
// Timeouts are sized for a loaded 2-core machine (CI runs ten packages' tests at once beside
// two CPU burners: tooling/load-check.sh); never for a quiet one.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

export { requireSystem } from './system.js';

/** The JSON report `convnets-vitest` checks after vitest exits (a turbo output, with the skip lines). */
export const REPORT_FILE = 'test-results/vitest.json';

export const preset = defineConfig({
  resolve: { conditions: ['@convnets/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@convnets/source', 'node', 'import', 'default'] } },
  test: {
    include: ['src/**/*_test.ts', 'test/**/*_test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 120_000,
    pool: 'forks',
    runner: fileURLToPath(new URL('./runner.js', import.meta.url)),
    reporters: [process.env.CI ? 'verbose' : 'default', 'json'],
    outputFile: { json: REPORT_FILE },
  },
});

export function vitestConfig(overrides = {}) {
  return mergeConfig(preset, defineConfig(overrides));
}
