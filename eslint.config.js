// ESLint (flat config): typescript-eslint's recommended rules, no import cycles, and the rooms'
// import boundaries (only the Kafka adapter imports kafkajs; only ops/model/backend import TF.js).
// Formatting is prettier's job (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';

const KAFKA_ROOMS = ['src/kafka/**'];
const TF_ROOMS = ['src/model/**', 'src/ops/**', 'src/backend/**'];
const NO_KAFKAJS = { name: 'kafkajs', message: 'Only the Kafka adapter (src/kafka) imports kafkajs.' };
const NO_TFJS = { group: ['@tensorflow/*'], message: 'Only src/model, src/ops and src/backend import TF.js.' };

function restrictImports(files, ignores, paths, patterns) {
  return [{ files, ignores, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } }];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'out/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  importX.flatConfigs.typescript,
  {
    files: ['**/*.ts'],
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'max-len': ['error', { code: 160, ignoreUrls: true }],
    },
  },
  // The rooms' import boundaries: only the Kafka adapter imports kafkajs; only model, ops and backend import TF.js.
  ...restrictImports(['src/**/*.ts'], [...KAFKA_ROOMS, ...TF_ROOMS], [NO_KAFKAJS], [NO_TFJS]),
  ...restrictImports(TF_ROOMS, [], [NO_KAFKAJS], []),
  ...restrictImports(KAFKA_ROOMS, [], [], [NO_TFJS]),
  {
    // Tests read JSON bodies of many shapes; typing each response would only restate the API schema.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
