import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

export default defineGankitTestConfig({ testTimeout: 120_000 });
