#!/usr/bin/env node
// The built CLI (pnpm --filter @convnets/trainer-cli build). From a checkout, `pnpm convnets`
// runs src/cli.ts directly with the workspace packages' TypeScript sources.
import '../dist/cli.js';
