/**
 * Parameters, papermill's way: a cell tagged `parameters` holds the defaults, and the
 * runner inserts a cell tagged `injected-parameters` right after it that re-declares
 * the overridden names. (The kernel lets a cell re-declare what an earlier one declared.)
 */
import { newCellId, sourceOf, tagsOf, type Cell, type Notebook } from './notebook.js';
import { UsageError } from '../args.js';

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** `-p name=value`: the value is JSON when it parses as JSON, else a string. */
export function parseParameter(arg: string): [string, unknown] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UsageError(`-p ${arg}: expected NAME=VALUE, e.g. -p steps=200 or -p optimizer=adam`);
  const name = arg.slice(0, eq);
  if (!IDENT.test(name)) throw new UsageError(`-p ${arg}: '${name}' is not a valid TypeScript identifier`);
  const raw = arg.slice(eq + 1);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}

/** A TypeScript literal for `value`, widened (`true as boolean`) so later cells may compare it freely. */
function literal(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new Error(`parameter value ${String(value)} cannot be written as JSON`);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return `${json} as ${typeof value}`;
  return json;
}

/** The notebook with an injected-parameters cell (replacing one from an earlier run). */
export function injectParameters(nb: Notebook, params: Record<string, unknown>): Notebook {
  const cells = nb.cells.filter((c) => !tagsOf(c).includes('injected-parameters'));
  if (Object.keys(params).length === 0) return { ...nb, cells };
  const at = cells.findIndex((c) => c.cell_type === 'code' && tagsOf(c).includes('parameters'));
  const defaults = at >= 0 ? sourceOf(cells[at]) : '';
  const lines = Object.entries(params).map(([name, value]) => {
    // Keep the declaration kind the parameters cell used (a `let` stays assignable).
    const kind = defaults.match(new RegExp(`\\b(const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\b`))?.[1] ?? 'const';
    return `${kind} ${name} = ${literal(value)};`;
  });
  const injected: Cell = {
    id: newCellId(),
    cell_type: 'code',
    source: ['// Parameters injected by optilab run', ...lines].join('\n'),
    metadata: { tags: ['injected-parameters'] },
    outputs: [],
    execution_count: null,
  };
  cells.splice(at + 1, 0, injected);
  return { ...nb, cells };
}
