/** The session's input history, answering history_request (tail, range, search). */

export interface HistoryQuery {
  hist_access_type?: string;
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

type Row = [number, number, string] | [number, number, [string, string | null]];

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

/** Jupyter's glob patterns: `*` any run, `?` one character, `[...]` a class; the whole input must match. */
function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class History {
  /** The kernel process is one session; sessions are numbered from 1 as IPython does. */
  readonly session = 1;
  private readonly entries: Entry[] = [];

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** Records the text form of a cell's result, for `output: true` queries. */
  setOutput(line: number, output: string): void {
    const e = this.entries.findLast((x) => x.line === line);
    if (e) e.output = output;
  }

  query(q: HistoryQuery): Row[] {
    const row = (e: Entry): Row => (q.output ? [this.session, e.line, [e.input, e.output]] : [this.session, e.line, e.input]);
    const type = q.hist_access_type ?? 'tail';
    if (type === 'tail') {
      const n = q.n ?? 10;
      return this.entries.slice(Math.max(0, this.entries.length - n)).map(row);
    }
    if (type === 'range') {
      // Session 0 (or a non-positive offset that reaches this session) is the current one.
      const session = q.session ?? 0;
      if (session > 0 ? session !== this.session : session < 0) return [];
      const start = q.start ?? 1;
      const stop = q.stop ?? Infinity;
      return this.entries.filter((e) => e.line >= start && e.line < stop).map(row);
    }
    if (type === 'search') {
      const re = globToRegExp(q.pattern ?? '*');
      let hits = this.entries.filter((e) => re.test(e.input));
      if (q.unique) {
        const seen = new Set<string>();
        hits = hits.reverse().filter((e) => !seen.has(e.input) && (seen.add(e.input), true)).reverse();
      }
      if (q.n !== undefined && q.n !== null) hits = hits.slice(Math.max(0, hits.length - q.n));
      return hits.map(row);
    }
    return [];
  }
}
