// Shared vitest preset: tests sit beside the code as foo_test.ts, and workspace
// packages resolve to their TypeScript sources through the @convnets/source condition.
import { defineConfig, mergeConfig } from 'vitest/config';

export const preset = defineConfig({
  resolve: { conditions: ['@convnets/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@convnets/source', 'node', 'import', 'default'] } },
  test: {
    include: ['src/**/*_test.ts', 'test/**/*_test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});

export function vitestConfig(overrides = {}) {
  return mergeConfig(preset, defineConfig(overrides));
}
