// Diagnostics about a layer item's structure (its kind key and its other keys), shared by the
// YAML and `*.cnn.ts` front ends so both word and fix them the same way.

import { kindsFor } from '../kinds';
import { closestMatch, closestMatches } from '../suggest';
import type { Diagnostic, Range } from '../types';

/** Keys a layer may have besides its kind. */
export const LAYER_META_KEYS = ['name', 'from'];

export interface KeyAt {
  key: string;
  keyRange: Range;
}

function renameFix(at: KeyAt, suggestion: string | undefined) {
  return suggestion
    ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range: at.keyRange, newText: suggestion }] }]
    : undefined;
}

/** A layer without a known kind key: a misspelt kind (with "did you mean"), or none at all. */
export function missingKindDiagnostic(
  candidate: KeyAt | undefined,
  index: number,
  layerRange: Range,
  layerName: string | undefined,
): Diagnostic {
  const allKinds = kindsFor('pytorch').map((k) => k.kind);
  const suggestion = candidate ? closestMatch(candidate.key, allKinds) : undefined;
  return {
    severity: 'error',
    code: candidate ? 'layer.unknown-kind' : 'layer.no-kind',
    message: candidate
      ? `Unknown layer kind '${candidate.key}'${suggestion ? `; did you mean '${suggestion}'?` : `; the closest of the ${allKinds.length} kinds are ${closestMatches(candidate.key, allKinds, 3).join(', ')} (all in docs/model-format.md)`}`
      : `Layer ${index + 1} has no kind key (e.g. conv2d, relu, linear)`,
    range: candidate ? candidate.keyRange : layerRange,
    layer: layerName,
    fixes: candidate ? renameFix(candidate, suggestion) : undefined,
  };
}

/** A layer with two kind keys; `how` says how to start a new layer in this file's syntax. */
export function multipleKindsDiagnostic(kinds: string[], second: Range, layerName: string | undefined, how: string): Diagnostic {
  return {
    severity: 'error',
    code: 'layer.multiple-kinds',
    message: `A layer has exactly one kind; this one has ${kinds.join(' and ')} (${how})`,
    range: second,
    layer: layerName,
  };
}

/** A key that is neither the kind, `name` nor `from`; `container` names where parameters go. */
export function unknownLayerKeyDiagnostic(at: KeyAt, layerName: string, container: string): Diagnostic {
  const suggestion = closestMatch(at.key, LAYER_META_KEYS);
  return {
    severity: 'error',
    code: 'layer.unknown-key',
    message: suggestion
      ? `${layerName}: unknown layer key '${at.key}'; did you mean '${suggestion}'?`
      : `${layerName}: unknown layer key '${at.key}' (a layer has one kind, plus optional name and from; parameters go inside the kind's ${container})`,
    range: at.keyRange,
    layer: layerName,
    fixes: renameFix(at, suggestion),
  };
}
