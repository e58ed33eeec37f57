/**
 * The notebook runner on fixture notebooks: one whose claims run (one holds, one does
 * not), one with a failing cell, one that hangs and one that kills its kernel; the
 * reports they produce; parameter injection; REPRODUCTIONS.md regeneration.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { jupyterEnv, type JupyterEnv } from '../kernel/jupyter-env.js';
import { newNotebook, readNotebook, sourceOf, tagsOf, writeNotebook, type Cell } from '../../kernel/runner/notebook.js';
import { injectParameters, parseParameter } from '../../kernel/runner/parameters.js';
import { regenerateReproductions } from '../../kernel/runner/reproductions.js';
import { cliPath } from '../../kernel/paths.js';

const code = (source: string, tags: string[] = []): Cell => ({ cell_type: 'code', source, metadata: tags.length ? { tags } : {}, outputs: [], execution_count: null });

let jenv: JupyterEnv;
let work: string;

before(() => {
  jenv = jupyterEnv();
  work = mkdtempSync(join(tmpdir(), 'optilab-runner-'));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
  jenv.cleanup();
});

function optilab(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cliPath, ...args], { cwd, env: jenv.env, encoding: 'utf8', timeout: 120_000 });
}

describe('optilab run', () => {
  let report: string;
  let run: ReturnType<typeof optilab>;
  let hang: ReturnType<typeof optilab>;

  before(() => {
    const nbs = join(work, 'nbs');
    mkdirSync(nbs);
    cpSync(join(repoRoot(), 'tests', 'fixtures', 'notebooks'), nbs, { recursive: true });
    // A cell's time limit includes its type check, so only the endless cell gets a short one (a run of its own).
    const slow = join(work, 'slow');
    mkdirSync(slow);
    writeNotebook(join(slow, 'hangs.ipynb'), newNotebook([code('while (true) {}'), code('"never"')]));
    writeNotebook(join(nbs, 'kills_kernel.ipynb'), newNotebook([code('console.log("going down"); await new Promise((r) => setTimeout(r, 300)); process.kill(process.pid, "SIGKILL");')]));
    report = join(work, 'report');
    run = optilab(['run', 'nbs', '--smoke', '-p', 'n=4', '--report', report, '--timeout', '60'], work);
    hang = optilab(['run', 'slow', '--report', join(work, 'report-hang'), '--timeout', '4'], work);
  });

  test('exits non-zero because notebooks failed, and reports progress on stderr', () => {
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /\[1\/3\] nbs\/cell_fails\.ipynb \.\.\./);
    assert.match(run.stderr, /\[3\/3\] nbs\/kills_kernel\.ipynb: FAILED/);
  });

  test('report.json lists each notebook with its outcome and claims', () => {
    const entries = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8'));
    const by = Object.fromEntries(entries.map((e: any) => [e.notebook, e]));
    assert.deepEqual(Object.keys(by).sort(), ['nbs/cell_fails.ipynb', 'nbs/claim_ok.ipynb', 'nbs/kills_kernel.ipynb']);
    for (const e of entries) assert.deepEqual(Object.keys(e).sort(), ['claims', 'error', 'notebook', 'ok', 'paper_id', 'seconds', 'slug']);

    const ok = by['nbs/claim_ok.ipynb'];
    assert.equal(ok.ok, true);
    assert.equal(ok.error, null);
    assert.deepEqual(ok.claims, [
      { text: 'Gauss: 1 + ... + n = n(n+1)/2', measured: { total: 10, formula: 10 }, holds: true },
      { text: 'the sum exceeds a million <img src=x onerror=alert(1)>', measured: { total: 10 }, holds: false },
    ]);

    const failing = by['nbs/cell_fails.ipynb'];
    assert.equal(failing.ok, false);
    assert.equal(failing.error, 'cell 3: Error: this cell fails on purpose');

    assert.equal(by['nbs/kills_kernel.ipynb'].ok, false);
    assert.match(by['nbs/kills_kernel.ipynb'].error, /^cell 1: the kernel died \(exited \(signal SIGKILL\)\)$/);
  });

  test('a hanging cell is interrupted at its time limit and reported', () => {
    assert.equal(hang.status, 1, hang.stderr);
    const [entry] = JSON.parse(readFileSync(join(work, 'report-hang', 'report.json'), 'utf8'));
    assert.equal(entry.ok, false);
    assert.equal(entry.error, 'cell 1: timed out after 4 s (interrupted)');
  });

  test('executed notebooks keep their outputs, partial ones included, and the injected parameters', () => {
    const ok = readNotebook(join(report, 'notebooks', 'nbs', 'claim_ok.ipynb'));
    const at = ok.cells.findIndex((c) => tagsOf(c).includes('parameters'));
    const injected = ok.cells[at + 1];
    assert.deepEqual(tagsOf(injected), ['injected-parameters']);
    assert.match(sourceOf(injected), /const SMOKE = true as boolean;\nconst n = 4 as number;/);
    assert.equal(ok.cells[at + 2].outputs?.[0].text, 'summed 4 numbers\n', 'SMOKE and n reached the notebook');

    const failing = readNotebook(join(report, 'notebooks', 'nbs', 'cell_fails.ipynb'));
    const outputs = failing.cells.map((c) => (c.outputs ?? []).map((o) => o.output_type));
    assert.deepEqual(outputs.slice(-3), [['stream'], ['error'], []], 'output before the failure is kept; later cells do not run');
    const killed = readNotebook(join(report, 'notebooks', 'nbs', 'kills_kernel.ipynb'));
    assert.equal(killed.cells[killed.cells.length - 1].outputs?.[0]?.text, 'going down\n');
  });

  test('report.md has one row per notebook with measured values and verdicts, HTML shown as text', () => {
    const md = readFileSync(join(report, 'report.md'), 'utf8');
    assert.match(md, /3 notebooks: 1 ran, 2 failed\. 2 claims: 1 hold, 1 do not hold, 0 errored\./);
    assert.match(md, /\| nbs\/claim_ok\.ipynb \| .* \| ran \| ✓ Gauss: 1 \+ \.\.\. \+ n = n\(n\+1\)\/2 \(total=10, formula=10; holds\)<br>✗ the sum exceeds a million &lt;img/);
    assert.match(md, /\| nbs\/cell_fails\.ipynb \| Fixture: a cell that fails \| \*\*failed\*\*: cell 3: Error: this cell fails on purpose \|/);
    assert.doesNotMatch(md, /<script|<img src=x/);
  });

  test('index.html escapes notebook text, embeds the figures as images and allows no script', () => {
    const html = readFileSync(join(report, 'index.html'), 'utf8');
    assert.doesNotMatch(html, /<script|onerror=alert\(1\)>/);
    assert.match(html, /&lt;script&gt;alert\(&quot;title&quot;\)&lt;\/script&gt;/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="8"/></svg>').toString('base64');
    assert.ok(html.includes(`<img src="data:image/svg+xml;base64,${svg}"`), 'the SVG output is embedded');
  });
});

describe('parameters', () => {
  test('-p values are JSON when they parse, else strings; names must be identifiers', () => {
    assert.deepEqual(parseParameter('steps=200'), ['steps', 200]);
    assert.deepEqual(parseParameter('flag=true'), ['flag', true]);
    assert.deepEqual(parseParameter('opt=adam'), ['opt', 'adam']);
    assert.deepEqual(parseParameter('lrs=[0.1,0.01]'), ['lrs', [0.1, 0.01]]);
    assert.throws(() => parseParameter('1x=2'), /'1x' is not a valid TypeScript identifier/);
    assert.throws(() => parseParameter('nothing'), /expected NAME=VALUE/);
  });

  test('the injected cell follows the parameters cell, keeps let/const, and replaces an earlier injection', () => {
    const nb = newNotebook([code('// setup'), code('const SMOKE = false;\nlet lr = 0.1;', ['parameters']), code('train()')]);
    const once = injectParameters(nb, { SMOKE: true, lr: 0.5, name: 'x' });
    assert.deepEqual(once.cells.map((c) => tagsOf(c)), [[], ['parameters'], ['injected-parameters'], []]);
    assert.equal(sourceOf(once.cells[2]), '// Parameters injected by optilab run\nconst SMOKE = true as boolean;\nlet lr = 0.5 as number;\nconst name = "x" as string;');
    const twice = injectParameters(once, { QUICK: true });
    assert.equal(twice.cells.filter((c) => tagsOf(c).includes('injected-parameters')).length, 1);
    const none = newNotebook([code('1')]);
    assert.deepEqual(tagsOf(injectParameters(none, { SMOKE: true }).cells[0]), ['injected-parameters'], 'without a parameters cell the injection goes first');
  });
});

describe('optilab reproductions', () => {
  test('re-runs only changed notebooks and writes one row per catalog paper', async () => {
    const root = join(work, 'repo');
    mkdirSync(join(root, 'notebooks', 'toy'), { recursive: true });
    writeFileSync(join(root, 'notebooks', 'catalog.tsv'), 'id\tslug\ttitle\tcategory\tissue\n1\tgauss\tGauss sums\ttoy\tx\n2\tmissing\tA paper without a notebook\ttoy\tlater\n');
    cpSync(join(repoRoot(), 'tests', 'fixtures', 'notebooks', 'claim_ok.ipynb'), join(root, 'notebooks', 'toy', 'gauss.ipynb'));
    const logs: string[] = [];
    const opts = { all: false, timeoutSeconds: 60, root, env: jenv.env, log: (l: string) => logs.push(l) };
    assert.equal(await regenerateReproductions(opts), true);
    const md = readFileSync(join(root, 'REPRODUCTIONS.md'), 'utf8');
    assert.match(md, /\| 1 \| Gauss sums \| \[gauss\]\(notebooks\/toy\/gauss\.ipynb\) \| ✓ Gauss: 1 \+ \.\.\. \+ n = n\(n\+1\)\/2: total=465, formula=465 \(holds\)<br>✗ .* \(does not hold\) \| \d+\.\d \|/);
    assert.match(md, /\| 2 \| A paper without a notebook \| not yet \| \| \|/);
    const store = JSON.parse(readFileSync(join(root, 'notebooks', 'reproductions.json'), 'utf8'));
    assert.deepEqual(Object.keys(store), ['gauss']);
    assert.equal(store.gauss.claims.length, 2);

    logs.length = 0;
    await regenerateReproductions(opts);
    assert.ok(logs.includes('0 notebook(s) to run, 1 unchanged'), logs.join('\n'));
    await regenerateReproductions({ ...opts, all: true });
    assert.ok(logs.includes('1 notebook(s) to run, 0 unchanged'), logs.join('\n'));
    assert.ok(existsSync(join(root, 'reports', 'reproductions', 'index.html')));
  });
});
