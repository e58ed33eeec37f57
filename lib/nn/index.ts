/**
 * Small networks shared by the PINN trainer, TENG and the neural operators: a functional
 * MLP with named activations, seeded initialisers and optional sinusoidal embeddings.
 */
export { Mlp, mlp, type MlpConfig, type DenseLayer } from './mlp.js';
export { activation, ACTIVATION_NAMES, type Activation, type ActivationName } from './activations.js';
export { initLayer, INIT_NAMES, type InitName, type LayerInit } from './init.js';
export { SinusoidalEmbedding, periodicEmbeddingMatrices, type FourierFeatures, type PeriodicEmbedding } from './embedding.js';
export { fakeQuantize, quantizeDequantize, quantizedDense, type FakeQuantOptions, type QuantScheme, type QuantizedDenseOptions } from './quantize.js';
export { CharMlp, charMlp, type CharMlpConfig } from './char_mlp.js';
export { crossEntropy, accuracy } from './losses.js';
export { Rnn, rnn, type RnnConfig } from './rnn.js';
export { NormMlp, normMlp, type NormMlpConfig, type NormLayer } from './norm_mlp.js';
