/**
 * The browser the tests drive: Debian's chromium (never a downloaded one), headless, with WebGPU enabled (on a machine
 * without a GPU it runs on SwiftShader, Chromium's CPU Vulkan driver) and without its background network traffic.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
