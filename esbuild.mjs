// Bundles the extension, the CLI and the sandbox host (and, with --tests, the test fixtures and VS Code tests).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Prints errors in the form the `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // isolated-vm is native and loads only in the sandbox host; vscode exists only in the extension host; typescript
  // (the pre-run check) is required on first use from node_modules, not loaded with every activation.
  external: ['vscode', 'isolated-vm', 'isolated-vm-node22', 'typescript'],
  plugins: watch ? [problemMatcher] : [],
};

const builds = [
  {
    ...common,
    entryPoints: {
      extension: 'src/extension.ts',
      cli: 'src/cli.ts',
      sandboxHost: 'src/core/sandbox/sandboxHost/main.ts',
      // The worker thread that transpiles scripts and checks schemas (src/core/engine/untrustedWork.ts).
      untrustedWork: 'src/core/engine/untrustedWorkMain.ts',
      quickJsWorker: 'src/core/sandbox/quickJs/worker.ts',
      // A worker thread: the tokenizer's tables load there, on first use, never in the extension host's thread.
      tokenWorker: 'src/core/runs/tokenWorker.ts',
      // tsserver loads it through node_modules/codemode-ts-plugin (src/tsPlugin), whose main points here.
      tsPlugin: 'src/tsPlugin/tsPlugin.ts',
    },
    outdir: 'dist',
  },
];
if (tests) {
  builds.push(
    { ...common, entryPoints: ['test/fixtures/*.ts'], outdir: 'out/fixtures' },
    // The client the MCP conformance harness drives (test/conformance/runScenario.ts).
    { ...common, entryPoints: ['test/conformance/conformanceClient.ts'], outdir: 'out/conformance' },
    // Loaded by the extension host; mocha comes from the repository's node_modules.
    {
      ...common,
      entryPoints: ['test/integration/index.ts', 'test/integration/*.test.ts'],
      outdir: 'out/integration',
      external: ['vscode', 'mocha'],
    },
  );
}

// The QuickJS fallback loads its WebAssembly from beside the bundle (the VSIX ships no node_modules).
mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'), 'dist/quickjs.wasm');

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
