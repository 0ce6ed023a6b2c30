import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

export default defineGankitTestConfig({ testTimeout: 600_000, hookTimeout: 600_000 });
