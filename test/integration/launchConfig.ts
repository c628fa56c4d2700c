// F5 ("Run Extension" in .vscode/launch.json) as far as it runs without a desktop: its preLaunchTask exists and
// builds the bundle package.json's `main` names, and its arguments, ${workspaceFolder} substituted, open the
// examples folder in code-server's real extension host with the extension loaded and active (./launch.test.ts).
import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import { killGroup, spawnGroup } from '../vscode/processGroup';
import { runExtensionTests } from '../vscode/runExtensionTests';
import { waitFor } from '../waitFor';
import { repoRoot } from './workspaceFixture';

interface Task {
  label?: string;
  type?: string;
  script?: string;
  dependsOn?: string[];
  group?: string | { kind: string; isDefault?: boolean };
}

const readJsonc = async <T>(path: string): Promise<T> => parse(await readFile(join(repoRoot, path), 'utf8')) as T;

/** Resolves with the exit code of the launch suite (0 = passed); throws when the configuration is wrong. */
export async function runLaunchConfiguration(): Promise<number> {
  const launch = await readJsonc<{ configurations: Array<{ name: string; type: string; args: string[]; preLaunchTask?: string }> }>(
    '.vscode/launch.json',
  );
  const { tasks } = await readJsonc<{ tasks: Task[] }>('.vscode/tasks.json');
  const runExtension = launch.configurations.find((configuration) => configuration.name === 'Run Extension');
  assert.equal(runExtension?.type, 'extensionHost', 'launch.json has an extensionHost configuration "Run Extension"');

  // The preLaunchTask names a task that exists; it (or a task it depends on) runs an npm script that writes `main`.
  const byName = (name: string) =>
    name === '${defaultBuildTask}'
      ? tasks.find((task) => typeof task.group === 'object' && task.group.kind === 'build' && task.group.isDefault)
      : tasks.find((task) => task.label === name);
  const preLaunch = byName(runExtension.preLaunchTask ?? '');
  assert.ok(preLaunch, `the preLaunchTask ${runExtension.preLaunchTask} is not in tasks.json`);
  const npmScripts: string[] = [];
  const collect = (task: Task) => {
    if (task.type === 'npm' && task.script) {
      npmScripts.push(task.script);
    }
    for (const name of task.dependsOn ?? []) {
      const dependency = byName(name);
      assert.ok(dependency, `the task "${task.label}" depends on "${name}", which is not in tasks.json`);
      collect(dependency);
    }
  };
  collect(preLaunch);
  const { main } = await readJsonc<{ main: string }>('package.json');
  assert.ok(
    await someScriptWrites(npmScripts, join(repoRoot, main)),
    `none of the preLaunchTask's npm scripts (${npmScripts.join(', ')}) writes ${main}`,
  );

  // Its arguments, as VS Code substitutes them.
  const args = runExtension.args.map((arg) => arg.replaceAll('${workspaceFolder}', repoRoot));
  const developmentPaths = args.filter((arg) => arg.startsWith('--extensionDevelopmentPath=')).map((arg) => arg.split('=')[1]);
  const folders = args.filter((arg) => !arg.startsWith('--'));
  assert.deepEqual(
    [developmentPaths.map((path) => resolve(path)), folders.map((path) => resolve(path))],
    [[repoRoot], [join(repoRoot, 'examples')]],
  );
  return runExtensionTests({
    extensionDevelopmentPath: developmentPaths[0],
    extensionTestsPath: join(repoRoot, 'out', 'integration', 'index.js'),
    workspace: folders[0],
    settings: { 'security.workspace.trust.startupPrompt': 'never' },
    env: { CODEMODE_TEST_SUITE: 'launch' },
    timeoutMs: 300_000,
  });
}

/** Runs each (watch) script until the file is rewritten, then stops it; true once one has rewritten it. */
async function someScriptWrites(scripts: string[], file: string): Promise<boolean> {
  for (const script of scripts) {
    const before = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const child = spawnGroup('npm', ['run', script], { cwd: repoRoot, stdio: 'ignore' });
    try {
      await waitFor(
        () => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > before,
        120_000,
        `npm run ${script} to write ${file}`,
      );
      return true;
    } catch {
      // the next script, if any
    } finally {
      await killGroup(child.pid!);
    }
  }
  return false;
}
