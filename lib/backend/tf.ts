/**
 * The TensorFlow.js namespace that optilab users see as `tf`: the core ops plus
 * the layers API (`tf.sequential`, `tf.layers`, `tf.LayersModel`), as the
 * `@tensorflow/tfjs` union package assembles them.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
// Type declarations of the chained tensor methods (`x.square().sum()`), which
// ./chained.ts installs at run time; re-exported so that they reach users' type checks.
export type * as ChainedOpTypes from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
