import * as vscode from 'vscode';
import { generateDts } from '../core/codegen/dts';
import { errorMessage } from '../core/errors';
import type { McpHub } from '../core/mcp/hub';
import { readSettings, workspaceFolder } from './settings';

/**
 * Makes every .ts/.js script in the types folder see the API, with the sandbox's globals only (no DOM, no Node);
 * the plugin (src/tsPlugin) lets those scripts `return` at top level as the engine does.
 */
const tsconfig = `${JSON.stringify(
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

/** Writes the generated `.d.ts` (and a tsconfig.json beside it) into the workspace, only when its text changed. */
export class TypesWriter {
  private timer?: NodeJS.Timeout;
  private writing: Promise<vscode.Uri | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly hub: McpHub,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Coalesces bursts of server changes into one write. */
  schedule(delayMs = 500): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.write(), delayMs);
  }

  /** Generates and writes now; resolves to the file, or undefined when there is no (trusted) workspace folder. */
  write(): Promise<vscode.Uri | undefined> {
    this.writing = this.writing
      .then(() => this.writeNow())
      .catch((error: unknown) => {
        this.log.error(`could not write the API types: ${errorMessage(error)}`);
        return undefined;
      });
    return this.writing;
  }

  target(): vscode.Uri | undefined {
    const folder = workspaceFolder();
    return folder && vscode.Uri.joinPath(folder.uri, readSettings().typesFile);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private async writeNow(): Promise<vscode.Uri | undefined> {
    const target = this.target();
    if (!target || !vscode.workspace.isTrusted) {
      return undefined;
    }
    const listing = await this.hub.listTools();
    // The tsconfig first: whoever sees the API file can count on the project beside it.
    await writeIfChanged(vscode.Uri.joinPath(target, '..', 'tsconfig.json'), tsconfig);
    const wrote = await writeIfChanged(target, generateDts(listing.servers));
    if (wrote) {
      const tools = listing.servers.reduce((count, server) => count + server.tools.length, 0);
      this.log.info(`API types written to ${vscode.workspace.asRelativePath(target)} (${listing.servers.length} servers, ${tools} tools)`);
    }
    return target;
  }
}

async function writeIfChanged(uri: vscode.Uri, text: string): Promise<boolean> {
  const bytes = new TextEncoder().encode(text);
  try {
    const current = await vscode.workspace.fs.readFile(uri);
    if (Buffer.from(current).equals(bytes)) {
      return false;
    }
  } catch {
    // Not there yet.
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, bytes);
  return true;
}
