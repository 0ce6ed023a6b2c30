/**
 * gankit — train GANs from presets, resume, evaluate, generate and export.
 *
 *   gankit train [--preset NAME] [--config FILE] [overrides…]
 *   gankit resume DIR [--steps N]
 *   gankit evaluate DIR [--metrics LIST] [--samples N] | gankit evaluate --real DATASET
 *   gankit generate DIR --n 64 --out FILE.png [--class K] [--truncation T|ψ] [--interpolate | --mix]
 *   gankit export DIR --out DIR
 *   gankit presets [show NAME]
 *
 * Exit codes: 0 ok, 1 failure, 2 bad input (nothing saved is touched), 130 interrupted (checkpoint saved).
 */
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// tfjs backends keep handles (wasm worker pools, Dawn devices) that would hold the process open
process.exit(code);
