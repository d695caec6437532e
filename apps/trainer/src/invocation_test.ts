import { expect, it } from 'vitest';
import { asInvoked, invokedAs } from './invocation.js';

it('names the command as the user ran it: a package-manager script from a checkout, else the binary', () => {
  expect(invokedAs({})).toBe('convnets');
  expect(invokedAs({ npm_lifecycle_event: 'test', npm_config_user_agent: 'pnpm/10.34.9' })).toBe('convnets');
  expect(invokedAs({ npm_lifecycle_event: 'convnets', npm_config_user_agent: 'pnpm/10.34.9 npm/? node/v20.19.0' })).toBe('pnpm convnets');
  expect(invokedAs({ npm_lifecycle_event: 'convnets', npm_config_user_agent: 'npm/10.8.2 node/v20.19.0' })).toBe('npm run convnets --');
  expect(invokedAs({ npm_lifecycle_event: 'convnets', npm_config_user_agent: 'yarn/1.22.22 npm/?' })).toBe('yarn convnets');
});

it('rewrites command lines only', () => {
  const env = { npm_lifecycle_event: 'convnets', npm_config_user_agent: 'pnpm/10.34.9' };
  expect(asInvoked("Usage: convnets train [options]\n  convnets eval --weights w\nRun 'convnets <command> --help'", env)).toBe(
    "Usage: pnpm convnets train [options]\n  pnpm convnets eval --weights w\nRun 'pnpm convnets <command> --help'",
  );
  expect(asInvoked('convnets: train, evaluate and run; a convnets run config', env)).toBe('convnets: train, evaluate and run; a convnets run config');
  expect(asInvoked('see convnets train --help', {})).toBe('see convnets train --help');
});
