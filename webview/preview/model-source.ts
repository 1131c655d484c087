// The model of a run as the page hands it to the worker: a YAML file's text (the worker parses
// it), or a TypeScript model file's spec as the extension parsed it (the `typescript` module never
// loads in the webview). Types and plain reads only: the page's bundle carries no analyzer.

import type { ModelMessage, SpecModelSource } from '../../src/shared/preview-messages';

/** The model of a run, page → worker. */
export type ModelSource = { kind: 'text'; text: string } | SpecModelSource;

export function modelSourceOf(message: ModelMessage): ModelSource {
  return 'source' in message ? message.source : { kind: 'text', text: message.text };
}

/** The framework of a model that arrived parsed; undefined for YAML text (the worker parses it). */
export function parsedFramework(source: ModelSource): 'pytorch' | 'tfjs' | undefined {
  return source.kind === 'spec' ? source.spec?.framework : undefined;
}
