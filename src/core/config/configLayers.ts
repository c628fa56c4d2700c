import type { ParsedConfig } from './parseConfig';
import type { ServerConfig } from './serverConfig';

/** One file or setting that names servers; its `${input:ID}`s are its own, as in VS Code. */
export interface ConfigLayer {
  /** For messages: `user mcp.json`, `.vscode/mcp.json`, `codeMode.servers`. */
  source: string;
  config: ParsedConfig;
}

export interface LayeredConfig {
  /** Every server, by name: a later layer's entry replaces an earlier one of the same name. */
  servers: ServerConfig[];
  problems: string[];
  /** The layer each server comes from (an index into the layers given), so its inputs are looked up there. */
  layerOf: Map<string, number>;
}

/** Merges layers from the most general (the user's) to the most specific (the workspace's): the specific one wins. */
export function mergeLayers(layers: readonly ConfigLayer[]): LayeredConfig {
  const byName = new Map<string, ServerConfig>();
  const layerOf = new Map<string, number>();
  layers.forEach((layer, index) => {
    for (const server of layer.config.servers) {
      byName.delete(server.name); // keeps the order: the replacing entry goes where its layer puts it
      byName.set(server.name, server);
      layerOf.set(server.name, index);
    }
  });
  return { servers: [...byName.values()], problems: layers.flatMap((layer) => layer.config.problems), layerOf };
}
