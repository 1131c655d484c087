// Bundles the extension host (Node), the CLI (Node) and the webview (browser) with esbuild.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
// yaml's Node build reads process.env.LOG_TOKENS once per token (a slow native getter); its
// browser build is the same parser without that check, and is what every bundle uses.
export const yamlAlias = { yaml: './node_modules/yaml/browser/index.js' };
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', alias: yamlAlias };

const builds = [
  // `typescript` stays external: the TS front end loads it lazily, only for TS model files.
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'typescript'],
  },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['typescript'],
    banner: { js: '#!/usr/bin/env node' },
  },
];
for (const [entry, out] of [
  ['webview/preview/page/main.ts', 'dist/webview/preview.js'],
  ['webview/preview/worker/main.ts', 'dist/webview/preview-worker.js'],
  ['webview/metrics/main.ts', 'dist/webview/metrics.js'],
]) {
  if (existsSync(entry))
    builds.push({ ...common, entryPoints: [entry], outfile: out, platform: 'browser', format: 'iife', target: 'es2022' });
}
await Promise.all(builds.filter((b) => existsSync(b.entryPoints[0])).map((b) => esbuild.build(b)));
