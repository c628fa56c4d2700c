import type { VariableSource } from '../core/config/resolveVariables';

/** `${input:ID}` in the CLI comes from CODEMODE_INPUT_<ID>: as written, upper-cased, or with other characters as `_`. */
export function environmentVariables(workspaceFolder: string, env: NodeJS.ProcessEnv = process.env): VariableSource {
  return {
    workspaceFolder,
    env,
    input: async (id) => {
      const names = [id, id.toUpperCase(), id.toUpperCase().replace(/[^A-Z0-9_]/g, '_')];
      return names.map((name) => env[`CODEMODE_INPUT_${name}`]).find((value) => value !== undefined);
    },
  };
}
