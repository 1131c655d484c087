// Writes the files derived from the core's layer registry (scripts/generators/index.ts):
//   schemas/cnn-model.schema.json                (scripts/generators/schema.ts)
//   syntaxes/cnn-yaml.injection.tmLanguage.json  (scripts/generators/grammar.ts)
//   types/convlens-model.d.ts                    (src/core/frontends/ts/model-types.ts)
// Run after adding or changing a layer kind: `node scripts/generate.mjs`. The unit suite
// (test/unit/generated-files.test.ts) fails when any of them is out of date.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function load(entry) {
  const bundle = await esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
    alias: { yaml: join(root, 'node_modules/yaml/browser/index.js') },
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', bundle.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  return module.exports;
}

for (const [file, text] of (await load('scripts/generators/index.ts')).generatedFiles()) {
  writeFileSync(join(root, file), text);
  console.log(`wrote ${file}`);
}
