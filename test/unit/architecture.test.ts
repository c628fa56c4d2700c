import { strict as assert } from 'node:assert';
import { ESLint } from 'eslint';
import { projectRoot } from './helpers';

/**
 * The layering the folder tree promises is enforced by lint (eslint.config.mjs, run by `npm test`). These tests prove
 * the rules catch each kind of breach, by linting planted sources at the paths where they would do harm.
 */
describe('architecture (lint rules)', () => {
  // The layering rules need no type information; the type-aware rules are checked by `npm run lint` on the real tree.
  const eslint = new ESLint({
    cwd: projectRoot,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
  async function breaches(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages
      .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports' || message.ruleId === 'no-restricted-syntax')
      .map((message) => message.message);
  }
  const usesVscode = `import * as vscode from 'vscode';\nexport const w = vscode.window;\n`;

  it('src/core and the CLI never import vscode; the VS Code glue does', async () => {
    for (const file of ['src/core/engine/planted.ts', 'src/core/sandbox/quickJs/planted.ts', 'src/cli/planted.ts', 'src/cli.ts']) {
      assert.match((await breaches(file, usesVscode)).join('\n'), /Only the VS Code glue/, `${file} may import vscode`);
    }
    assert.deepEqual(await breaches('src/host/planted.ts', usesVscode), []);
    assert.deepEqual(await breaches('src/extension.ts', usesVscode), []);
  });

  it('isolated-vm is loaded only in the sandbox host process folder', async () => {
    const loads = [
      `export const ivm = require('isolated-vm');\n`,
      `export const ivm = require('isolated-vm-node22');\n`,
      `import ivm from 'isolated-vm';\nexport const x = ivm;\n`,
    ];
    for (const file of [
      'src/core/sandbox/launcher/planted.ts',
      'src/core/sandbox/planted.ts',
      'src/core/engine/planted.ts',
      'src/host/planted.ts',
    ]) {
      for (const code of loads) {
        assert.match((await breaches(file, code)).join('\n'), /sandbox host process/, `${file} may load isolated-vm: ${code}`);
      }
    }
    for (const code of loads) {
      assert.deepEqual(await breaches('src/core/sandbox/sandboxHost/planted.ts', code), []);
    }
    // Types cost nothing at run time.
    assert.deepEqual(
      await breaches('src/core/sandbox/launcher/planted.ts', `import type ivm from 'isolated-vm';\nexport type I = ivm.Isolate;\n`),
      [],
    );
  });

  it('src/core does not reach into the VS Code glue or the CLI', async () => {
    for (const specifier of ['../../host/settings', '../cli/commands', '../../extension']) {
      const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
      assert.match((await breaches('src/core/engine/planted.ts', code)).join('\n'), /never reaches into/, specifier);
    }
    assert.deepEqual(await breaches('src/core/engine/planted.ts', `import { x } from '../mcp/hub';\nexport const y = x;\n`), []);
  });
});
