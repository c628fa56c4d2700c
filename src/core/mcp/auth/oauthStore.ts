/**
 * Where the OAuth state of remote servers (tokens, client registrations) is kept, as strings by key.
 * VS Code's `SecretStorage` has exactly this shape; the CLI and tests keep it in memory.
 */
export interface OAuthStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Forgets everything when the process ends: each run of the CLI signs in again. */
export class MemoryOAuthStore implements OAuthStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
