import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGeneratorIndex } from './catalog.js';

const shipped = JSON.parse(
  readFileSync(new URL('../../public/generators/index.json', import.meta.url), 'utf8'),
) as unknown;

const entry = {
  id: 'mnist-cgan',
  title: 'MNIST',
  file: 'mnist-cgan.safetensors',
  dataset: 'mnist',
  conditional: true,
  description: 'digits',
  command: 'TODO',
};

describe('generators/index.json', () => {
  it('lists the six generators the demo ships, each complete', () => {
    const list = parseGeneratorIndex(shipped);
    expect(list.map((e) => [e.id, e.file, e.dataset, e.conditional])).toEqual([
      ['mnist-cgan', 'mnist-cgan.safetensors', 'mnist', true],
      ['mnist-dcgan', 'mnist-dcgan.safetensors', 'mnist', false],
      ['fashion-cgan', 'fashion-cgan.safetensors', 'fashion-mnist', true],
      ['fashion-dcgan', 'fashion-dcgan.safetensors', 'fashion-mnist', false],
      ['fashion-stylegan', 'fashion-stylegan.safetensors', 'fashion-mnist', false],
      ['mnist-progan', 'mnist-progan.safetensors', 'mnist', false],
    ]);
    expect(list.at(-1)!.growth!.map((g) => g.resolution)).toEqual([7, 14, 28]);
    for (const e of list) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.description.length).toBeGreaterThan(0);
      expect(typeof e.command).toBe('string');
    }
  });

  it('keeps only the known fields', () => {
    expect(parseGeneratorIndex({ generators: [{ ...entry, extra: 1 }] })).toEqual([entry]);
  });

  it('reads a grown generator’s growth strip, and refuses one that is not a rising list of PNGs', () => {
    const growth = [
      { resolution: 7, file: 'p-res-007.png' },
      { resolution: 14, file: 'p-res-014.png' },
    ];
    expect(parseGeneratorIndex({ generators: [{ ...entry, growth }] })[0]!.growth).toEqual(growth);
    const bad = (g: unknown) => () => parseGeneratorIndex({ generators: [{ ...entry, growth: g }] });
    expect(bad([])).toThrow('generators[0].growth must be a list of { "resolution", "file" }');
    expect(bad([growth[1], growth[0]])).toThrow(
      'generators[0].growth[1].resolution must be an integer above the one before it (14), got 7',
    );
    expect(bad([{ resolution: 7, file: '../x.png' }])).toThrow(
      'generators[0].growth[0].file must be a .png file name next to index.json, got "../x.png"',
    );
    expect(bad([{ resolution: 7, file: 'x.jpg' }])).toThrow(/\.png file name/);
  });

  it('says what is wrong with a malformed index, and where', () => {
    const bad = (value: unknown) => () => parseGeneratorIndex(value);
    expect(bad(null)).toThrow('generators/index.json: expected an object with a "generators" list');
    expect(bad([entry])).toThrow(/expected an object with a "generators" list/);
    expect(bad({ generators: [entry, 3] })).toThrow('generators/index.json: generators[1] is not an object');
    expect(bad({ generators: [{ ...entry, conditional: 'yes' }] })).toThrow(
      'generators/index.json: generators[0].conditional must be a boolean, got "yes"',
    );
    const { title: _, ...untitled } = entry;
    expect(bad({ generators: [untitled] })).toThrow('generators[0].title must be a string, got nothing');
    expect(bad({ generators: [{ ...entry, id: ' ' }] })).toThrow('generators[0].id is empty');
    expect(bad({ generators: [{ ...entry, id: 'MNIST cgan' }] })).toThrow(
      /lowercase letters, digits and dashes/,
    );
    expect(bad({ generators: [{ ...entry, file: '../secret.safetensors' }] })).toThrow(
      /must be a .safetensors file name next to index.json/,
    );
    expect(bad({ generators: [{ ...entry, file: 'g.bin' }] })).toThrow(/\.safetensors file name/);
    expect(bad({ generators: [entry, { ...entry, file: 'other.safetensors' }] })).toThrow(
      "generators[1].id 'mnist-cgan' appears twice",
    );
  });
});
