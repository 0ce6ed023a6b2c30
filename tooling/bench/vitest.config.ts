import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

// Each test runs a measurement in its own process: 1–3 s alone on the 2-core CI machine.
export default defineGankitTestConfig({ testTimeout: 300_000 });
