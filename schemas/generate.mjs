// Writes schemas/cnn-model.schema.json from the core's layer registry
// (src/extension/schema.ts). Run after adding or changing a layer kind: `node schemas/generate.mjs`.
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = await esbuild.build({
  entryPoints: [join(here, '..', 'src', 'extension', 'schema.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', bundle.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const out = join(here, 'cnn-model.schema.json');
writeFileSync(out, module.exports.modelSchemaText());
console.log(`wrote ${out}`);
