import type * as TypeScript from 'typescript';
import { generateDts } from '../codegen/dts';
import { bindApi } from '../codegen/identifiers';
import { errorMessage } from '../errors';
import type { Logger } from '../logger';
import type { ServerTools } from '../mcp/toolInfo';
import { blocks } from './blockingRules';
import { unknownCallNames } from './callNames';
import type { CheckDiagnostic, CheckResult, Unavailable } from './checkDiagnostic';
import { CheckProgram, wrapperLines } from './checkProgram';
import { involvedToolsText } from './involvedTools';
import { loadTypeScript, type TypeScriptModule } from './loadTypeScript';

/**
 * A longer script runs unchecked: the check is synchronous on the caller's thread, and its cost grows with the text
 * (and with any type-level code in it). Scripts a model writes are a few KB.
 */
const maxCheckedChars = 200_000;
/** Blocked lines quoted in the model's text are cut to this many characters. */
const maxQuotedChars = 160;

/**
 * Type-checks a script against the API of the servers before it runs, and reports only what would certainly fail
 * there (blockingRules.ts). One instance keeps the parsed lib and API between checks: keep it for the process.
 */
export class ScriptChecker {
  private ts: TypeScriptModule | undefined;
  private program: CheckProgram | undefined;
  private apiFor: { servers: readonly ServerTools[]; unavailable: readonly Unavailable[]; dts: string } | undefined;

  /**
   * Loads TypeScript and parses the lib ahead of the first check (most of a cold check), e.g. while servers start.
   * Returns the milliseconds it took.
   */
  warm(logger?: Logger): number {
    return this.check('', [], logger).durationMs;
  }

  /** A check that cannot run (TypeScript missing or failing) lets the script run, as it did before checks existed. */
  check(source: string, servers: readonly ServerTools[], logger?: Logger, unavailable: readonly Unavailable[] = []): CheckResult {
    const started = performance.now();
    if (source.length > maxCheckedChars) {
      logger?.warn(`the script runs unchecked: it is longer than ${maxCheckedChars} characters`);
      return { ok: true, diagnostics: [], text: '', durationMs: 0 };
    }
    try {
      return this.checkOrThrow(source, servers, unavailable, started);
    } catch (error: unknown) {
      logger?.warn(`the script runs unchecked: the type check failed: ${errorMessage(error)}`);
      return { ok: true, diagnostics: [], text: '', durationMs: Math.round((performance.now() - started) * 100) / 100 };
    }
  }

  private checkOrThrow(source: string, servers: readonly ServerTools[], unavailable: readonly Unavailable[], started: number): CheckResult {
    const ts = (this.ts ??= loadTypeScript());
    this.program ??= new CheckProgram(ts);
    const { program, script, api } = this.program.check(this.apiDts(servers, unavailable), source.replace(/^\uFEFF/, ''));
    const syntax = program.getSyntacticDiagnostics(script);
    let found: readonly TypeScript.Diagnostic[] = syntax;
    const checker = program.getTypeChecker();
    if (syntax.length === 0) {
      found = program.getSemanticDiagnostics(script).filter((diagnostic) => blocks({ ts, checker, script, api }, diagnostic));
    }
    const names = syntax.length === 0 ? unknownCallNames(ts, script, servers, unavailable) : [];
    const diagnostics = [...found, ...names.map((problem) => ({ ...problem, messageText: problem.message }))]
      .map((diagnostic) => toCheckDiagnostic(ts, script, diagnostic))
      .sort((a, b) => a.line - b.line || a.column - b.column);
    const text = diagnostics.length === 0 ? '' : blockedText(ts, checker, script, source, diagnostics, servers, unavailable);
    return { ok: diagnostics.length === 0, diagnostics, text, durationMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /**
   * The API as the check sees it (results without an output schema are `any`). The hub lists tools in new arrays
   * each time, so this mostly regenerates (a few ms); CheckProgram reparses it only when the text changed.
   */
  private apiDts(servers: readonly ServerTools[], unavailable: readonly Unavailable[]): string {
    if (this.apiFor?.servers !== servers || this.apiFor.unavailable !== unavailable) {
      const down = bindApi(servers, unavailable).filter((binding) => 'unavailable' in binding);
      this.apiFor = { servers, unavailable, dts: generateDts(servers, { untypedResult: 'any', unavailable: down }) };
    }
    return this.apiFor!.dts;
  }
}

type Found = Pick<TypeScript.Diagnostic, 'start' | 'code' | 'messageText'>;

function toCheckDiagnostic(ts: TypeScriptModule, script: TypeScript.SourceFile, diagnostic: Found): CheckDiagnostic {
  const { line, character } = script.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  // A problem found in the wrapper (an unclosed brace ends at its `}`) is reported on the script's first or last line.
  const lastLine = script.getLineAndCharacterOfPosition(script.getEnd()).line - wrapperLines - 1;
  const inScript = line >= wrapperLines && line - wrapperLines < lastLine;
  return {
    line: Math.min(Math.max(1, line + 1 - wrapperLines), Math.max(1, lastLine)),
    column: inScript ? character + 1 : 1,
    code: diagnostic.code,
    message: readable(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
  };
}

/** Type names as a script writes them; the type of `mcp` (every server and overload) as its name. */
function readable(message: string): string {
  return message.replace(/\bMcpApi\./g, '').replace(/'\{ readonly [^']*\bcall\(server: [^']*'/g, "'typeof mcp'");
}

function blockedText(
  ts: TypeScriptModule,
  checker: TypeScript.TypeChecker,
  script: TypeScript.SourceFile,
  source: string,
  diagnostics: CheckDiagnostic[],
  servers: readonly ServerTools[],
  unavailable: readonly Unavailable[],
): string {
  const sourceLines = source.replace(/^\uFEFF/, '').split('\n');
  const problems = diagnostics.map((d) => {
    const quoted = (sourceLines[d.line - 1] ?? '').trim();
    const excerpt = quoted.length > maxQuotedChars ? `${quoted.slice(0, maxQuotedChars - 1)}…` : quoted;
    return `line ${d.line}, column ${d.column}: ${d.message} (TS${d.code})${excerpt ? `\n    ${excerpt}` : ''}`;
  });
  const head = `TypeCheckError: the script was not run, so no tool was called. ${diagnostics.length === 1 ? 'This problem' : `These ${diagnostics.length} problems`} would make it fail:`;
  const involved = involvedToolsText(ts, checker, script, new Set(diagnostics.map((d) => d.line - 1 + wrapperLines)), servers, unavailable);
  return [head, ...problems, ...(involved ? ['', involved] : [])].join('\n');
}
