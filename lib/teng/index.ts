/**
 * TENG, the time-evolving natural gradient (Chen, McCarran, Vizcaino, Soljacic, Luo;
 * ICML 2024): neural-network PDE solutions advanced in time by repeated float64 least
 * squares, with the float64 network path it needs and the baselines it is compared with.
 */
export { Float64Mlp, Trace, network, type NetworkConfig, type EmbeddingSpec, type DerivativeRequest, type Cotangent, type Float64Activation } from './network.js';
export { EvolutionOperator, heat, allenCahn, burgers, semilinear, type SemilinearSpec, type PointwiseTerm } from './equations.js';
export { periodicGrid, heat1d, heat2d, allenCahn2d, burgers2d, relativeL2, type QuadratureGrid, type Problem, type Reference } from './problems.js';
export { TengSolver, solver, naturalGradientFit, fitInitialCondition, type InitialFitOptions, type TengOptions, type TengScheme, type StepReport, type FitOptions, type FitReport, type LeastSquaresOptions } from './teng.js';
export { ObtiSolver, obti, type ObtiOptions } from './obti.js';
export { PinnEngd, pinnEngd, pinnProblem, type PinnOptions, type PinnTrainOptions } from './pinn.js';
export { Float64Stepper, adamStepper } from './optimizer.js';
export { INITIAL_RECIPES, initialNetwork, fitRecipe, networkFromSpec, shippedStates, initialStateName, type NetworkSpec, type InitialRecipe, type FittedState } from './initial.js';
