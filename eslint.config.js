// ESLint holds the import graph (DESIGN §1, the VS Code rule): where code runs decides what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only src/main/index.ts (the Electron adapter) and src/preload may import electron.' };
const noNode = (where) => ({
  group: nodeBuiltins.flatMap((m) => [m, `${m}/*`]),
  message: `${where} runs without Node: no node built-ins here.`,
});
const noDom = ['window', 'document', 'navigator', 'localStorage'].map((name) => ({
  name,
  message: 'src/shared and src/worker run without a DOM.',
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/generated/**', 'src/worker/wasm/assembly/**', 'src/worker/wasm/build/**', 'e2e/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/main/**', 'src/cli/**', 'src/preload/**', 'scripts/**', 'e2e/**', '*.config.*', 'src/worker/*-task.ts', 'src/worker/task.ts', 'src/worker/shard-threads.ts', 'src/worker/thread-priority.ts', '**/*.test.ts', '**/test-support.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noNode('src/renderer')] }] },
  },
  {
    files: ['src/shared/**', 'src/worker/**'],
    ignores: ['**/*.test.ts', '**/test-support.ts', 'src/worker/task.ts', 'src/worker/*-task.ts', 'src/worker/shard-threads.ts', 'src/worker/thread-priority.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noNode('src/shared and src/worker (except the task entries)')] }],
      'no-restricted-globals': ['error', ...noDom],
    },
  },
  {
    files: ['src/main/**', 'src/cli/**'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
);
