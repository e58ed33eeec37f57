/**
 * Notebooks on disk: nbformat 4.5 `.ipynb` files, and the percent-format `.ts` script
 * that notebooks can be written in as plain text:
 *
 *   // %% [markdown]
 *   // # Title
 *   // %% tags=["parameters"]
 *   const SMOKE = false;
 *   // %%
 *   const x = tf.ones([2, 2]);
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export type Output = Record<string, any> & { output_type: 'stream' | 'display_data' | 'execute_result' | 'error' };

export interface Cell {
  id?: string;
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, any>;
  outputs?: Output[];
  execution_count?: number | null;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Cell[];
}

export const NOTEBOOK_METADATA = {
  kernelspec: { name: 'optilab', display_name: 'TypeScript (optilab)', language: 'typescript' },
  language_info: {
    name: 'typescript',
    file_extension: '.ts',
    mimetype: 'text/typescript',
    codemirror_mode: 'text/typescript',
    pygments_lexer: 'typescript',
    nbconvert_exporter: 'script',
  },
};

export function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** nbformat's on-disk form of a source: lines, each keeping its newline. */
export function sourceLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function tagsOf(cell: Cell): string[] {
  return Array.isArray(cell.metadata?.tags) ? cell.metadata.tags : [];
}

export function newCellId(): string {
  return randomBytes(4).toString('hex');
}

export function readNotebook(path: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable notebook (${(e as Error).message})`);
  }
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error(`${path}: expected an nbformat 4 notebook, got nbformat ${JSON.stringify(nb?.nbformat)}`);
  }
  for (const c of nb.cells) {
    c.metadata ??= {};
    // nbformat may store multi-line strings as arrays of lines; work with plain strings.
    for (const o of c.outputs ?? []) {
      if (Array.isArray(o.text)) o.text = o.text.join('');
      for (const [mime, v] of Object.entries(o.data ?? {})) {
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) o.data[mime] = v.join('');
      }
    }
  }
  return nb;
}

/** Writes a notebook the way Jupyter does (one-space indent, sources as line arrays). */
export function writeNotebook(path: string, nb: Notebook): void {
  const normal: Notebook = {
    ...nb,
    cells: nb.cells.map((c) => {
      const out: Cell = { ...c, source: sourceLines(sourceOf(c)) };
      if (c.outputs) out.outputs = c.outputs.map((o) => (o.output_type === 'stream' && typeof o.text === 'string' ? { ...o, text: sourceLines(o.text) } : o));
      return out;
    }),
  };
  writeFileSync(path, JSON.stringify(normal, null, 1) + '\n');
}

/** A fresh nbformat 4.5 notebook for the optilab kernel. */
export function newNotebook(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: structuredClone(NOTEBOOK_METADATA), cells };
}

const MARKER = /^\/\/ ?%%(.*)$/;

/** Parses a percent-format script into cells. */
export function fromPercentScript(text: string): Cell[] {
  const cells: Cell[] = [];
  let current: { header: string; lines: string[] } | undefined;
  const preamble: string[] = [];
  const finish = () => {
    if (!current) return;
    const header = current.header.trim();
    const kind = header.match(/^\[(markdown|md|raw)\]/)?.[1];
    const tagsText = header.match(/tags\s*=\s*(\[[^\]]*\])/)?.[1];
    let tags: string[] = [];
    if (tagsText) {
      try {
        tags = JSON.parse(tagsText);
      } catch {
        throw new Error(`cell marker "// %%${current.header}": tags must be a JSON list such as tags=["parameters"]`);
      }
    }
    let lines = current.lines;
    while (lines.length && lines[lines.length - 1].trim() === '') lines = lines.slice(0, -1);
    const cell_type = kind === 'markdown' || kind === 'md' ? 'markdown' : kind === 'raw' ? 'raw' : 'code';
    if (cell_type !== 'code') lines = lines.map((l) => l.replace(/^\/\/ ?/, ''));
    cells.push({ id: newCellId(), cell_type, source: lines.join('\n'), metadata: tags.length ? { tags } : {}, ...(cell_type === 'code' ? { outputs: [], execution_count: null } : {}) });
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const m = line.match(MARKER);
    if (m) {
      finish();
      current = { header: m[1], lines: [] };
    } else if (current) current.lines.push(line);
    else preamble.push(line);
  }
  finish();
  if (preamble.some((l) => l.trim() !== '')) {
    const lines = [...preamble];
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    cells.unshift({ id: newCellId(), cell_type: 'code', source: lines.join('\n'), metadata: {}, outputs: [], execution_count: null });
  }
  return cells;
}

/** Writes cells as a percent-format script (outputs are not kept). */
export function toPercentScript(cells: Cell[]): string {
  const parts = cells.map((c) => {
    const tags = tagsOf(c);
    const header = `// %%${c.cell_type === 'code' ? '' : ` [${c.cell_type}]`}${tags.length ? ` tags=${JSON.stringify(tags)}` : ''}`;
    const text = sourceOf(c).replace(/\n$/, '');
    const body = c.cell_type === 'code' ? text : text.split('\n').map((l) => (l ? `// ${l}` : '//')).join('\n');
    return body ? `${header}\n${body}\n` : `${header}\n`;
  });
  return parts.join('\n');
}

/**
 * Converts a percent script to a notebook; cells keep the ids of the cells at the same
 * position in `previous` (the notebook being replaced), so re-converting does not churn ids.
 */
export function scriptToNotebook(text: string, previous?: Notebook): Notebook {
  const cells = fromPercentScript(text);
  cells.forEach((c, i) => {
    const id = previous?.cells[i]?.id;
    if (id) c.id = id;
  });
  return newNotebook(cells);
}
