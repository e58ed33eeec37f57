/**
 * Two-player games for optimizers that target them (complex momentum,
 * optimistic methods): bilinear zero-sum games with a known equilibrium, a small
 * GAN on a 2-D Gaussian mixture with mode-coverage metrics, and `play`, which
 * runs one optimizer per player with simultaneous or alternating updates.
 *
 *   const game = games.bilinear({ dim: 10, seed: 0 });
 *   const opt = () => optim.complexMomentum({ lr: 0.1 });
 *   const run = games.play(game, [opt(), opt()], { steps: 1000, order: 'simultaneous',
 *     record: () => ({ distance: game.distanceToEquilibrium() }) });
 */
export { play } from './game.js';
export type { Game, UpdateOrder, PlayOptions, PlayResult } from './game.js';
export { bilinear } from './bilinear.js';
export type { BilinearGame, BilinearOptions } from './bilinear.js';
export { ganGame, gaussianMixture2d, coverage, energyDistance } from './gan.js';
export type { GanGame, GanOptions, Mixture2d, MixtureOptions, Coverage } from './gan.js';
