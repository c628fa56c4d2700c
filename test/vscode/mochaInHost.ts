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
  // Mocha's reporters print through Base.consoleLog.
  Mocha.reporters.Base.consoleLog = testLog;
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
      testLog(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) {
        reject(new Error(`${failures} test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}

/**
 * Prints a line of test output, like console.log. The extension host's console cannot
 * be wrapped (VS Code defines it with a no-op setter) and its plain output reaches the
 * runner only with VSCODE_TEST_DEBUG set, so tests log through this.
 */
export function testLog(...args: unknown[]): void {
  console.log(testOutputMark + format(...args));
}
