// Connect time of one stdio server by how the protocol era is found: the 2025 handshake alone (what the SDK v1
// client did), the 2026-07-28 probe on the session's own pipe (the hub's first connect), the era remembered from the
// last connection (the hub's reconnects), and the SDK's default probe on a sibling process (for comparison).
import { Client, type PriorDiscovery } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { join } from 'node:path';
import { createTransport } from '../src/core/mcp/transport';
import { formatTiming, interleave } from './stats';

const fixtures = join(__dirname, '..', 'out', 'fixtures');
const servers = {
  'SDK v1 server (2025 only)': [join(fixtures, 'testServer.js')],
  'SDK v2 server (both eras)': [join(fixtures, 'v2TestServer.js')],
};

async function connect(args: string[], mode: 'legacy' | 'auto', how: { prior?: PriorDiscovery; sibling?: boolean } = {}): Promise<Client> {
  const client = new Client({ name: 'codemode-bench', version: '0' }, { versionNegotiation: { mode } });
  const params = { command: process.execPath, args };
  const transport = how.sibling
    ? new StdioClientTransport(params)
    : createTransport({ name: 'bench', type: 'stdio', ...params, env: {} }).transport;
  await client.connect(transport, { prior: how.prior });
  return client;
}

async function timedConnect(args: string[], mode: 'legacy' | 'auto', how?: { prior?: PriorDiscovery; sibling?: boolean }): Promise<void> {
  const client = await connect(args, mode, how);
  await client.close();
}

/** Markdown lines: one row per server and way of connecting, median (min–max) ms. */
export async function measureConnectTimes(runs = 10): Promise<string[]> {
  const lines = ['| Server | How the era is found | Connect ms, median (min–max) |', '|---|---|---|'];
  for (const [server, args] of Object.entries(servers)) {
    const first = await connect(args, 'auto');
    const discover = first.getDiscoverResult();
    const era: PriorDiscovery = first.getProtocolEra() === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' };
    await first.close();
    const measured = await interleave(
      {
        '2025 handshake only (SDK v1 behaviour)': () => timedConnect(args, 'legacy'),
        'probe on the session pipe (first connect)': () => timedConnect(args, 'auto'),
        'era remembered (reconnect)': () => timedConnect(args, 'auto', { prior: era }),
        'SDK default: probe on a sibling process': () => timedConnect(args, 'auto', { sibling: true }),
      },
      runs,
    );
    for (const [how, { timing, error }] of Object.entries(measured)) {
      lines.push(`| ${server} | ${how} | ${error ? `failed: ${error}` : formatTiming(timing)} |`);
    }
  }
  return lines;
}
