/**
 * Lets timers, I/O and rendering run between batches: on wasm and cpu every read resolves at once, so a long
 * evaluation would otherwise hold the event loop (a frozen page, starved progress output).
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
