import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

export default defineGankitTestConfig();
