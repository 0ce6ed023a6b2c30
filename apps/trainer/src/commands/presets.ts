import { useBackend } from '@gankit/backends';
import { cycleFromSpec, instantiate, translationFromSpec } from '@gankit/models';
import type * as tf from '@tensorflow/tfjs-core';
import { COMMON_FLAGS, type Flags, parseCommand } from '../args.js';
import { isCycle, isPaired } from '../config.js';
import { describeDomain } from '../cycle-run-config.js';
import { EXIT, UsageError } from '../errors.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { getPreset, PRESETS } from '../presets.js';
import { buildGan } from '../session.js';

export const PRESETS_FLAGS: Flags = { ...COMMON_FLAGS };

export async function presetsCommand(argv: string[], io: MainIO): Promise<number> {
  const parsed = parseCommand('presets', argv, {
    stdout: io.stdout,
    usage: 'gankit presets [show NAME]',
    summary: 'Lists the presets, or shows one with its model summaries.',
    flags: PRESETS_FLAGS,
    positionals: { min: 0, max: 2, names: '`show NAME`' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
  if (positionals.length === 0) {
    const rows = Object.values(PRESETS).map((p) => ({
      name: p.preset,
      model: p.model.family,
      dataset: isCycle(p) ? `${p.data.a.dataset} ↔ ${p.data.b.dataset}` : p.data.dataset,
      length: p.run.steps != null ? `${p.run.steps} steps` : `${p.run.epochs} epochs`,
      description: p.description,
    }));
    const w = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows)
      out.line(`${r.name.padEnd(w)}  ${r.dataset.padEnd(13)} ${r.length.padEnd(12)} ${r.description}`);
    out.line('\ngankit presets show NAME  — the full config and model summaries');
    out.result({ command: 'presets', presets: rows });
    return EXIT.ok;
  }
  if (positionals[0] !== 'show' || positionals.length !== 2)
    throw new UsageError(
      `use \`gankit presets\` or \`gankit presets show NAME\`; got '${positionals.join(' ')}'`,
    );
  const preset = getPreset(positionals[1]!);
  await useBackend('wasm');
  const gan = isCycle(preset)
    ? (() => {
        const def = cycleFromSpec(preset.model);
        return { ...def, generator: def.generatorAB, discriminator: def.discriminatorA };
      })()
    : isPaired(preset)
      ? translationFromSpec(preset.model)
      : buildGan(preset);
  const G = instantiate(gan.generator, 1);
  const D = instantiate(gan.discriminator, 2);
  const count = (n: { variables(): tf.Variable[] }) => n.variables().reduce((s, v) => s + v.size, 0);
  out.line(`${preset.preset}: ${preset.description}`);
  out.line(`source: ${preset.source}`);
  out.line(`model: ${gan.architecture} (${gan.source})`);
  if (isPaired(preset)) out.line(`task: ${JSON.stringify(preset.data.task)}`);
  if (isCycle(preset))
    out.line(
      `domains: A ${describeDomain(preset.data.a)}; B ${describeDomain(preset.data.b)} (G: A → B and F: B → A alike, D_A and D_B alike: one of each below)`,
    );
  out.line('');
  out.line(G.summary());
  out.line('');
  out.line(D.summary());
  out.line('');
  out.line(`config:\n${JSON.stringify(preset, null, 2)}`);
  out.result({
    command: 'presets show',
    preset,
    parameters: { generator: count(G), discriminator: count(D) },
  });
  G.dispose();
  D.dispose();
  return EXIT.ok;
}
