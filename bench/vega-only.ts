/** Imports vega and vega-lite only: bench/plot.ts times this in a fresh process. */
await Promise.all([import('vega'), import('vega-lite')]);
export {};
