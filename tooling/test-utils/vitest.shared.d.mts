import type { UserConfig } from 'vitest/config';
export declare function defineGankitTestConfig(test?: UserConfig['test'], extra?: UserConfig): UserConfig;
