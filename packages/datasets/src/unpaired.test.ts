import { useBackend } from '@gankit/backends';
import { uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { halfOf, restyle } from './domains.js';
import type { ImageDataset } from './image-dataset.js';
import { ImageBatcher } from './pipeline.js';
import { UnpairedBatcher } from './unpaired.js';

beforeAll(async () => {
  await useBackend('cpu');
});

function images(count: number, name: string, size = 6): ImageDataset {
  const u = uniformStream(count + name.length);
  return {
    name,
    split: 'train',
    images: Uint8Array.from({ length: count * size * size }, () => Math.floor(u() * 256)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    shape: [size, size, 1],
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    source: 'test',
  };
}

const read = async (t: tf.Tensor) => Array.from(await t.data());

describe('unpaired domains', () => {
  it('draws A and B independently: A in the order of its own batcher, B in another; both resume exactly', async () => {
    const a = images(20, 'a');
    const b = images(20, 'b');
    const domains = new UnpairedBatcher(a, b, { batchSize: 4, seed: 3 });
    const alone = new ImageBatcher(a, { batchSize: 4, seed: 3 });
    const first = domains.next();
    const solo = alone.next();
    expect(await read(first.A)).toEqual(await read(solo.images));
    expect(await read(first.labelsA!)).toEqual(await read(solo.labels!));
    // with A = B the two orders still differ: B is not A's partner
    const same = new UnpairedBatcher(a, a, { batchSize: 4, seed: 3 }).next();
    expect(await read(same.B)).not.toEqual(await read(same.A));
    const saved = domains.state();
    const later = [
      domains.next(),
      domains.next(),
      domains.next(),
      domains.next(),
      domains.next(),
      domains.next(),
    ];
    const resumed = new UnpairedBatcher(a, b, { batchSize: 4, seed: 3 });
    resumed.restore(saved);
    for (const want of later) {
      const got = resumed.next();
      expect(await read(got.A)).toEqual(await read(want.A));
      expect(await read(got.B)).toEqual(await read(want.B));
      tf.dispose([got.A, got.B, got.labelsA!, got.labelsB!]);
    }
    expect(() => resumed.restore({} as never)).toThrow(/a saved state has A and B/);
    tf.dispose([first, solo, same, ...later].flatMap((x) => Object.values(x) as tf.Tensor[]));
  });

  it('refuses an empty domain and domains of different sizes, naming the fix', () => {
    expect(() => new UnpairedBatcher(images(0, 'none'), images(4, 'b'), { batchSize: 2 })).toThrow(
      /domain A \(none\) has no images/,
    );
    expect(() => new UnpairedBatcher(images(4, 'a'), images(4, 'b', 8), { batchSize: 2 })).toThrow(
      /A \(a\) 6×6, B \(b\) 8×8; give both the same size/,
    );
  });

  it('restyles: thick dilates by a 3×3 maximum, inverted is 255 − v; halves share no image; labels kept', () => {
    const dot: ImageDataset = { ...images(1, 'dot', 5), images: new Uint8Array(25) };
    dot.images[12] = 200; // the centre pixel
    const thick = restyle(dot, 'thick').images;
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 5; x++)
        expect(thick[y * 5 + x]).toBe(Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1 ? 200 : 0);
    const both = restyle(dot, 'thick-inverted');
    expect(Array.from(both.images)).toEqual(Array.from(thick, (v) => 255 - v));
    expect(both.name).toBe('dot:thick-inverted');
    expect(Array.from(restyle(dot, 'inverted').images)).toEqual(Array.from(dot.images, (v) => 255 - v));
    expect(dot.images[0]).toBe(0); // the original untouched
    const d = images(11, 'd');
    const [first, second] = [halfOf(d, 'first'), halfOf(d, 'second')];
    expect([first.count, second.count]).toEqual([5, 6]);
    expect(Array.from(first.images)).toEqual(Array.from(d.images.subarray(0, 5 * 36)));
    expect(Array.from(second.labels!)).toEqual([5, 6, 7, 8, 9, 0]);
    const byClass = images(40, 'sorted');
    byClass.labels = Uint8Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    expect(() => halfOf(byClass, 'first')).toThrow(/lacks 1 of its 2 classes: it is stored class by class/);
    expect(() => restyle(d, 'blurred' as never)).toThrow(/unknown domain style 'blurred'; use one of thick/);
  });
});
