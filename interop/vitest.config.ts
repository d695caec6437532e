import { vitestConfig } from '@convnets/vitest-config';

// A hang guard: the PyTorch cross-checks take minutes each at load average 30 on 2 cores.
export default vitestConfig({ test: { testTimeout: 1_800_000 } });
