import { strict as assert } from 'node:assert';
import { mergeLayers } from '../../../src/core/config/configLayers';
import { parseConfig } from '../../../src/core/config/parseConfig';

describe('configuration layers', () => {
  it('a later layer replaces a server of the same name and records where each server comes from', () => {
    const user = parseConfig({ servers: { a: { command: 'user-a' }, b: { command: 'user-b' } } }, 'user');
    const workspace = parseConfig({ servers: { b: { command: 'ws-b' }, c: { url: 'https://example.invalid' } } }, 'ws');
    const merged = mergeLayers([
      { source: 'user', config: user },
      { source: 'ws', config: workspace },
    ]);
    assert.deepEqual(
      merged.servers.map((server) => [server.name, server.type === 'stdio' ? server.command : server.url]),
      [
        ['a', 'user-a'],
        ['b', 'ws-b'],
        ['c', 'https://example.invalid'],
      ],
    );
    assert.deepEqual(
      [...merged.layerOf],
      [
        ['a', 0],
        ['b', 1],
        ['c', 1],
      ],
    );
  });

  it("keeps every layer's problems", () => {
    const merged = mergeLayers([
      { source: 'user', config: parseConfig({ servers: { bad: {} } }, 'user') },
      { source: 'ws', config: parseConfig('nope', 'ws') },
    ]);
    assert.equal(merged.problems.length, 2);
  });
});
