// A placeholder the front ends emit where a layer cannot be understood: the TypeScript front end
// where it cannot be resolved statically (a value computed by a function call, an imported
// constant, an unsupported TensorFlow.js layer), every front end for a layer with an unknown kind,
// several kinds or none. The front end has already said why; this kind reports nothing more. The
// layer keeps its place and name in the graph, and its unknown output makes every layer that reads
// it unknown too, without cascading errors (and the totals are marked partial).

import { defineKind, type KindAttrs } from '../types';

export const unresolved = defineKind({
  kind: 'unresolved',
  torch: '(none)',
  doc: 'Placeholder for a layer a front end could not understand (unresolved statically, or an unknown kind); its output shape is unknown.',
  frameworks: ['tfjs'],
  inputs: 'any',
  params: [],
  infer: () => undefined,
});

export type UnresolvedAttrs = KindAttrs<typeof unresolved>;
