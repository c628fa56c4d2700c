// Builds what the agent tests install into code-server: our VSIX (as test/e2e/run.ts builds it) and the scripted
// model's VSIX (bundled with esbuild, packaged with vsce), plus the MCP server fixtures the workloads use.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export const repoRoot = join(__dirname, '..', '..');
export const outDir = join(repoRoot, 'out', 'agent');
const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');

export interface Built {
  codeModeVsix: string;
  scriptedModelVsix: string;
}

/** Both VSIX files, built from the current sources (about 10 s). */
export async function buildAll(log: (line: string) => void = () => {}): Promise<Built> {
  const started = Date.now();
  await mkdir(outDir, { recursive: true });
  // The fixtures (out/fixtures/benchServer.js) first: `--tests` also builds a development bundle into dist/,
  // which the production build right after replaces.
  execFileSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: repoRoot, stdio: 'inherit' });
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'inherit' });
  const codeModeVsix = join(outDir, 'code-mode.vsix');
  execFileSync(vsce, ['package', '--no-yarn', '--out', codeModeVsix], { cwd: repoRoot, stdio: 'ignore' });
  const scriptedModelVsix = await buildScriptedModel();
  log(`built both VSIX files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { codeModeVsix, scriptedModelVsix };
}

async function buildScriptedModel(): Promise<string> {
  const source = join(repoRoot, 'test', 'agent', 'scriptedModel');
  const stage = join(outDir, 'scripted-model');
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, 'dist'), { recursive: true });
  await build({
    entryPoints: [join(source, 'extension.ts')],
    outfile: join(stage, 'dist', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  await copyFile(join(source, 'package.json'), join(stage, 'package.json'));
  await writeFile(join(stage, 'README.md'), '# Scripted Model\n\nTest-only language model for the Code Mode agent tests.\n');
  await copyFile(join(repoRoot, 'LICENSE'), join(stage, 'LICENSE'));
  const vsix = join(outDir, 'scripted-model.vsix');
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: stage, stdio: 'ignore' });
  return vsix;
}
