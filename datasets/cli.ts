/**
 * `npm run datasets -- <command>`: list, generate and verify the
 * operator-learning data sets. `main(argv)` is also what `optilab datasets`
 * calls.
 *
 *   list                          registered data sets, sizes, status on disk
 *   generate [names] [--verify]   run the generators, write the files; record the
 *                                 checksums in datasets/manifest.json, or with
 *                                 --verify require them to match the manifest
 *   verify [names]                check the files on disk against the manifest
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DATASETS, datasetSpec } from '../lib/operators/data/registry.js';
import { generateBytes, writeDataset, readManifest, writeManifest, datasetPath, fileName } from '../lib/operators/data/store.js';
import { sha256, decompress } from '../lib/operators/data/format.js';

const USAGE = `usage: datasets <command> [names...]
  list                          registered data sets and their status
  generate [names] [--verify]   regenerate (all by default) and record checksums;
                                with --verify, fail unless they match the manifest
  verify [names]                check files on disk against the manifest`;

function names(args: string[]): string[] {
  const list = args.filter((a) => !a.startsWith('--'));
  for (const n of list) datasetSpec(n); // throws a clear error for unknown names
  return list.length ? list : Object.keys(DATASETS);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

function list(log: (s: string) => void): number {
  const manifest = readManifest();
  for (const spec of Object.values(DATASETS)) {
    const path = datasetPath(spec);
    const entry = manifest[spec.name];
    const status = existsSync(path) ? 'on disk' : spec.shipped ? 'MISSING' : 'generated on first use';
    log(`${spec.name.padEnd(10)} ${String(spec.nTrain).padStart(5)} train ${String(spec.nTest).padStart(4)} test  ${spec.shipped ? 'shipped' : 'cached '}  ${status}${entry ? `  sha256 ${entry.sha256.slice(0, 12)}… ${mb(entry.bytes)}` : ''}`);
    log(`           ${spec.description}`);
  }
  return 0;
}

function generate(args: string[], log: (s: string) => void): number {
  const verify = args.includes('--verify');
  const manifest = readManifest();
  let failures = 0;
  for (const name of names(args)) {
    const spec = datasetSpec(name);
    const start = performance.now();
    let lastTenth = -1;
    const bytes = generateBytes(name, {
      onProgress: (done, total) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          process.stderr.write(`  ${name}: ${done}/${total}\r`);
        }
      },
    });
    const seconds = (performance.now() - start) / 1000;
    const digest = sha256(bytes);
    const recorded = manifest[name]?.sha256;
    if (verify && recorded !== digest) {
      log(`${name}: FAILED, generated ${digest} but the manifest records ${recorded ?? 'nothing'} (${seconds.toFixed(1)} s)`);
      failures++;
      continue;
    }
    writeDataset(spec, bytes);
    manifest[name] = { file: fileName(name), sha256: digest, bytes: bytes.length, shipped: spec.shipped, samples: spec.nTrain + spec.nTest };
    log(`${name}: ${verify ? 'verified' : 'generated'} ${spec.nTrain + spec.nTest} samples in ${seconds.toFixed(1)} s, sha256 ${digest}, ${mb(bytes.length)} -> ${datasetPath(spec)}`);
  }
  if (!verify) writeManifest(manifest);
  return failures ? 1 : 0;
}

function verifyFiles(args: string[], log: (s: string) => void): number {
  const manifest = readManifest();
  let failures = 0;
  for (const name of names(args)) {
    const spec = datasetSpec(name);
    const path = datasetPath(spec);
    const entry = manifest[name];
    if (!entry) {
      log(`${name}: no manifest entry`);
      failures++;
    } else if (!existsSync(path)) {
      log(`${name}: ${spec.shipped ? 'MISSING' : 'not generated yet'} (${path})`);
      if (spec.shipped) failures++;
    } else {
      const digest = sha256(decompress(readFileSync(path)));
      const ok = digest === entry.sha256;
      log(`${name}: ${ok ? 'ok' : `MISMATCH (file ${digest}, manifest ${entry.sha256})`}`);
      if (!ok) failures++;
    }
  }
  return failures ? 1 : 0;
}

/** Runs the data-set command line; returns the exit code. */
export async function main(argv: string[], log: (s: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'list':
        return list(log);
      case 'generate':
        return generate(rest, log);
      case 'verify':
        return verifyFiles(rest, log);
      case undefined:
      case 'help':
      case '--help':
        log(USAGE);
        return command === undefined ? 1 : 0;
      default:
        log(`unknown command '${command}'\n${USAGE}`);
        return 1;
    }
  } catch (e) {
    log(`datasets: ${(e as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
