// Runs the client scenarios of @modelcontextprotocol/conformance against out/conformance/conformanceClient.js.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const projectRoot = join(__dirname, '..', '..');

/** An installed version of the harness, and the protocol revision its scenario servers speak. */
export interface ConformanceSuite {
  /** The npm package (the alpha is installed under an alias beside the stable release). */
  packageName: string;
  /** `--spec-version`: the scenarios of that revision, served at its wire; absent: the harness's default. */
  specVersion?: string;
}

/** 0.1.16: the 2025-11-25 scenarios. */
export const stableSuite: ConformanceSuite = { packageName: '@modelcontextprotocol/conformance' };
/** 0.2.0-alpha.12 at the 2026-07-28 wire. */
export const alphaSuite: ConformanceSuite = { packageName: '@modelcontextprotocol/conformance-alpha', specVersion: '2026-07-28' };

function harness(suite: ConformanceSuite): string {
  return join(projectRoot, 'node_modules', ...suite.packageName.split('/'), 'dist', 'index.js');
}

function specVersion(suite: ConformanceSuite): string[] {
  return suite.specVersion ? ['--spec-version', suite.specVersion] : [];
}
/** Built by `node esbuild.mjs --tests` (npm test builds first). */
export const clientScript = join(projectRoot, 'out', 'conformance', 'conformanceClient.js');

export interface ScenarioResult {
  scenario: string;
  passed: boolean;
  /** The harness's summary line, e.g. "Passed: 15/15, 0 failed, 0 warnings". */
  summary: string;
  /** Checks that failed or warned, and why. */
  problems: string[];
  output: string;
}

/** The harness needs Node >= 22 (fs.globSync): this one, else the Node 24 of the `node` devDependency. */
export function conformanceNode(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    return process.execPath;
  }
  const packaged = join(projectRoot, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  return existsSync(packaged) ? packaged : undefined;
}

/** The client scenarios the installed harness knows (for the suite's revision), as `conformance list` prints them. */
export async function listClientScenarios(node: string, suite: ConformanceSuite = stableSuite): Promise<string[]> {
  const { stdout } = await run(node, [harness(suite), 'list', ...specVersion(suite)]);
  const section = (stdout.split(/Client scenarios[^\n]*\n/)[1] ?? '').split(/\n(?=\S)/)[0];
  return [...section.matchAll(/^\s*- (\S+)/gm)].map((match) => match[1]);
}

/** `force` runs a scenario the suite's revision does not list (an extension's) at that revision's wire. */
export async function runScenario(
  node: string,
  scenario: string,
  suite: ConformanceSuite = stableSuite,
  force = false,
): Promise<ScenarioResult> {
  // The harness splits --command on spaces and runs it through a shell: quotes keep paths with spaces whole.
  const command = `${JSON.stringify(node)} ${JSON.stringify(clientScript)}`;
  const args = ['client', '--command', command, '--scenario', scenario, ...specVersion(suite), ...(force ? ['--force'] : []), '--verbose'];
  const { code, stdout, stderr } = await run(node, [harness(suite), ...args]);
  const summary = /Passed: [^\n]*/.exec(stderr)?.[0] ?? 'no summary';
  return { scenario, passed: code === 0, summary, problems: problems(stdout), output: `${stdout}\n${stderr}` };
}

/** Runs `tasks` at most `limit` at a time: each scenario has its own servers on loopback ports, so they can overlap. */
export async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function problems(verboseStdout: string): string[] {
  try {
    const checks = JSON.parse(verboseStdout.slice(verboseStdout.indexOf('['))) as Array<{
      id: string;
      status: string;
      description: string;
      errorMessage?: string;
    }>;
    return checks
      .filter((check) => check.status === 'FAILURE' || check.status === 'WARNING')
      .map((check) => `${check.status} ${check.id}: ${check.errorMessage ?? check.description}`);
  } catch {
    return [];
  }
}

function run(node: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
