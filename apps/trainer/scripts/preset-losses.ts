/**
 * The first N steps' logs of every preset, from a fixed seed on one backend, as JSON: the record that proves a change
 * to the training step trains every preset as before (compare two files with --compare).
 *
 *   node --conditions=@gankit/source --import tsx scripts/preset-losses.ts --out before.json [--steps 20]
 *   node --conditions=@gankit/source --import tsx scripts/preset-losses.ts --out after.json --compare before.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { useBackend } from '@gankit/backends';
import { isGan } from '../src/config.js';
import { PRESETS } from '../src/presets.js';
import { openSession } from '../src/session.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    steps: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'wasm' },
    presets: { type: 'string' },
    compare: { type: 'string' },
  },
});
const steps = Number(values.steps);
// the GAN presets (the image-to-image ones have their own tests)
const names = values.presets?.split(',') ?? Object.keys(PRESETS).filter((n) => isGan(PRESETS[n]!));
await useBackend(values.backend as 'wasm');

type Logged = Record<string, number | Record<string, number>>;
const record: Record<string, Logged[]> = {};
for (const name of names) {
  const started = performance.now();
  const preset = PRESETS[name]!;
  if (!isGan(preset)) throw new Error(`${name} is a translation preset; this script replays GAN presets`);
  const session = await openSession(preset);
  const logs: Logged[] = [];
  for (let i = 0; i < steps; i++) {
    const l = await session.trainer.step(session.data.source);
    logs.push({ dLoss: l.dLoss, gLoss: l.gLoss, dReal: l.dReal, dFake: l.dFake, terms: l.terms });
  }
  session.trainer.dispose();
  record[name] = logs;
  console.error(`${name}: ${steps} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
if (values.out) writeFileSync(values.out, `${JSON.stringify(record, null, 1)}\n`);

if (values.compare) {
  const before = JSON.parse(readFileSync(values.compare, 'utf8')) as typeof record;
  let differ = 0;
  for (const name of names) {
    const a = JSON.stringify(before[name]);
    const b = JSON.stringify(record[name]);
    if (a === b) console.log(`${name}: identical for ${steps} steps`);
    else {
      differ++;
      const i = record[name]!.findIndex((l, j) => JSON.stringify(l) !== JSON.stringify(before[name]?.[j]));
      console.log(
        `${name}: DIFFERS from step ${i + 1}: ${JSON.stringify(before[name]?.[i])} → ${JSON.stringify(record[name]![i])}`,
      );
    }
  }
  process.exit(differ === 0 ? 0 : 1);
}
process.exit(0);
