/**
 * Derivatives: JAX-style transformations on TF.js's tape (grad, valueAndGrad, vjp, jvp,
 * hvp, hessian, hessianDiag, jacobian) and input derivatives of networks for PDE
 * residuals (Taylor mode for MLPs, nested reverse mode for any model). Higher-order
 * correctness comes from the gradient registry that `lib/backend` installs.
 */
export {
  grad, valueAndGrad, vjp, jvp, hvp, hessian, hessianDiag, jacobian, flatten, unflatten, gradients,
  type Tensors, type HutchinsonOptions, type JacobianOptions,
} from './core.js';
export {
  inputDerivatives, type DerivativeRequest, type InputDerivatives, type InputModel, type InputDerivativeOptions,
} from './taylor.js';
export {
  GRADIENT_CATALOG, registeredGradientKernels, isOptilabGradient, stockGradient, type GradientEntry, type GradientStatus,
} from '../backend/gradients/index.js';
