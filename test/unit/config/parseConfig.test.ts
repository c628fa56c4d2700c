import { strict as assert } from 'node:assert';
import { parseConfig, parseConfigText } from '../../../src/core/config/parseConfig';

describe('parseConfig', () => {
  it('reads stdio, http and sse servers, inferring the type from command or url', () => {
    const parsed = parseConfig({
      servers: {
        fs: { command: 'npx', args: ['-y', 'server'], env: { TOKEN: '${input:token}', PORT: 8080, GONE: null }, cwd: '/tmp' },
        remote: { url: 'https://example.invalid/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
        legacy: { type: 'sse', url: 'http://127.0.0.1:1/sse' },
      },
      inputs: [{ type: 'promptString', id: 'token', description: 'API token', password: true }],
    });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.servers, [
      {
        name: 'fs',
        type: 'stdio',
        command: 'npx',
        args: ['-y', 'server'],
        env: { TOKEN: '${input:token}', PORT: '8080' },
        envFile: undefined,
        cwd: '/tmp',
      },
      { name: 'remote', type: 'http', url: 'https://example.invalid/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
      { name: 'legacy', type: 'sse', url: 'http://127.0.0.1:1/sse', headers: {} },
    ]);
    assert.deepEqual(parsed.inputs, [{ type: 'promptString', id: 'token', description: 'API token', password: true }]);
  });

  it('reports each bad entry with its path and keeps the good ones', () => {
    const parsed = parseConfig({
      servers: {
        good: { command: 'node' },
        badArgs: { command: 'node', args: 'not-an-array' },
        noCommand: { type: 'stdio' },
        neither: { cwd: '/tmp' },
        badType: { type: 'websocket', url: 'ws://x' },
        badUrl: { url: 'not a url' },
        notObject: 42,
      },
    });
    assert.deepEqual(
      parsed.servers.map((server) => server.name),
      ['good'],
    );
    assert.deepEqual(parsed.problems, [
      'servers.badArgs.args: expected array, received string',
      'servers.noCommand.command: expected string, received undefined',
      'servers.neither: needs "command" (a stdio server) or "url" (an http or sse server)',
      'servers.badType.type: expected "stdio", "http" or "sse", received "websocket"',
      'servers.badUrl.url: expected an http(s) URL, received "not a url"',
      'servers.notObject: expected object, received number',
    ]);
  });

  it('rejects a document that is not an object, and bad inputs, without throwing', () => {
    assert.deepEqual(parseConfig([]).problems, ['config: expected an object with "servers", received array']);
    assert.deepEqual(parseConfig({ servers: [] }).problems, ['servers: expected object, received array']);
    assert.deepEqual(parseConfig({ servers: {}, inputs: [{ type: 'promptString' }] }).problems, [
      'inputs.0.id: expected string, received undefined',
    ]);
  });

  it('accepts comments and trailing commas as VS Code does, and names the line of a JSON error', () => {
    const ok = parseConfigText('{\n  // a comment\n  "servers": { "a": { "command": "node", }, },\n}', 'mcp.json');
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.servers[0].name, 'a');
    const broken = parseConfigText('{\n  "servers": {\n    "a": { "command": "node" \n  }\n', 'mcp.json');
    assert.deepEqual(broken.servers, []);
    assert.match(broken.problems[0], /^mcp\.json: invalid JSON \(\w+ at line \d+\)$/);
  });
});
