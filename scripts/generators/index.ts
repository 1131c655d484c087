// Every file derived from the core's layer registry, as (path, text): written by
// `node scripts/generate.mjs`, checked by test/unit/generated-files.test.ts.

import { kindsFor } from '../../src/core';
import { DATASET_PRESETS } from '../../src/core/datasets';
import { generateModelTypes } from '../../src/core/frontends/ts/model-types';
import { injectionGrammarText } from './grammar';
import { modelSchemaText } from './schema';

export function generatedFiles(): [path: string, text: string][] {
  return [
    ['schemas/cnn-model.schema.json', modelSchemaText()],
    ['syntaxes/cnn-yaml.injection.tmLanguage.json', injectionGrammarText()],
    ['types/convlens-model.d.ts', generateModelTypes(kindsFor('pytorch'), Object.keys(DATASET_PRESETS))],
  ];
}
