/** Where an npm package is installed, as seen from @gankit/datasets. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed npm package, or undefined where it is not installed. */
export function npmPackageDir(pkg: string): string | undefined {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
}
