// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, with formatting
// left to Prettier (eslint-config-prettier turns the stylistic rules off). `npm run lint` runs it
// and `prettier --check`; `npm test` runs `npm run lint`.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-output/',
      '.cache/',
      'test/fixtures/',
      'examples/',
      'src/core/engine/wasm/*.generated.ts',
      '*.vsix',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      // Unused names are the compiler's (noUnusedLocals, noUnusedParameters), with its `_` convention.
      '@typescript-eslint/no-unused-vars': 'off',
      // Deliberate lazy loads: the TypeScript compiler only for TypeScript model files, the
      // generated WebAssembly module only when the engine first needs it.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The core imports no vscode and no Node module (its tsconfig has no Node types either).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode'],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads'], message: 'src/core runs in browsers too' },
          ],
        },
      ],
    },
  },
  {
    // Scripts run in Node and, inside playwright's evaluate callbacks, in a browser: both sets of
    // globals are legitimate there, and a misspelt one fails the script at its first run.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: { 'no-undef': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
