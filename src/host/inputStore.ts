import * as vscode from 'vscode';
import { inputKey, type InputScope } from '../core/config/inputScope';
import type { InputSpec } from '../core/config/serverConfig';

const keyPrefix = 'codeMode.input.';
const knownKeys = 'codeMode.inputKeys';

/** The inputs a configuration file declares, and where their values are used. */
export interface InputLayer {
  specs: readonly InputSpec[];
  /** The user's mcp.json: workspace '' (its values serve every workspace); `.vscode/mcp.json`: the folder's URI. */
  scope: InputScope;
}

/**
 * Values of `${input:ID}`: asked once per workspace and server configuration (masked when `password`), then kept in
 * SecretStorage under a key of both (see inputKey). A server's inputs are those of the file that configures it, as in
 * VS Code. Never logged, never handed to the sandbox: only server transports see them.
 */
export class InputStore {
  private layers: readonly InputLayer[] = [];
  private layerOf = new Map<string, number>();
  private readonly asking = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** `layerOf`: the index in `layers` of each server's file. */
  setLayers(layers: readonly InputLayer[], layerOf: ReadonlyMap<string, number>): void {
    this.layers = layers;
    this.layerOf = new Map(layerOf);
  }

  async get(id: string, server: string): Promise<string | undefined> {
    const layer = this.layers[this.layerOf.get(server) ?? -1];
    if (!layer) {
      return undefined;
    }
    const key = keyPrefix + inputKey(id, layer.scope);
    const stored = await this.secrets.get(key);
    if (stored !== undefined) {
      return stored;
    }
    const spec = layer.specs.find((candidate) => candidate.id === id);
    if (!spec) {
      return undefined;
    }
    let pending = this.asking.get(key);
    if (!pending) {
      pending = this.ask(spec, key).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    return pending;
  }

  async clear(): Promise<number> {
    const keys = this.state.get<string[]>(knownKeys, []);
    await Promise.all(keys.map((key) => this.secrets.delete(key)));
    await this.state.update(knownKeys, []);
    return keys.length;
  }

  private async ask(spec: InputSpec, key: string): Promise<string | undefined> {
    this.log.info(`asking for \${input:${spec.id}}: no value saved for this workspace and server configuration`);
    const title = `Code Mode: ${spec.description ?? `value for \${input:${spec.id}}`}`;
    const value =
      spec.type === 'pickString'
        ? await vscode.window.showQuickPick(spec.options ?? [], { title, ignoreFocusOut: true })
        : await vscode.window.showInputBox({ title, value: spec.default, password: spec.password, ignoreFocusOut: true });
    if (value !== undefined) {
      await this.secrets.store(key, value);
      const keys = new Set(this.state.get<string[]>(knownKeys, []));
      await this.state.update(knownKeys, [...keys.add(key)]);
    }
    return value;
  }
}
