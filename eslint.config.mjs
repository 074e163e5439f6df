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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
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
  {
    // The preview runs arbitrary mini program code and interprets template expressions with JavaScript's own
    // operators: the `this` of user code, `my`'s options and an operand of `+` have no static type, so `any` is the
    // honest type in these files (everywhere else in the preview the sources use `unknown`).
    files: [
      'packages/preview/src/expression.ts',
      'packages/preview/src/sjs.ts',
      'packages/preview/src/browser/view/evaluate.ts',
      'packages/preview/src/browser/view/frame.ts',
      'packages/preview/src/browser/worker/my.ts',
      'packages/preview/src/browser/worker/runtime.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Mini program fixtures run under the platform's globals, which the preview (or the platform) provides.
    files: ['**/test/fixtures/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        App: 'readonly',
        Page: 'readonly',
        Component: 'readonly',
        getApp: 'readonly',
        getCurrentPages: 'readonly',
        my: 'readonly',
      },
    },
  },
  {
    // Benches drive a browser: the callbacks they hand to page.evaluate run there.
    files: ['**/bench/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  prettier,
);
