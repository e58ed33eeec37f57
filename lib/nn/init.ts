/**
 * Weight initialisers, drawn JS-side from the library generator so the same seed gives
 * the same network on every backend.
 *
 *   glorot-normal   N(0, 2 / (fan_in + fan_out))       (DeepXDE's default for PINNs)
 *   glorot-uniform  U(+-sqrt(6 / (fan_in + fan_out)))
 *   he-normal       N(0, 2 / fan_in)                    he-uniform  U(+-sqrt(6 / fan_in))
 *   lecun-normal    N(0, 1 / fan_in)                    lecun-uniform U(+-sqrt(3 / fan_in))
 *   torch           U(+-1 / sqrt(fan_in)) for weights and biases (torch.nn.Linear's default)
 *
 * Biases are zero except for `torch`.
 */
import type { Rng } from '../backend/random.js';

export const INIT_NAMES = [
  'glorot-normal', 'glorot-uniform', 'he-normal', 'he-uniform', 'lecun-normal', 'lecun-uniform', 'torch',
] as const;
export type InitName = (typeof INIT_NAMES)[number];

export interface LayerInit { weights: Float32Array; bias: Float32Array }

/** Draws a [fanIn, fanOut] weight matrix (row-major) and a bias of length fanOut. */
export function initLayer(name: InitName, fanIn: number, fanOut: number, rng: Rng): LayerInit {
  const n = fanIn * fanOut;
  const weights = new Float32Array(n);
  const bias = new Float32Array(fanOut);
  const normal = (std: number) => { for (let i = 0; i < n; i++) weights[i] = std * rng.normal(); };
  const uniform = (limit: number, out: Float32Array) => {
    for (let i = 0; i < out.length; i++) out[i] = limit * (2 * rng.uniform() - 1);
  };
  switch (name) {
    case 'glorot-normal': normal(Math.sqrt(2 / (fanIn + fanOut))); break;
    case 'glorot-uniform': uniform(Math.sqrt(6 / (fanIn + fanOut)), weights); break;
    case 'he-normal': normal(Math.sqrt(2 / fanIn)); break;
    case 'he-uniform': uniform(Math.sqrt(6 / fanIn), weights); break;
    case 'lecun-normal': normal(Math.sqrt(1 / fanIn)); break;
    case 'lecun-uniform': uniform(Math.sqrt(3 / fanIn), weights); break;
    case 'torch':
      uniform(1 / Math.sqrt(fanIn), weights);
      uniform(1 / Math.sqrt(fanIn), bias);
      break;
    default:
      throw new Error(`init: unknown initialiser '${name as string}'; expected one of ${INIT_NAMES.join(', ')}`);
  }
  return { weights, bias };
}
