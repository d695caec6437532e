import { vitestConfig } from './index.js';

export default vitestConfig({ test: { include: ['test/*_test.ts'] } });
