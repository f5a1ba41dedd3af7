// The lint gate (npm run lint, run by npm test before any test): typescript-eslint's recommended
// rules, plus the house rules STYLE.md asks for — short lines, small files, one import per module.
// Formatting itself is prettier's (npm run format); eslint-config-prettier is not needed because
// none of the rules below are about layout except max-len, which prettier cannot fix in strings
// and comments.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'overlays/',
      'argocd/',
      '.cluster/',
      '.argocd/',
      '.sandbox/',
      '.bench/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-len': [
        'error',
        // A test's name is a sentence (GIVEN … WHEN … THEN …): it stays on one line to stay greppable.
        {
          code: 160,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignorePattern: String.raw`^\s*(?:(?:it|test|describe)(?:\.each\(.*\))?\()?['"\x60]GIVEN |^\s*(?:it|test|describe)\(`,
        },
      ],
      'no-duplicate-imports': ['error', { includeExports: false }],
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Tests read arbitrary JSON answers (API bodies, Kubernetes objects) and assert on their shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The product and its dev harness stay in small files; tests may hold a table of cases.
    files: ['src/**/*.ts', 'testing/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
);
