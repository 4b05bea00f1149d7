// ESLint 9 flat config. `npm run lint` runs it, then `prettier --check` (formatting is Prettier's
// alone: no stylistic rules here). Two things matter beyond typescript-eslint's recommended set:
// no import cycles, and imports that point one way (README, "Code map"):
//   libs/  <-  src/events/  <-  src/identity/, src/exports/ and the other features
// with the infrastructure folders (config, database, http, logging...) below every feature, and
// app.module.ts, create-app.ts, main.ts, src/cli and src/database/entities.ts as composition roots.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Feature folders: each records events or builds on them, so src/events imports none of them. */
const FEATURES_ON_EVENTS = ['./src/identity', './src/exports', './src/notifications', './src/policies'];
const FEATURES = ['./src/events', ...FEATURES_ON_EVENTS];
/** Infrastructure every feature may use; it imports no feature (the composition roots do). */
const INFRASTRUCTURE = [
  './src/config',
  './src/database',
  './src/health',
  './src/http',
  './src/lifecycle',
  './src/logging',
  './src/metrics',
  './src/openapi',
  './src/security',
];

/** The direction rule; `schemaRoot` leaves out the one database file that lists every entity. */
function directionZones({ schemaRoot = false } = {}) {
  return [
    { target: './libs', from: './src', message: 'libs/ is shared by every module and imports nothing from src/.' },
    {
      target: './src/events',
      from: FEATURES_ON_EVENTS,
      message: 'src/events is below the features that record events: expose an interface or move the code to the feature.',
    },
    {
      target: FEATURES_ON_EVENTS,
      from: './src/events',
      except: ['./index.ts'],
      message: 'Use the events module through its public surface, src/events/index.ts (README, "Recording events from another module").',
    },
    { target: './src/identity', from: './src/exports', message: 'Exports build on identity, not the other way.' },
    ...(schemaRoot
      ? []
      : [
          {
            target: INFRASTRUCTURE,
            from: FEATURES,
            message: 'Infrastructure imports no feature; wire features together in app.module.ts (entities: src/database/entities.ts).',
          },
        ]),
  ];
}

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'test-artifacts/', 'bench/results/', 'data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      // import-x's TypeScript settings (which files it parses to follow imports), with the
      // resolver that reads tsconfig's `@app/*` paths.
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: directionZones() }],
      // `_name` marks a parameter kept for its position (an interface's signature, Nest's hooks).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The schema's composition root: TypeORM needs every entity in one list, also without Nest
    // (the TypeORM CLI, bench, scripts), so this file may import each feature's entities.
    files: ['src/database/entities.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: directionZones({ schemaRoot: true }) }] },
  },
  {
    // Tests read JSON answers whose shape is the assertion itself; typing each one adds nothing.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Node scripts and configs written in CommonJS.
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
