import * as vscode from 'vscode';
import type { InputSpec } from '../core/config/serverConfig';

const keyPrefix = 'codeMode.input.';
const knownKeys = 'codeMode.inputIds';

/**
 * Values of `${input:ID}`: asked once (masked when `password`), then kept in SecretStorage. Never logged, never
 * handed to the sandbox: only server transports see them.
 */
export class InputStore {
  private specs = new Map<string, InputSpec>();
  private readonly asking = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  setSpecs(specs: readonly InputSpec[]): void {
    this.specs = new Map(specs.map((spec) => [spec.id, spec]));
  }

  async get(id: string): Promise<string | undefined> {
    const stored = await this.secrets.get(keyPrefix + id);
    if (stored !== undefined) {
      return stored;
    }
    const spec = this.specs.get(id);
    if (!spec) {
      return undefined;
    }
    let pending = this.asking.get(id);
    if (!pending) {
      pending = this.ask(spec).finally(() => this.asking.delete(id));
      this.asking.set(id, pending);
    }
    return pending;
  }

  async clear(): Promise<number> {
    const ids = this.state.get<string[]>(knownKeys, []);
    await Promise.all(ids.map((id) => this.secrets.delete(keyPrefix + id)));
    await this.state.update(knownKeys, []);
    return ids.length;
  }

  private async ask(spec: InputSpec): Promise<string | undefined> {
    const title = `Code Mode: ${spec.description ?? `value for \${input:${spec.id}}`}`;
    const value =
      spec.type === 'pickString'
        ? await vscode.window.showQuickPick(spec.options ?? [], { title, ignoreFocusOut: true })
        : await vscode.window.showInputBox({ title, value: spec.default, password: spec.password, ignoreFocusOut: true });
    if (value !== undefined) {
      await this.secrets.store(keyPrefix + spec.id, value);
      const ids = new Set(this.state.get<string[]>(knownKeys, []));
      await this.state.update(knownKeys, [...ids.add(spec.id)]);
    }
    return value;
  }
}
