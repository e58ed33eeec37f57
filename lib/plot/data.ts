/**
 * Turns the data shapes users have at hand into the records Vega-Lite reads
 * inline (`data.values`): arrays of records, arquero tables, column objects
 * (`{step: [...], loss: tensor}`), bare arrays or 1-D tensors, and 2-D arrays or
 * tensors (one row per point).
 */
import { isTensorLike, type TensorLike } from '../display/tensor.js';
import { isTableLike } from '../display/table.js';

export type Row = Record<string, unknown>;
/** One column of values: an array, typed array or 1-D tensor. */
export type Column = ArrayLike<unknown> | TensorLike;
/** Anything a builder accepts as data. */
export type PlotData =
  | readonly object[]
  | ArrayLike<number>
  | readonly (readonly number[])[]
  | TensorLike
  | { objects(): object[]; columnNames(): string[] }
  | Record<string, Column | string | number | boolean>;

/** Field names given to bare arrays (`index`, `value`) and to 2-D data columns. */
export const INDEX = 'index';
export const VALUE = 'value';

/** Significant digits kept for non-integer numbers in inline data (keeps notebooks small). */
const DIGITS = 6;

/** Rounds non-integers to 6 significant digits; the difference is invisible in a plot. */
export function compact(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(DIGITS));
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}

function isPlainObject(x: unknown): x is Row {
  return typeof x === 'object' && x !== null && !isArrayLike(x) && Object.getPrototypeOf(x) === Object.prototype;
}

/** The values of a column (array, typed array or 1-D tensor) as a plain array. */
export function columnValues(col: Column, what: string): unknown[] {
  if (isTensorLike(col)) {
    if (col.shape.length !== 1) {
      throw new TypeError(`${what}: expected a 1-D tensor, got shape [${col.shape.join(', ')}]`);
    }
    return Array.from(col.dataSync() as ArrayLike<unknown>);
  }
  if (isArrayLike(col)) return Array.from(col as ArrayLike<unknown>);
  throw new TypeError(`${what}: expected an array, typed array or 1-D tensor, got ${typeof col}`);
}

function rowsFromMatrix(values: ArrayLike<unknown>, n: number, k: number, columns: string[] | undefined, what: string): Row[] {
  const names = columns ?? defaultColumnNames(k);
  if (names.length !== k) throw new TypeError(`${what}: columns names ${names.length} columns but the data has ${k}`);
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Row = {};
    for (let j = 0; j < k; j++) row[names[j]] = compact(values[i * k + j]);
    rows[i] = row;
  }
  return rows;
}

function defaultColumnNames(k: number): string[] {
  const named = ['x', 'y', 'z'];
  return k <= 3 ? named.slice(0, k) : Array.from({ length: k }, (_, j) => `c${j}`);
}

/**
 * Records from any accepted data shape. `columns` names the columns of 2-D data
 * (default x, y, z, or c0, c1, ... past three). `what` prefixes error messages.
 */
export function toRecords(data: unknown, what: string, columns?: string[]): Row[] {
  if (data === null || data === undefined) throw new TypeError(`${what}: data is ${data}; pass records, columns, an array or a tensor`);
  if (isTensorLike(data)) {
    const v = data.dataSync() as ArrayLike<unknown>;
    if (data.shape.length === 1) return Array.from(v, (value, i) => ({ [INDEX]: i, [VALUE]: compact(value) }));
    if (data.shape.length === 2) return rowsFromMatrix(v, data.shape[0], data.shape[1], columns, what);
    throw new TypeError(`${what}: a tensor must be 1-D (values) or 2-D (rows of points), got shape [${data.shape.join(', ')}]`);
  }
  if (isTableLike(data)) return (data as unknown as { objects(): Row[] }).objects().map(compactRow);
  if (isArrayLike(data)) {
    const arr = data as ArrayLike<unknown>;
    if (arr.length === 0) return [];
    const first = arr[0];
    if (isPlainObject(first)) return Array.from(arr as ArrayLike<Row>, compactRow);
    if (isArrayLike(first)) {
      const k = (first as ArrayLike<unknown>).length;
      const flat: unknown[] = [];
      Array.from(arr as ArrayLike<ArrayLike<unknown>>).forEach((row, i) => {
        if (!isArrayLike(row) || row.length !== k) throw new TypeError(`${what}: row ${i} of the 2-D data has a different length than row 0 (${k})`);
        for (let j = 0; j < k; j++) flat.push(row[j]);
      });
      return rowsFromMatrix(flat, arr.length, k, columns, what);
    }
    return Array.from(arr, (value, i) => ({ [INDEX]: i, [VALUE]: compact(value) }));
  }
  if (isPlainObject(data)) return fromColumns(data, what);
  throw new TypeError(
    `${what}: unsupported data (${Object.prototype.toString.call(data)}); pass an array of records, an object of columns, an arquero table, an array or a tensor`,
  );
}

/** A copy of a record with its numbers compacted. */
export function compactRow(row: Row): Row {
  const out: Row = {};
  for (const key of Object.keys(row)) out[key] = compact(row[key]);
  return out;
}

/** Records from an object of equal-length columns; scalars are repeated down the column. */
function fromColumns(cols: Row, what: string): Row[] {
  const names = Object.keys(cols);
  const arrays = new Map<string, unknown[]>();
  let n: number | undefined;
  let first = '';
  for (const name of names) {
    const c = cols[name];
    if (isArrayLike(c) || isTensorLike(c)) {
      const values = columnValues(c as Column, `${what}: column '${name}'`);
      if (n === undefined) [n, first] = [values.length, name];
      else if (values.length !== n) {
        throw new TypeError(`${what}: column '${name}' has ${values.length} values but column '${first}' has ${n}`);
      }
      arrays.set(name, values);
    }
  }
  if (n === undefined) throw new TypeError(`${what}: an object of columns needs at least one array or tensor column`);
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Row = {};
    for (const name of names) row[name] = arrays.has(name) ? compact(arrays.get(name)![i]) : cols[name];
    rows[i] = row;
  }
  return rows;
}

/** The field names present in the records (union over the first rows). */
export function fieldNames(rows: readonly Row[]): string[] {
  const names = new Set<string>();
  for (const row of rows.slice(0, 50)) for (const k of Object.keys(row)) names.add(k);
  return [...names];
}

/** Throws a clear error when `field` is missing from the records. */
export function requireField(rows: readonly Row[], field: string, what: string): string {
  if (rows.length > 0 && !fieldNames(rows).includes(field)) {
    throw new TypeError(`${what}: field '${field}' is not in the data; fields: ${fieldNames(rows).join(', ') || '(none)'}`);
  }
  return field;
}

export type FieldType = 'quantitative' | 'nominal' | 'ordinal' | 'temporal';

/**
 * The Vega-Lite type of a field: numbers are quantitative, dates temporal,
 * anything else nominal. For grouping channels (colour, facet) a numeric field
 * with at most ten distinct integers (seeds, labels, digits) reads as nominal.
 */
export function inferType(rows: readonly Row[], field: string, grouping = false): FieldType {
  let numeric = true, dates = true, integers = true;
  const distinct = new Set<unknown>();
  for (const row of rows) {
    const v = row[field];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') numeric = false;
    else if (!Number.isInteger(v)) integers = false;
    if (!(v instanceof Date)) dates = false;
    if (distinct.size <= 10) distinct.add(v);
  }
  if (dates && distinct.size > 0) return 'temporal';
  if (!numeric) return 'nominal';
  return grouping && integers && distinct.size <= 10 ? 'nominal' : 'quantitative';
}

/** A field reference for Vega-Lite: dots and brackets in names are escaped (they mean nesting there). */
export function fieldRef(name: string): string {
  return name.replace(/([.[\]\\])/g, '\\$1');
}

/**
 * Resolves an encoding option: a field name (checked against the data) or a
 * column of values (array or 1-D tensor) added to the records under `name`.
 */
export function channel(rows: Row[], value: string | Column | undefined, name: string, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return requireField(rows, value, what);
  const values = columnValues(value, `${what}: ${name}`);
  if (values.length !== rows.length) {
    throw new TypeError(`${what}: ${name} has ${values.length} values but the data has ${rows.length} rows`);
  }
  rows.forEach((row, i) => (row[name] = compact(values[i])));
  return name;
}
