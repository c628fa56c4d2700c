// Runs mocha inside the extension host. Bundle it into the tests' index.js (mocha
// external) and export `run = () => runMocha({ files })`.
import Mocha from 'mocha';
import { format } from 'node:util';
import { testOutputMark } from './testOutputMark';

export interface RunMochaOptions {
  /** Compiled test files (absolute paths). */
  files: string[];
  /** Per-test timeout; default 20 s. */
  timeout?: number;
  /** Only tests whose title matches; default: env MOCHA_GREP. */
  grep?: string;
}

/** Runs the tests, ends with a plain "N passed, N failed" line; rejects if any failed. */
export function runMocha(options: RunMochaOptions): Promise<void> {
  markConsole();
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: options.timeout ?? 20_000 });
  const grep = options.grep ?? process.env.MOCHA_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  for (const file of options.files) {
    mocha.addFile(file);
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) {
        reject(new Error(`${failures} test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}

let consoleMarked = false;

function markConsole(): void {
  if (consoleMarked) {
    return;
  }
  consoleMarked = true;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => original(testOutputMark + format(...args));
  }
  // Mocha's reporters keep the console.log they saw when mocha was loaded.
  Mocha.reporters.Base.consoleLog = console.log;
}
