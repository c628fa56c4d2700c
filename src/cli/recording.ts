import { readFile, writeFile } from 'node:fs/promises';
import type { RunResult } from '../core/engine/runResult';
import { modelReport } from '../core/engine/modelReport';
import { CodeModeError, errorMessage } from '../core/errors';
import { runRecordVersion, type RunRecord } from '../core/runs/runRecord';
import type { RunRecorder } from '../core/runs/runRecorder';
import { accountTokens } from '../core/runs/tokenAccount';
import { TokenCounter } from '../core/runs/tokenCounter';

/** `--record FILE`: the run's record, with its token account, written as JSON. */
export async function writeRecording(recorder: RunRecorder, run: RunResult, file: string, tokenWorker: string): Promise<RunRecord> {
  const { record, tokenInputs } = recorder.finish(run, modelReport(run));
  const counter = new TokenCounter(tokenWorker);
  try {
    record.tokens = await accountTokens(tokenInputs, counter);
  } finally {
    await counter.dispose();
  }
  try {
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  } catch (error: unknown) {
    throw new CodeModeError(`Cannot write the recording ${file}: ${errorMessage(error)}`);
  }
  process.stderr.write(
    `recorded to ${file}: ${record.calls.length} call(s); ${record.tokens.saved.toLocaleString('en-US')} tokens saved (estimate)\n`,
  );
  return record;
}

export async function readRecording(file: string): Promise<RunRecord> {
  let record: RunRecord;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as RunRecord;
  } catch (error: unknown) {
    throw new CodeModeError(`Cannot read the recording ${file}: ${errorMessage(error)}`);
  }
  if (record?.version !== runRecordVersion || typeof record.script !== 'string' || !Array.isArray(record.calls)) {
    throw new CodeModeError(`${file} is not a Code Mode run recording (version ${runRecordVersion})`);
  }
  return record;
}
