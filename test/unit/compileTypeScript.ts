import ts from 'typescript';

/**
 * Type-checks files as scripts are checked: `tsc --strict` with `lib: ["ES2022"]` alone (no DOM, no Node) unless
 * `lib` says otherwise; returns the diagnostics as text.
 */
export function typeCheck(files: string[], lib = ['lib.es2022.d.ts']): string[] {
  const program = ts.createProgram(files, { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib, types: [] });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) {
      return text;
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}:${line + 1}:${character + 1} ${text}`;
  });
}

/** A script body (top-level await and return) as a module tsc accepts, keeping its line numbers. */
export function asCheckableModule(script: string): string {
  return `export {};\nasync function script() { ${script}\n}\nvoid script;\n`;
}
