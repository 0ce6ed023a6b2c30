import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

export default defineGankitTestConfig({ testTimeout: 120_000, hookTimeout: 180_000 });
