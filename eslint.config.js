// Lint rules that guard the security requirements as well as style: no raw SQL strings in
// application code (R-D2), no dangerouslySetInnerHTML anywhere (R-D3).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render text as text: patient-written content must never become HTML (R-D3).',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'sql', property: 'raw', message: 'Use bound parameters: sql`…${value}…` (R-D2).' },
      ],
    },
  },
  {
    // Type-aware rules (issue 12 §3): a promise nobody awaits loses its error, an assertion the
    // types do not need hides the next real mismatch, and a switch over a union must say what it
    // does with every member.
    files: ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['test/fixtures/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    // Routes are HTTP only (issue 12 §1): schema, access, a call into the feature's queries or
    // commands, the reply. Data access and its audit live in those modules, reached through
    // `request.data`; a route that queries the database itself could skip the audit.
    files: ['src/server/**/*.routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'Query in the feature module (*.queries.ts / *.commands.ts).' }],
          patterns: [
            {
              group: ['**/audit/audit-log.js'],
              message: 'Audit through request.data.withAudit / request.data.recordRead.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='db']",
          message: 'Routes do not touch the database: call the feature module with request.data.',
        },
        {
          selector: "MemberExpression[object.name='request'][property.name='actor']",
          message: 'Use request.data.actor: the access layer guarantees it is there.',
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  }
);
