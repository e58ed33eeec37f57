/** The cell compiler in-process: type checking across cells, the top-level rewrite, tiers, editor help. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CellChecker, type CompiledCell, type CompileFailure } from '../../kernel/checker/service.js';
import { isComplete } from '../../kernel/checker/assist.js';
import { sourceExcerpt } from '../../kernel/checker/errors.js';
import { libTypes, packageRoot } from '../../kernel/paths.js';

let checker: CellChecker;
let n = 0;
const compile = (code: string) => checker.compile(code, `In [${++n}]`, n);
/** Compiles a cell that must pass and "runs" it (commits its declarations, as the kernel does before running). */
const ok = (code: string): CompiledCell => {
  const r = compile(code);
  if (r.ok) checker.commit(n);
  assert.ok(r.ok, `expected ${JSON.stringify(code)} to compile: ${(r as CompileFailure).error?.evalue}`);
  return r;
};
const fails = (code: string): CompileFailure => {
  const r = compile(code);
  assert.equal(r.ok, false, `expected ${JSON.stringify(code)} to be refused`);
  return r as CompileFailure;
};

let notebookDir: string;
before(() => {
  notebookDir = mkdtempSync(join(tmpdir(), 'optilab-checker-'));
  checker = new CellChecker({ notebookDir, packageRoot, libTypes });
});
after(() => rmSync(notebookDir, { recursive: true, force: true }));

test('declarations become assignments to globals; the last expression is returned', () => {
  const r = ok('const a = 1;\nlet { b, c: [d] } = { b: 2, c: [3] };\nfunction f() { return a }\nclass K {}\na + b');
  assert.deepEqual(r.declares.sort(), ['K', 'a', 'b', 'd', 'f']);
  assert.match(r.js, /^f = function f\(\) \{ return a; \};$/m, 'functions are hoisted');
  assert.match(r.js, /^a = 1;$/m);
  assert.match(r.js, /^\(\{ b, c: \[d\] \} = \{ b: 2, c: \[3\] \}\);$/m);
  assert.match(r.js, /^K = class K \{$/m);
  assert.match(r.js, /^return \[a \+ b\];$/m);
});

test('imports become awaited dynamic imports through the cell API, hoisted', () => {
  const r = ok('const v = 1;\nimport * as aq from "arquero";\nimport { version as vv } from "vega";\nconst m = import("vega-lite");');
  assert.match(r.js, /^aq = await __optilab\.import\("arquero"\);$/m);
  assert.match(r.js, /^\(\{ version: vv \} = await __optilab\.import\("vega"\)\);$/m);
  assert.match(r.js, /^m = __optilab\.import\("vega-lite"\);$/m);
  assert.ok(r.js.indexOf('__optilab.import("arquero")') < r.js.indexOf('v = 1'), 'imports run first, as in a module');
});

test('a later cell sees earlier declarations with their types, and may re-declare them', () => {
  ok('const carried: number[] = [1, 2];\ninterface Shape { w: number }');
  assert.match(fails('carried.toUpperCase()').error.evalue, /Property 'toUpperCase' does not exist on type 'number\[\]'/);
  ok('const s: Shape = { w: carried[0] };');
  ok('const carried = "now a string";');
  ok('carried.toUpperCase()');
  ok('type Shape = { h: number }; const t: Shape = { h: 1 };');
});

test('a compiled cell declares nothing until it runs (an interrupted cell leaves no names behind)', () => {
  assert.ok(compile('const neverRan = 1;').ok);
  ok('const other = 2;');
  assert.match(fails('neverRan').error.evalue, /Cannot find name 'neverRan'/);
});

test('type errors carry the cell line, column and a caret', () => {
  const { error } = fails('const fine = 1;\nconst wrong: string = fine;');
  assert.equal(error.ename, 'TypeScriptError');
  assert.match(error.evalue, /Type 'number' is not assignable to type 'string'\. \(TS2322, line 2, column 7\)/);
  assert.deepEqual(error.traceback.slice(1), [`In [${n}], line 2, column 7:`, '   1 | const fine = 1;', '-> 2 | const wrong: string = fine;', '     |       ^^^^^']);
});

test('syntax errors are SyntaxError; built-in globals cannot be redeclared', () => {
  assert.equal(fails('let = ;').error.ename, 'SyntaxError');
  const r = fails('const process = 1;');
  assert.equal(r.error.ename, 'DeclarationError');
  assert.match(r.error.evalue, /'process' is a built-in global/);
});

test('tiers: plain code checks without Node or optilab types; a cell that needs them climbs', () => {
  assert.equal(ok('[1, 2].map((x) => x * 2)').tier, 0);
  assert.ok(ok('process.env.HOME').tier >= 1);
  const lib = ok('tf.scalar(1)');
  assert.equal(lib.tier, checker.maxTier);
  assert.equal(lib.needsLibrary, true);
  assert.equal(ok('"no library"').needsLibrary, false);
  // A name declared in a high tier is only visible there, so a cell using it starts there.
  ok('const tensorHere = tf.scalar(2);');
  assert.equal(ok('tensorHere.shape').tier, checker.maxTier);
});

test('is_complete: incomplete only when every error is at the end', () => {
  assert.equal(isComplete('const a = 1;').status, 'complete');
  assert.deepEqual(isComplete('function f() {'), { status: 'incomplete', indent: '  ' });
  assert.equal(isComplete('const t = `a ${').status, 'incomplete');
  assert.equal(isComplete('"unterminated').status, 'invalid');
  assert.equal(isComplete('const x = )').status, 'invalid');
});

test('source excerpts keep tabs so the caret lines up', () => {
  assert.deepEqual(sourceExcerpt('\tx = 1', 1, 2, 1), ['-> 1 | \tx = 1', '     | \t^']);
});
