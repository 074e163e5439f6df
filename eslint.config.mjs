// The one lint configuration of the workspace (flat config): ESLint's and typescript-eslint's recommended rules for
// every package, the mini program, the scripts and the tests, with Prettier owning the layout (eslint-config-prettier
// turns the style rules off). A rule is only ever disabled with a comment that says why.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.minipay/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Node scripts, configs and benches (packages/preview/** included once it exists).
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs' },
    // CommonJS files load modules with require(), which is what they are.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // `_`-prefixed parameters are the way to say "deliberately unused" (a callback's signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/test/**'],
    rules: {
      // Tests read JSON answers and fake runtimes of whatever shape the case needs; the sources never use `any`.
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests load the CommonJS builds and the pages' modules the way the platform does: with require().
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  prettier,
);
