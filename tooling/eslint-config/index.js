import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// One lint config for every package: TypeScript-aware, no `any` in what we ship.
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*_test.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
