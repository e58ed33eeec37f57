/** Records to arquero tables (arquero loads on first use: it takes ~150 ms to import). */
import type { ColumnTable } from 'arquero';

/**
 * An arquero table of records (e.g. `runSeeds` output or `summarize` rows). It
 * displays as a text and HTML table in notebooks.
 */
export async function table(records: readonly object[]): Promise<ColumnTable> {
  if (!Array.isArray(records)) throw new TypeError('table: records must be an array of objects');
  const aq = await import('arquero');
  return aq.from(records as Record<string, unknown>[]);
}
