/**
 * Stack traces that point into cells. Cells run as generated JavaScript; a stack
 * frame in a cell script is mapped back through the cell's source map to the line and
 * column the user wrote, and frames from the kernel's own code are left out.
 */
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { SourceMap } from './sourcemap.js';
import { sourceExcerpt, type ErrorContent } from '../checker/errors.js';

interface CellScript {
  label: string;
  source: string;
  map: string;
  parsed?: SourceMap;
  /** Columns the wrapper adds in front of line 1. */
  prefix: number;
}

const scripts = new Map<string, CellScript>();
/** Cells kept for mapping stack frames (functions defined in old cells may still run). */
const MAX_SCRIPTS = 10_000;
const kernelDir = dirname(dirname(fileURLToPath(import.meta.url)));

export function registerScript(filename: string, script: Omit<CellScript, 'parsed'>): void {
  scripts.set(filename, script);
  if (scripts.size > MAX_SCRIPTS) scripts.delete(scripts.keys().next().value!);
}

interface Frame {
  text: string;
  cell?: { script: CellScript; line: number; column: number };
}

/** Maps a cell frame's 1-based generated position to the cell's 1-based line and column. */
function mapPosition(script: CellScript, line: number, column: number): { line: number; column: number } | undefined {
  script.parsed ??= new SourceMap(script.map);
  const col0 = column - 1 - (line === 1 ? script.prefix : 0);
  const pos = script.parsed.original(line - 1, Math.max(0, col0));
  return pos && { line: pos.line + 1, column: pos.column + 1 };
}

const framesOf = new WeakMap<object, Frame[]>();

function describe(cs: NodeJS.CallSite): Frame | undefined {
  const file = cs.getFileName() ?? '';
  const script = scripts.get(file);
  const prefix = (cs as any).isAsync?.() ? 'async ' : '';
  if (script) {
    const pos = mapPosition(script, cs.getLineNumber() ?? 1, cs.getColumnNumber() ?? 1);
    const name = cs.getFunctionName();
    const where = pos ? `${script.label}:${pos.line}:${pos.column}` : script.label;
    return {
      text: `${prefix}${name ? `${name} (${where})` : where}`,
      cell: pos && { script, line: pos.line, column: pos.column },
    };
  }
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  // Node's own frames (node:async_hooks, node:internal/...) and the kernel's say nothing about the user's code.
  if (path.startsWith('node:') || path.startsWith(kernelDir)) return undefined;
  return { text: cs.toString() };
}

/** Installs the stack formatter: cell frames mapped to cell positions, kernel frames hidden. */
export function installStackFormatter(): void {
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 20);
  Error.prepareStackTrace = (error: unknown, callsites: NodeJS.CallSite[]) => {
    const frames: Frame[] = [];
    for (const cs of callsites) {
      try {
        const f = describe(cs);
        if (f) frames.push(f);
      } catch {
        frames.push({ text: String(cs) });
      }
    }
    if (error !== null && typeof error === 'object') framesOf.set(error, frames);
    let head: string;
    try {
      head = Error.prototype.toString.call(error);
    } catch {
      head = 'Error';
    }
    return [head, ...frames.map((f) => `    at ${f.text}`)].join('\n');
  };
}

function errorName(e: unknown): string {
  if (e instanceof Error) return e.name || e.constructor?.name || 'Error';
  if (e === null || e === undefined) return String(e);
  return typeof e === 'object' ? (e as object).constructor?.name ?? 'Object' : typeof e;
}

/** A thrown value as Jupyter's ename / evalue / traceback, with the cell line it came from. */
export function errorContent(e: unknown, note?: string): ErrorContent {
  const isError = e instanceof Error || (e !== null && typeof e === 'object' && 'stack' in (e as object) && 'message' in (e as object));
  const ename = errorName(e);
  const evalue = isError ? String((e as Error).message) : inspect(e, { depth: 2 });
  const traceback: string[] = [];
  if (note) traceback.push(note);
  traceback.push(`${ename}: ${evalue}`);
  if (!isError) return { ename, evalue, traceback };
  const stack = String((e as Error).stack ?? '');
  const frames = framesOf.get(e as object);
  if (frames) {
    traceback.push(...frames.map((f) => `    at ${f.text}`));
    const inner = frames.find((f) => f.cell);
    if (inner?.cell) {
      const { script, line, column } = inner.cell;
      traceback.push('', `${script.label}, line ${line}, column ${column}:`, ...sourceExcerpt(script.source, line, column));
    }
  } else {
    // A stack formatted elsewhere (e.g. another prepareStackTrace): keep its frames as they are.
    traceback.push(...stack.split('\n').filter((l) => /^\s+at /.test(l)));
  }
  const cause = (e as Error).cause;
  if (cause !== undefined) traceback.push('', 'Caused by:', ...errorContent(cause).traceback);
  return { ename, evalue, traceback };
}
