/**
 * Neural operators and their data. This module currently holds the data
 * part: `operators.loadDataset(name, { split, n })` and the generators.
 */
export * from './data/index.js';
