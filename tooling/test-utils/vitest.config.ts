import { defineGankitTestConfig } from './vitest.shared.mjs';

export default defineGankitTestConfig();
