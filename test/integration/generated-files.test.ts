// The schema and the grammar are generated from the core's layer registry
// (`node scripts/generate.mjs`); fail when someone adds a layer kind and forgets to regenerate.
import * as assert from 'node:assert';
import { injectionGrammarText } from '../../scripts/generators/grammar';
import { modelSchemaText } from '../../scripts/generators/schema';
import { repoText } from './helpers';

describe('generated files', () => {
  it('schemas/cnn-model.schema.json is up to date with the layer registry', () => {
    assert.strictEqual(repoText('schemas/cnn-model.schema.json'), modelSchemaText(), 'run `node scripts/generate.mjs`');
  });

  it('syntaxes/cnn-yaml.injection.tmLanguage.json is up to date with the layer registry', () => {
    assert.strictEqual(repoText('syntaxes/cnn-yaml.injection.tmLanguage.json'), injectionGrammarText(), 'run `node scripts/generate.mjs`');
  });

  it('the manifest contributes both for *.cnn.yaml files', () => {
    const manifest = JSON.parse(repoText('package.json')) as {
      contributes: { yamlValidation: { fileMatch: string[]; url: string }[]; grammars: { path: string; injectTo?: string[] }[] };
    };
    const validation = manifest.contributes.yamlValidation.find((v) => v.url === './schemas/cnn-model.schema.json');
    assert.ok(validation?.fileMatch.includes('*.cnn.yaml'));
    const grammar = manifest.contributes.grammars.find((g) => g.path === './syntaxes/cnn-yaml.injection.tmLanguage.json');
    assert.deepStrictEqual(grammar?.injectTo, ['source.yaml']);
  });
});
