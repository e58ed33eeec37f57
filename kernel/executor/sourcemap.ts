/** Reading source maps (version 3): generated (line, column) -> original (line, column). */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** [generatedColumn, originalLine, originalColumn], 0-based, sorted by column, per generated line. */
type Segment = [number, number, number];

function decodeVlq(text: string, at: { i: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const digit = DIGIT.get(text[at.i++]);
    if (digit === undefined) throw new Error('source map: invalid base64 VLQ digit');
    result += (digit & 31) << shift;
    if ((digit & 32) === 0) break;
    shift += 5;
  }
  return result & 1 ? -(result >>> 1) : result >>> 1;
}

export class SourceMap {
  private readonly lines: Segment[][] = [];

  constructor(json: string) {
    const map = JSON.parse(json) as { mappings: string };
    let srcLine = 0;
    let srcCol = 0;
    for (const lineText of map.mappings.split(';')) {
      const segments: Segment[] = [];
      let genCol = 0;
      for (const seg of lineText.split(',')) {
        if (!seg) continue;
        const at = { i: 0 };
        genCol += decodeVlq(seg, at);
        if (at.i >= seg.length) continue; // a segment without an original position
        decodeVlq(seg, at); // source index: a cell map has one source
        srcLine += decodeVlq(seg, at);
        srcCol += decodeVlq(seg, at);
        segments.push([genCol, srcLine, srcCol]);
      }
      this.lines.push(segments);
    }
  }

  /** The original 0-based position of a generated 0-based position, or undefined when unmapped. */
  original(line: number, column: number): { line: number; column: number } | undefined {
    // Fall back to earlier lines when the line itself has no mapping before the column.
    for (let l = line; l >= 0 && l >= line - 1; l--) {
      const segs = this.lines[l];
      if (!segs || segs.length === 0) continue;
      let best: Segment | undefined;
      for (const s of segs) {
        if (l < line || s[0] <= column) best = s;
        else break;
      }
      if (best) return { line: best[1], column: best[2] };
    }
    return undefined;
  }
}
