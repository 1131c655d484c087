// Writes the files derived from the core's layer registry:
//   schemas/cnn-model.schema.json                (scripts/generators/schema.ts)
//   syntaxes/cnn-yaml.injection.tmLanguage.json  (scripts/generators/grammar.ts)
// Run after adding or changing a layer kind: `node schemas/generate.mjs`. The integration suite
// fails when either file is out of date.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function load(entry) {
  const bundle = await esbuild.build({ entryPoints: [join(root, entry)], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'warning' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', bundle.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  return module.exports;
}

const outputs = [
  ['schemas/cnn-model.schema.json', (await load('scripts/generators/schema.ts')).modelSchemaText()],
  ['syntaxes/cnn-yaml.injection.tmLanguage.json', (await load('scripts/generators/grammar.ts')).injectionGrammarText()],
];
for (const [file, text] of outputs) {
  writeFileSync(join(root, file), text);
  console.log(`wrote ${file}`);
}
