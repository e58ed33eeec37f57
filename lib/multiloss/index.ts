/**
 * Multi-loss training: combiners over the matrix of per-loss gradients G
 * (`tf.Tensor2D`, one row per loss, one column per parameter) returning one
 * direction (`tf.Tensor1D`), loss weightings, and the two multi-loss optimizers.
 *
 *   const d = multiloss.config(G);             // ConFIG
 *   multiloss.config.weights(G);               // the w with d = w^T G
 *   const agg = multiloss.aggregator('pcgrad'); agg.combine(G);
 *
 * Conflict-resolving directions: `config`, `pcgrad`, `imtlg`, `mgda`, `upgrad`
 * (plus `sum`, `mean`). Weightings with state: `lra`, `gradNorm`, `ntkWeights`.
 * Optimizers: `mconfig` (M-ConFIG, one loss per step, SGD on its direction) and
 * `multiAdam` (per-group Adam moments). See the README section "Multi-loss methods".
 */
import { type Aggregator, fromCombiner } from './combiner.js';
import { config } from './config.js';
import { pcgrad } from './pcgrad.js';
import { imtlg } from './imtlg.js';
import { mgda } from './mgda.js';
import { upgrad } from './upgrad.js';
import { sum, mean } from './combiner.js';
import { lra, gradNorm, ntkWeights } from './weighting.js';

export { type Aggregator, type CombineContext, type Combiner, defineCombiner, fromCombiner, sum, mean } from './combiner.js';
export { config, configWeighting, mconfig, MConfig, type ConfigOptions, type MConfigOptions, type MConfigState } from './config.js';
export { pcgrad, type PcgradOptions } from './pcgrad.js';
export { imtlg } from './imtlg.js';
export { mgda, type MgdaOptions } from './mgda.js';
export { upgrad, type UpgradOptions } from './upgrad.js';
export { lra, gradNorm, ntkWeights, Lra, GradNorm, NtkWeights, type LraOptions, type GradNormOptions, type NtkWeightOptions, type WeightState } from './weighting.js';
export { multiAdam, MultiAdam, type MultiAdamOptions, type MultiAdamState } from './multiadam.js';
export { readGradients, gramOf, type HostMatrix } from './matrix.js';

/** Names `aggregator(name)` accepts. */
export const AGGREGATOR_NAMES = ['sum', 'mean', 'config', 'pcgrad', 'imtlg', 'mgda', 'upgrad', 'lra', 'gradnorm', 'ntk'] as const;
export type AggregatorName = (typeof AGGREGATOR_NAMES)[number];

/**
 * An Aggregator by name, with the method's options (`aggregator('mgda', {method:
 * 'exact'})`); stateful ones get fresh state. An Aggregator object passes through.
 */
export function aggregator(spec: AggregatorName | Aggregator, options?: object): Aggregator {
  if (typeof spec === 'object' && spec !== null && typeof spec.combine === 'function') return spec;
  const o = options as never;
  switch (spec) {
    case 'sum': return fromCombiner(sum, o);
    case 'mean': return fromCombiner(mean, o);
    case 'config': return fromCombiner(config, o);
    case 'pcgrad': return fromCombiner(pcgrad, o);
    case 'imtlg': return fromCombiner(imtlg, o);
    case 'mgda': return fromCombiner(mgda, o);
    case 'upgrad': return fromCombiner(upgrad, o);
    case 'lra': return lra(o);
    case 'gradnorm': return gradNorm(o);
    case 'ntk': return ntkWeights(o);
    default:
      throw new Error(`multiloss.aggregator: unknown method ${JSON.stringify(spec)}; expected one of ${AGGREGATOR_NAMES.join(', ')} or an object with combine(G)`);
  }
}
