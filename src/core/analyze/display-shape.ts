// Shapes in the layout the model's framework reports them in. Its own module so that code which
// only shows an analysis (the preview's worker) does not load the analyzer with it.

import type { ModelAnalysis } from './analysis-types';
import type { Shape } from '../types';

/** Shapes as the framework reports them: NHWC for TensorFlow.js, NCHW otherwise. */
export function toDisplayShape(model: Pick<ModelAnalysis, 'layout'>, shape: Shape | null): Shape | null {
  if (!shape || model.layout === 'NCHW' || shape.length !== 4) return shape;
  const [n, c, h, w] = shape as [number, number, number, number];
  return [n, h, w, c];
}
