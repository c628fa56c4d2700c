import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as TypeScript from 'typescript';
import type { TypeScriptModule } from './loadTypeScript';

const apiFileName = '/codemode/api.d.ts';
const scriptFileName = '/codemode/script.ts';
/**
 * The script is checked as the body of an async function, as it runs: top-level `await` and `return` are legal and
 * its declarations are local. The wrapper takes one line, like the sandbox's.
 */
const wrapperStart = 'async function __codemodeScript() {\n';
export const wrapperLines = 1;

/**
 * Lenient where a mistake does not certainly fail at run time (implicit any, possibly-undefined values, `unknown`
 * catch variables); every ES built-in V8 ships (lib esnext, no DOM, no Node).
 */
function compilerOptions(ts: TypeScriptModule): TypeScript.CompilerOptions {
  return {
    target: ts.ScriptTarget.ESNext,
    lib: ['lib.esnext.d.ts'],
    types: [],
    noEmit: true,
    noResolve: true,
    strict: false,
    noImplicitAny: false,
    strictNullChecks: false,
    useUnknownInCatchVariables: false,
    allowUnreachableCode: true,
    allowUnusedLabels: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
  };
}

export interface CheckedScript {
  program: TypeScript.Program;
  script: TypeScript.SourceFile;
  api: TypeScript.SourceFile;
}

/**
 * One TypeScript program per check, built from cached parts: the lib files are parsed once, the API file again only
 * when its text changes, so a warm check parses just the script and type-checks what the script touches.
 */
export class CheckProgram {
  private readonly options: TypeScript.CompilerOptions;
  private readonly libDirectory: string;
  private readonly libFiles = new Map<string, TypeScript.SourceFile | undefined>();
  private api: TypeScript.SourceFile | undefined;
  private previous: TypeScript.Program | undefined;

  constructor(private readonly ts: TypeScriptModule) {
    this.options = compilerOptions(ts);
    this.libDirectory = dirname(ts.getDefaultLibFilePath(this.options));
  }

  check(apiDts: string, source: string): CheckedScript {
    const ts = this.ts;
    if (this.api?.text !== apiDts) {
      this.api = ts.createSourceFile(apiFileName, apiDts, ts.ScriptTarget.ESNext, true);
    }
    const api = this.api;
    const script = ts.createSourceFile(scriptFileName, `${wrapperStart}${source}\n}\n`, ts.ScriptTarget.ESNext, true, ts.ScriptKind.TS);
    const host: TypeScript.CompilerHost = {
      getSourceFile: (fileName) => (fileName === apiFileName ? api : fileName === scriptFileName ? script : this.libFile(fileName)),
      getDefaultLibFileName: () => join(this.libDirectory, 'lib.esnext.d.ts'),
      getDefaultLibLocation: () => this.libDirectory,
      writeFile: () => undefined,
      getCurrentDirectory: () => '/codemode',
      getCanonicalFileName: (fileName) => fileName,
      useCaseSensitiveFileNames: () => true,
      getNewLine: () => '\n',
      fileExists: (fileName) => fileName === apiFileName || fileName === scriptFileName || this.libFile(fileName) !== undefined,
      readFile: () => undefined,
    };
    const program = ts.createProgram({ rootNames: [apiFileName, scriptFileName], options: this.options, host, oldProgram: this.previous });
    this.previous = program;
    return { program, script, api };
  }

  private libFile(fileName: string): TypeScript.SourceFile | undefined {
    if (!this.libFiles.has(fileName)) {
      let file: TypeScript.SourceFile | undefined;
      if (dirname(fileName) === this.libDirectory) {
        try {
          file = this.ts.createSourceFile(fileName, readFileSync(fileName, 'utf8'), this.ts.ScriptTarget.ESNext);
        } catch {
          file = undefined;
        }
      }
      this.libFiles.set(fileName, file);
    }
    return this.libFiles.get(fileName);
  }
}
