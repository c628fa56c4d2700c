// Lint: typescript-eslint's type-aware checks that catch real mistakes (floating promises), and the layering the folder
// tree promises (which process may import what).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeOnlyInHost = {
  name: 'vscode',
  message: 'Only the VS Code glue (src/host, src/extension.ts) imports vscode; src/core and the CLI are plain Node.',
};
const isolatedVmMessage = 'isolated-vm loads only in the sandbox host process (src/core/sandbox/sandboxHost).';
const isolatedVmOnlyInSandboxHost = ['isolated-vm', 'isolated-vm-node22'].map((name) => ({
  name,
  message: isolatedVmMessage,
  allowTypeImports: true,
}));
const noIsolatedVmRequire = {
  selector: "CallExpression[callee.name='require'][arguments.0.value=/^isolated-vm/]",
  message: isolatedVmMessage,
};
const coreStaysOutOfGlue = {
  group: ['**/host/**', '**/cli/**', '**/extension', '**/cli'],
  message: 'src/core never reaches into the VS Code glue or the CLI.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      '.cache/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-results/**',
      'examples/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/sandbox/sandboxHost/**'],
    rules: { 'no-restricted-syntax': ['error', noIsolatedVmRequire] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/host/**', 'src/extension.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscodeOnlyInHost, ...isolatedVmOnlyInSandboxHost], patterns: [] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/sandbox/sandboxHost/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [vscodeOnlyInHost, ...isolatedVmOnlyInSandboxHost], patterns: [coreStaysOutOfGlue] },
      ],
    },
  },
  {
    files: ['src/core/sandbox/sandboxHost/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscodeOnlyInHost], patterns: [coreStaysOutOfGlue] }],
    },
  },
  {
    files: ['src/host/**/*.ts', 'src/extension.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: isolatedVmOnlyInSandboxHost }],
    },
  },
);
