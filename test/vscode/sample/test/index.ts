// Entry the extension host loads (bundled to CommonJS by ../run.ts).
import { join } from 'node:path';
import { runMocha } from '../../mochaInHost';

export function run(): Promise<void> {
  return runMocha({ files: [join(__dirname, 'sample.test.js')] });
}
