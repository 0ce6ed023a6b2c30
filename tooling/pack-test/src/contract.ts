import { readFileSync } from 'node:fs';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

/**
 * The package contract checks, in this process: publint (strict) on an installed package and are-the-types-wrong on
 * its tarball. One TypeScript load serves every package (the CLIs cost a Node start and a TypeScript load each:
 * 14 processes, ~90 s of the pack test on the 2-core CI machine).
 */

/** publint's errors and warnings (strict: warnings count as errors) for the package installed at `dir`. */
export async function publintProblems(dir: string): Promise<string[]> {
  const { messages, pkg } = await publint({ pkgDir: dir, strict: true });
  return messages
    .filter((m) => m.type !== 'suggestion')
    .map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);
}

/**
 * are-the-types-wrong's problems for a tarball under its `esm-only` profile: resolutions by `node10` and by `require`
 * from CommonJS (`node16-cjs`) are ignored, as the CLI's profile ignores them (a subpath export such as
 * `@gankit/train/node` cannot resolve under node10). A package without types is a problem too.
 */
export async function typeProblems(tarball: string): Promise<string[]> {
  const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(tarball)));
  const analysis = await checkPackage(pkg);
  if (!analysis.types) return [`${analysis.packageName} ships no types`];
  const ignored = new Set(['node10', 'node16-cjs']);
  return analysis.problems
    .filter((p) => !('resolutionKind' in p) || !ignored.has(p.resolutionKind))
    .map((p) => {
      const where = 'entrypoint' in p ? ` at ${p.entrypoint}` : '';
      const how = 'resolutionKind' in p ? ` (${p.resolutionKind})` : '';
      return `${p.kind}${where}${how}`;
    });
}
