// What an extension-host test cannot see through the API (the editor title's menu, context key values), it asks the
// runner, which reads it off the workbench page. Question and answer are JSON files beside the workspace folder.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';

export interface WorkbenchQuestion {
  id: number;
  /** The file the test has just made the active editor. */
  file: string;
}

export interface WorkbenchAnswer {
  id: number;
  /** Whether the editor title shows the "Run Code Mode Script" action for that editor. */
  runAction: boolean;
  /** The workbench's context key values in that editor (as "Developer: Inspect Context Keys" prints them). */
  context: Record<string, unknown>;
}

export const questionFile = (workspace: string) => `${workspace}.workbench-question.json`;
export const answerFile = (workspace: string) => `${workspace}.workbench-answer.json`;

/** Writes `value` whole (rename), so the other side never reads half a file. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(value));
  await rename(`${path}.tmp`, path);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as T) : undefined;
}
