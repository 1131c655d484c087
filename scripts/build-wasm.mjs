// Compiles the engine's WebAssembly SIMD module (the C sources in src/core/engine/wasm/) and
// writes its bytes, base64 encoded, into src/core/engine/wasm/gemm-wasm.generated.ts (git-ignored),
// which the loader (embedded.ts) picks up, so every esbuild bundle (CLI, extension host, webview
// worker) carries the module without loading a file at run time.
//
// The compiler is @yowasp/clang (LLVM clang + lld built to WebAssembly, run in Node), pinned in
// devDependencies: every machine builds the same bytes from the same compiler, with nothing to
// install but `npm ci`. CLANG=/path/to/clang opts in to a system clang instead (for experiments:
// the unit test then reports that the module was not built by the pinned compiler).
//
// A build is identified by the SHA-256 of the compiler's identity, the flags and every source
// file. Outputs are cached by that key in $CONVLENS_CACHE/wasm (default ~/.cache/convlens/wasm),
// and nothing is compiled when the generated file already holds that build: a rebuild with
// unchanged sources costs a hash.
//
// Usage: node scripts/build-wasm.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = join(root, 'src', 'core', 'engine', 'wasm');
const out = join(wasmDir, 'gemm-wasm.generated.ts');
const cacheDir = join(process.env.CONVLENS_CACHE ?? join(homedir(), '.cache', 'convlens'), 'wasm');
const force = process.argv.includes('--force');

/**
 * Baseline simd128 only (no relaxed SIMD): Node 20 and every current Chromium run it.
 * -disable-lsr: see the note at the top of gemm.c (keeps load offsets foldable for V8).
 * Exported so bench scripts can build variants with the same list.
 */
export const WASM_FLAGS = [
  '--target=wasm32',
  '-msimd128',
  '-O3',
  '-ffreestanding',
  '-nostdlib',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-mllvm',
  '-disable-lsr',
  '-Wl,--no-entry',
  '-Wl,--stack-first',
  '-Wl,-z,stack-size=65536',
  '-Wl,--strip-debug',
];

function log(message) {
  console.log(`build-wasm: ${message}`);
}

function fail(message) {
  console.error(`build-wasm: ${message}`);
  process.exit(1);
}

/** The module's sources: every .c and .h beside gemm.c, in name order; gemm.c is compiled. */
function readSources() {
  const names = readdirSync(wasmDir)
    .filter((n) => /\.(c|h)$/.test(n))
    .sort();
  if (!names.includes('gemm.c')) fail(`no gemm.c in ${relative(root, wasmDir)}`);
  return names.map((name) => {
    const bytes = readFileSync(join(wasmDir, name));
    return { name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

/** The pinned compiler: `@yowasp/clang <version>`, from its own package.json. */
function yowaspCompiler() {
  const require = createRequire(import.meta.url);
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(require.resolve('@yowasp/clang/package.json'), 'utf8'));
  } catch {
    // Its `exports` hide package.json from require.resolve; find the folder by hand.
    const path = join(root, 'node_modules', '@yowasp', 'clang', 'package.json');
    if (!existsSync(path)) fail('@yowasp/clang is not installed: run `npm ci` (it is a devDependency).');
    pkg = JSON.parse(readFileSync(path, 'utf8'));
  }
  return { id: `@yowasp/clang ${pkg.version}`, compile: compileWithYowasp };
}

async function compileWithYowasp(sources) {
  const { runClang, runLLVM } = await import('@yowasp/clang');
  // Load the toolchain's ~100 MB of wasm from node_modules first, quietly: runClang's own first
  // step does not pass fetchProgress on, and the default prints a line per chunk.
  await runLLVM(null, {}, { fetchProgress: () => {} });
  const files = Object.fromEntries(sources.map((s) => [s.name, s.bytes]));
  let stderr = '';
  const decoder = new TextDecoder();
  try {
    const result = await runClang(['clang', ...WASM_FLAGS, '-o', 'gemm.wasm', 'gemm.c'], files, {
      stderr: (bytes) => {
        if (bytes) stderr += decoder.decode(bytes, { stream: true });
      },
    });
    const wasm = result?.['gemm.wasm'];
    if (!(wasm instanceof Uint8Array)) throw new Error('clang wrote no gemm.wasm');
    if (stderr.trim()) process.stderr.write(stderr);
    return wasm;
  } catch (error) {
    fail(`compiling gemm.c failed${stderr ? `:\n${stderr}` : `: ${error.message}`}`);
  }
}

/** A system clang named by CLANG= (opt-in). */
function systemCompiler(clang) {
  const version = spawnSync(clang, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0)
    fail(`CLANG=${clang} is not a working compiler (${version.error?.message ?? version.stderr.trim()}).`);
  const id = `system ${version.stdout.split('\n')[0].trim()} (${clang})`;
  return {
    id,
    compile: async (sources) => {
      const tmp = join(cacheDir, `tmp-${process.pid}`);
      mkdirSync(tmp, { recursive: true });
      for (const s of sources) writeFileSync(join(tmp, s.name), s.bytes);
      const run = spawnSync(clang, [...WASM_FLAGS, '-o', join(tmp, 'gemm.wasm'), join(tmp, 'gemm.c')], { encoding: 'utf8' });
      if (run.status !== 0) {
        const hint = /wasm-ld|unable to execute|No available targets/.test(run.stderr) ? '\nInstall lld (apt-get install -y lld).' : '';
        fail(`${clang} failed:\n${run.stderr}${hint}`);
      }
      return new Uint8Array(readFileSync(join(tmp, 'gemm.wasm')));
    },
  };
}

function buildKey(compilerId, sources) {
  const hash = createHash('sha256');
  hash.update(`${compilerId}\0${WASM_FLAGS.join(' ')}\0`);
  for (const s of sources) hash.update(`${s.name}\0${s.sha256}\0`);
  return hash.digest('hex');
}

function currentBuildKey() {
  if (!existsSync(out)) return undefined;
  return /export const gemmWasmBuildKey = '([0-9a-f]{64})'/.exec(readFileSync(out, 'utf8'))?.[1];
}

function generatedSource(wasm, key, compilerId, sources) {
  const sourceMap = sources.map((s) => `  ${JSON.stringify(s.name)}: '${s.sha256}',`).join('\n');
  return [
    '// Generated by scripts/build-wasm.mjs: do not edit, do not commit.',
    `// ${compilerId}; ${wasm.length} bytes of WebAssembly.`,
    '',
    '/** The compiler that built these bytes (the unit test checks it is the pinned one). */',
    `export const gemmWasmCompiler = ${JSON.stringify(compilerId)};`,
    '',
    '/** The flags it was given. */',
    `export const gemmWasmFlags: readonly string[] = ${JSON.stringify(WASM_FLAGS)};`,
    '',
    '/** SHA-256 of each source file the bytes were compiled from (the unit test checks they are current). */',
    `export const gemmWasmSources: Readonly<Record<string, string>> = {\n${sourceMap}\n};`,
    '',
    '/** SHA-256 of compiler, flags and sources: the cache key of this build. */',
    `export const gemmWasmBuildKey = '${key}';`,
    '',
    'export const gemmWasmBase64 =',
    `  '${Buffer.from(wasm).toString('base64')}';`,
    '',
  ].join('\n');
}

/**
 * Compiles (or takes from the cache) the module with the pinned compiler, or with the system clang
 * named by `clang`. Returns the bytes and what identifies them. Exported for bench/conv.mjs, which
 * builds a second module with a system clang to measure the two side by side.
 */
export async function buildWasm({ clang, force: rebuild = false } = {}) {
  const sources = readSources();
  const compiler = clang ? systemCompiler(clang) : yowaspCompiler();
  const key = buildKey(compiler.id, sources);
  const cached = join(cacheDir, `${key}.wasm`);
  if (!rebuild && existsSync(cached)) {
    return { wasm: new Uint8Array(readFileSync(cached)), key, compilerId: compiler.id, sources, from: cached };
  }
  const started = Date.now();
  log(
    `compiling ${sources
      .filter((s) => s.name.endsWith('.c'))
      .map((s) => s.name)
      .join(', ')} with ${compiler.id} (about 15 s)…`,
  );
  const wasm = await compiler.compile(sources);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${cached}.partial`, wasm);
  renameSync(`${cached}.partial`, cached);
  log(`compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { wasm, key, compilerId: compiler.id, sources };
}

/** The TypeScript module that carries a build (what gemm-wasm.generated.ts holds). */
export function generatedModule({ wasm, key, compilerId, sources }) {
  return generatedSource(wasm, key, compilerId, sources);
}

async function main() {
  if (!force && !process.env.CLANG) {
    // The cheap path: hash the sources, compare with the generated file's key.
    const key = buildKey(yowaspCompiler().id, readSources());
    if (currentBuildKey() === key) {
      log(`up to date (key ${key.slice(0, 12)})`);
      return;
    }
  }
  const build = await buildWasm({ clang: process.env.CLANG, force });
  if (build.from) log(`from the cache: ${build.from}`);
  writeFileSync(`${out}.partial`, generatedSource(build.wasm, build.key, build.compilerId, build.sources));
  renameSync(`${out}.partial`, out);
  log(`wrote ${relative(root, out)} (${build.wasm.length} bytes of wasm, ${build.compilerId})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
