/**
 * Audit of argument checking across the library's public functions (not a test: its
 * output is the table in tests/FAULTS.md). Every exported function of every namespace
 * that declares required parameters is called with all arguments undefined, then with a
 * string as its first argument. The worse outcome is recorded:
 *   clear     it threw an error of its own check ('owner: what must be what, got what');
 *   generic   it threw an error from deep inside (JavaScript's or TF.js's wording, see GENERIC);
 *   accepted  it returned (optional arguments, or a factory that checks later).
 *
 *   npx tsc -b && node dist/tests/backend/audit_arguments.js [--list]
 */
import * as lib from '../../lib/index.js';

type Outcome = 'clear' | 'generic' | 'accepted';
/** Functions that write files, load data or change global state are not called. */
const SIDE_EFFECTS = /^(write|save|load|download|install|remove|delete|set|register|unregister|use)/;
const SKIP = new Set(['tf', 'display', 'progress', 'comm', 'plot']); // plot and comm are asynchronous or render; display writes output

function attempt(name: string, fn: (...a: unknown[]) => unknown, args: unknown[]): { outcome: Outcome; message: string } {
  const write = process.stdout.write;
  try {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    const r = fn(...args);
    if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).catch(() => undefined);
    return { outcome: 'accepted', message: '' };
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    return { outcome: GENERIC.test(message) ? 'generic' : 'clear', message };
  } finally {
    process.stdout.write = write;
  }
}

/** Wording of errors raised by JavaScript itself or by TF.js's own argument checks, not by a library check. */
const GENERIC = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert undefined|Invalid array length|Argument '\w+' passed to '\w+' must be|Cannot destructure|undefined is not|null is not|Maximum call stack|out of memory/;

const rank: Record<Outcome, number> = { clear: 0, accepted: 1, generic: 2 };
const table: Record<string, Record<Outcome, number>> = {};
const generic: string[] = [];
for (const [ns, mod] of Object.entries(lib)) {
  if (SKIP.has(ns) || typeof mod !== 'object' || mod === null) continue;
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function' || /^[A-Z]/.test(name) || fn.length === 0 || SIDE_EFFECTS.test(name)) continue;
    const tries = [attempt(name, fn as never, Array(fn.length).fill(undefined)), attempt(name, fn as never, ['nonsense', ...Array(fn.length - 1).fill(undefined)])];
    const worst = tries.reduce((a, b) => (rank[b.outcome] > rank[a.outcome] ? b : a));
    (table[ns] ??= { clear: 0, generic: 0, accepted: 0 })[worst.outcome]++;
    if (worst.outcome === 'generic') generic.push(`${ns}.${name}: ${worst.message.split('\n')[0].slice(0, 100)}`);
  }
}
const total = { clear: 0, generic: 0, accepted: 0 };
console.log('| Namespace | Clear error | Generic error | Accepted |\n|---|---:|---:|---:|');
for (const [ns, t] of Object.entries(table)) {
  console.log(`| ${ns} | ${t.clear} | ${t.generic} | ${t.accepted} |`);
  for (const k of Object.keys(total) as Outcome[]) total[k] += t[k];
}
console.log(`| **all** | **${total.clear}** | **${total.generic}** | **${total.accepted}** |`);
if (process.argv.includes('--list')) console.log('\n' + generic.join('\n'));
