import { defineGankitTestConfig } from '@gankit/test-utils/vitest';

// Each test runs the CLI in child processes: 1–23 s alone on the 2-core CI machine (resume after Ctrl-C the
// longest).
export default defineGankitTestConfig({ testTimeout: 300_000 });
