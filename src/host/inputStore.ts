import * as vscode from 'vscode';
import { inputKey, type InputScope } from '../core/config/inputScope';
import type { InputSpec } from '../core/config/serverConfig';

const keyPrefix = 'codeMode.input.';
const knownKeys = 'codeMode.inputKeys';

/**
 * Values of `${input:ID}`: asked once per workspace and server configuration (masked when `password`), then kept in
 * SecretStorage under a key of both (see inputKey). Never logged, never handed to the sandbox: only server
 * transports see them.
 */
export class InputStore {
  private specs = new Map<string, InputSpec>();
  private scope: InputScope = { workspace: '', servers: [] };
  private readonly asking = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  setSpecs(specs: readonly InputSpec[], scope: InputScope): void {
    this.specs = new Map(specs.map((spec) => [spec.id, spec]));
    this.scope = scope;
  }

  async get(id: string): Promise<string | undefined> {
    const key = keyPrefix + inputKey(id, this.scope);
    const stored = await this.secrets.get(key);
    if (stored !== undefined) {
      return stored;
    }
    const spec = this.specs.get(id);
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
