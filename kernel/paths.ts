/** Where this package's files are, from source or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'optilab') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`optilab: no package.json named optilab above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The folder holding optilab's package.json. */
export const packageRoot = findPackageRoot();
/** The compiled package (the kernel always runs from dist/). */
export const distRoot = join(packageRoot, 'dist');
/** `import ... from 'optilab'` resolves here at run time ... */
export const libEntry = join(distRoot, 'lib', 'index.js');
/** ... and here for the type checker. */
export const libTypes = join(distRoot, 'lib', 'index.d.ts');
/** The `optilab` command. */
export const cliPath = join(distRoot, 'kernel', 'cli.js');

export function packageVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;
}
