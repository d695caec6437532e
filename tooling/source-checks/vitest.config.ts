import { vitestConfig } from '@convnets/vitest-config';

export default vitestConfig();
