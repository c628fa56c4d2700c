import { isAbsolute, relative, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import { generateDts } from '../core/codegen/dts';
import { errorMessage } from '../core/errors';
import type { McpHub } from '../core/mcp/hub';
import { readSettings, workspaceFolder } from './settings';

/**
 * Makes every .ts/.js script in the types folder see the API, with the sandbox's globals only (no DOM, no Node);
 * the plugin (src/tsPlugin) lets those scripts `return` at top level as the engine does. Its first line marks it as
 * Code Mode's (TypeScript reads tsconfig.json with comments).
 */
const tsconfig = `// Code Mode: compiler settings for the scripts beside the API. Do not edit: Code Mode rewrites this file.\n${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'ES2022',
      moduleDetection: 'force',
      lib: ['ES2022'],
      types: [],
      strict: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      plugins: [{ name: 'codemode-ts-plugin' }],
    },
    include: ['**/*.ts', '**/*.js'],
  },
  null,
  2,
)}\n`;

/**
 * Writes the generated `.d.ts` (and a tsconfig.json beside it) into the workspace, only when its text changed, only
 * inside the workspace folder, and never over a file Code Mode did not write (each file's first line marks it).
 */
export class TypesWriter {
  private timer?: NodeJS.Timeout;
  private writing: Promise<vscode.Uri | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly hub: McpHub,
    /** Whether Code Mode is configured in this workspace: elsewhere it writes nothing. */
    private readonly configured: () => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Coalesces bursts of server changes into one write; a failure is logged. */
  schedule(delayMs = 500): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => void this.write().catch((error: unknown) => this.log.error(`could not write the API types: ${errorMessage(error)}`)),
      delayMs,
    );
  }

  /** Generates and writes now; resolves to the file, or undefined without a trusted workspace folder where Code Mode is configured. */
  write(): Promise<vscode.Uri | undefined> {
    const next = this.writing.catch(() => undefined).then(() => this.writeNow());
    this.writing = next;
    return next;
  }

  /** The types file, when `codeMode.typesFile` names a `.d.ts` file inside the workspace folder. */
  target(): vscode.Uri | undefined {
    const folder = workspaceFolder();
    if (!folder) {
      return undefined;
    }
    const setting = readSettings().typesFile;
    const inside = relative(folder.uri.fsPath, resolve(folder.uri.fsPath, setting));
    if (!setting.endsWith('.d.ts') || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new Error(`codeMode.typesFile must name a .d.ts file inside the workspace folder, not "${setting}"`);
    }
    return vscode.Uri.joinPath(folder.uri, ...inside.split(sep));
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private async writeNow(): Promise<vscode.Uri | undefined> {
    const target = this.target();
    if (!target || !vscode.workspace.isTrusted || !this.configured()) {
      return undefined;
    }
    const listing = await this.hub.listTools();
    // The tsconfig first: whoever sees the API file can count on the project beside it.
    await this.writeIfChanged(vscode.Uri.joinPath(target, '..', 'tsconfig.json'), tsconfig);
    const wrote = await this.writeIfChanged(target, generateDts(listing.servers));
    if (wrote) {
      const tools = listing.servers.reduce((count, server) => count + server.tools.length, 0);
      this.log.info(`API types written to ${vscode.workspace.asRelativePath(target)} (${listing.servers.length} servers, ${tools} tools)`);
    }
    return target;
  }

  private async writeIfChanged(uri: vscode.Uri, text: string): Promise<boolean> {
    const bytes = new TextEncoder().encode(text);
    let current: Uint8Array | undefined;
    try {
      current = await vscode.workspace.fs.readFile(uri);
    } catch {
      // Not there yet.
    }
    if (current && Buffer.from(current).equals(bytes)) {
      return false;
    }
    if (current && firstLine(new TextDecoder().decode(current)) !== firstLine(text)) {
      throw new Error(`${vscode.workspace.asRelativePath(uri)} exists and was not written by Code Mode: it is left as it is`);
    }
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, bytes);
    return true;
  }
}

function firstLine(text: string): string {
  return text.slice(0, text.indexOf('\n') + 1);
}
