import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings } from '../../src/core/defaults';
import { projectRoot } from './helpers';

describe('defaults', () => {
  it("package.json's settings declare the defaults core uses", () => {
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      contributes: {
        configuration: Array<{ properties: Record<string, { default: unknown }> }> | { properties: Record<string, { default: unknown }> };
      };
    };
    const sections = [manifest.contributes.configuration].flat();
    const declared = Object.fromEntries(
      sections.flatMap((section) => Object.entries(section.properties)).map(([key, value]) => [key, value.default]),
    );
    for (const [key, value] of Object.entries(defaultSettings)) {
      assert.deepEqual(declared[`codeMode.${key}`], value, `codeMode.${key}`);
    }
  });
});
