/**
 * The TensorFlow.js namespace that optilab users see as `tf`: the core ops plus
 * the layers API (`tf.sequential`, `tf.layers`, `tf.LayersModel`), as the
 * `@tensorflow/tfjs` union package assembles them.
 */
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
