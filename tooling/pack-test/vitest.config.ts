import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

// Packing and installing every library (the hook) and the browser checks took 1–18 s a test and ~25 s for the
// hook alone on the 2-core CI machine; npm and Chromium slow down most when other test processes run beside them.
export default defineGankitTestConfig({ testTimeout: 600_000, hookTimeout: 600_000 });
