/** `optilab notebook convert`: percent-format scripts <-> nbformat 4.5 notebooks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromPercentScript, scriptToNotebook, sourceOf, toPercentScript } from '../../kernel/runner/notebook.js';

const SCRIPT = `// %% [markdown]
// # A title
//
// Some *text*.

// %% tags=["parameters"]
const SMOKE = false;

// %%
const x = 1;
// a comment stays code

x + 1
`;

test('a percent script becomes markdown, tagged and code cells', () => {
  const cells = fromPercentScript(SCRIPT);
  assert.deepEqual(
    cells.map((c) => [c.cell_type, sourceOf(c), c.metadata.tags ?? []]),
    [
      ['markdown', '# A title\n\nSome *text*.', []],
      ['code', 'const SMOKE = false;', ['parameters']],
      ['code', 'const x = 1;\n// a comment stays code\n\nx + 1', []],
    ],
  );
});

test('script -> notebook -> script is the identity on the canonical form', () => {
  assert.equal(toPercentScript(scriptToNotebook(SCRIPT).cells), SCRIPT);
});

test('notebooks are nbformat 4.5 for the optilab kernel, with cell ids kept across re-conversion', () => {
  const first = scriptToNotebook(SCRIPT);
  assert.equal(first.nbformat, 4);
  assert.equal(first.nbformat_minor, 5);
  assert.equal(first.metadata.kernelspec.name, 'optilab');
  assert.ok(first.cells.every((c) => /^[0-9a-f]{8}$/.test(c.id!)));
  const again = scriptToNotebook(SCRIPT.replace('x + 1', 'x + 2'), first);
  assert.deepEqual(again.cells.map((c) => c.id), first.cells.map((c) => c.id));
});

test('text before the first marker is a code cell; bad tags are named', () => {
  assert.equal(sourceOf(fromPercentScript('const a = 1;\n// %%\nconst b = 2;\n')[0]), 'const a = 1;');
  assert.throws(() => fromPercentScript('// %% tags=[parameters]\n1\n'), /tags must be a JSON list/);
});
