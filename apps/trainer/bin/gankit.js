#!/usr/bin/env node
// The published entry: the compiled CLI (`pnpm --filter @gankit/trainer build` first when running from a clone;
// in the workspace, `pnpm gankit …` runs the TypeScript sources directly).
import '../dist/cli.js';
