/** The data of an unpaired run: two domains, each opened, halved and restyled as its spec says, checked against the model. */
import { halfOf, type ImageDataset, restyle, UnpairedBatcher, unpairedProblems } from '@gankit/datasets';
import type { CycleDef } from '@gankit/models';
import { type DataSource, unpairedSource } from '@gankit/train';
import type { CycleRunConfig, DomainSpec } from './cycle-run-config.js';
import { describeDomain } from './cycle-run-config.js';
import { openSpec } from './data.js';
import { UsageError } from './errors.js';

/** How the shipped classifier reads a domain's images: as they are, or with a style's inversion undone. */
export interface DomainReader {
  extractor: 'mnist' | 'fashion-mnist';
  invert: boolean;
}

export interface Domain {
  spec: DomainSpec;
  train: ImageDataset;
  /** Held-out images: the dataset's test split (same half and style), a folder's `test`, or else its training images. */
  test: ImageDataset;
  heldOut: boolean;
  /** Set when the images are labelled and a classifier ships for them (class preservation). */
  reader?: DomainReader;
  classNames?: string[];
}

export interface CycleRunData {
  description: string;
  source: DataSource;
  a: Domain;
  b: Domain;
}

async function openDomain(
  name: 'a' | 'b',
  spec: DomainSpec,
  shape: readonly number[],
  seed: number,
): Promise<Domain> {
  const [h = 0, w = 0, c = 1] = shape;
  const opened = await openSpec(spec.dataset, { seed, size: [h, w], channels: c === 1 ? 1 : 3 });
  if (opened.kind !== 'images')
    throw new UsageError(`data.${name}.dataset '${spec.dataset}' holds points; a domain is images`);
  if (opened.shape.some((v, i) => v !== shape[i]))
    throw new UsageError(
      `data.${name}: '${spec.dataset}' holds ${opened.shape.join('×')} images but the model's domain ${name.toUpperCase()} is ${shape.join('×')}; set the model's imageSize and channels${name.toUpperCase()} to fit`,
    );
  let test = opened.test;
  if (spec.test != null) {
    const held = await openSpec(spec.test, { seed, size: [h, w], channels: c === 1 ? 1 : 3 });
    if (held.kind !== 'images') throw new UsageError(`data.${name}.test '${spec.test}' holds points`);
    test = held.train;
  }
  const shaped = (d: ImageDataset) => {
    try {
      const halved = spec.half ? halfOf(d, spec.half) : d;
      return spec.style ? restyle(halved, spec.style) : halved;
    } catch (err) {
      throw new UsageError(`data.${name}: ${(err as Error).message}`);
    }
  };
  const train = shaped(opened.train);
  if (train.count === 0)
    throw new UsageError(`data.${name}: '${spec.dataset}' has no images; give a folder or dataset with some`);
  const domain: Domain = {
    spec,
    train,
    test: test ? shaped(test) : train,
    heldOut: test != null,
    ...(opened.classes ? { classNames: opened.classes } : {}),
  };
  if (opened.extractor && train.labels)
    domain.reader = { extractor: opened.extractor, invert: spec.style?.includes('inverted') ?? false };
  return domain;
}

/** Opens both domains and makes their unpaired batches; domains that do not fit the model are bad input. */
export async function openCycleData(config: CycleRunConfig, def: CycleDef): Promise<CycleRunData> {
  const { seed, batchSize } = config.train;
  const a = await openDomain('a', config.data.a, def.shapeA, seed);
  const b = await openDomain('b', config.data.b, def.shapeB, seed);
  const problems = unpairedProblems(a.train, b.train);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  for (const [name, d] of [
    ['a', a],
    ['b', b],
  ] as const)
    if (batchSize > d.train.count)
      throw new UsageError(
        `train.batchSize ${batchSize} is more than the ${d.train.count} images of domain ${name.toUpperCase()}; lower it`,
      );
  const batcher = new UnpairedBatcher(a.train, b.train, {
    batchSize,
    seed,
    range: def.dataRange as [-1, 1],
  });
  const count = (d: Domain) => `${d.train.count.toLocaleString('en-US')} images`;
  return {
    description: `A: ${describeDomain(a.spec)}, ${count(a)}; B: ${describeDomain(b.spec)}, ${count(b)} (unpaired, each in its own order)`,
    source: unpairedSource(batcher),
    a,
    b,
  };
}
