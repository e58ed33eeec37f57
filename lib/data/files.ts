/**
 * Shipped data sets: locating `datasets/` (in the repository or the installed
 * package) and reading a gzip file whose checksum is recorded in a JSON header
 * next to it, written by the data set's generator script.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

let root: string | undefined;

/** The `datasets/` folder of the optilab package (found from this file, in lib/ or dist/lib/). */
export function datasetsDir(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'optilab') return (root = join(dir, 'datasets'));
    const up = dirname(dir);
    if (up === dir) throw new Error(`optilab data: cannot find the package's datasets/ folder above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The fields every data set header carries. */
export interface DatasetHeader {
  name: string;
  file: string;
  sha256: string;
  license: string;
  source: Record<string, string>;
}

/**
 * Reads `datasets/<folder>/<header>` and the gzip file it names, checks the
 * SHA-256 of the uncompressed bytes, and returns both.
 */
export function readDataset<H extends DatasetHeader>(folder: string, headerFile: string): { header: H; bytes: Buffer } {
  const dir = join(datasetsDir(), folder);
  const header = JSON.parse(readFileSync(join(dir, headerFile), 'utf8')) as H;
  const bytes = gunzipSync(readFileSync(join(dir, header.file)));
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== header.sha256) {
    throw new Error(
      `optilab data: ${folder}/${header.file} is corrupt (sha256 ${digest}, expected ${header.sha256}); ` +
        `rebuild it with ${header.source.generator ?? 'its generator script'}`,
    );
  }
  return { header, bytes };
}
