import { vitestConfig } from '@convnets/vitest-config';

export default vitestConfig({ test: { testTimeout: 600_000 } });
