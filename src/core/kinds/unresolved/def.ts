// A placeholder the TypeScript front end emits where a layer cannot be resolved statically (a
// value computed by a function call, an imported constant, an unsupported TensorFlow.js layer).
// The front end has already said why (an info diagnostic); this kind reports nothing more, and
// its unknown output makes every later shape unknown without cascading errors.

import { defineKind, type KindAttrs } from '../types';

export const unresolved = defineKind({
  kind: 'unresolved',
  torch: '(none)',
  doc: 'Placeholder for a layer the TypeScript front end could not resolve statically; its output shape is unknown.',
  frameworks: ['tfjs'],
  inputs: 'one',
  params: [],
  infer: () => undefined,
});

export type UnresolvedAttrs = KindAttrs<typeof unresolved>;
