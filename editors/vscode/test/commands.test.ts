import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as commands from '../src/commands';
import * as fake from './fake-vscode';
import { type Session, startServer } from './server';

// The commands run against the real server; only VS Code's messages and editor are faked.
let session: Session;
let sent: { method: string; params: any }[];
let client: commands.CommandClient;

/** The real session, recording what is sent; `advertise` adds commands to its capabilities. */
function recording(advertise: string[] = []): commands.CommandClient {
  const caps = session.initializeResult.capabilities;
  const real: string[] = caps.executeCommandProvider?.commands ?? [];
  return {
    initializeResult: { ...session.initializeResult, capabilities: { ...caps, executeCommandProvider: { commands: [...real, ...advertise] } } },
    sendRequest: (method, params) => {
      sent.push({ method, params });
      return session.sendRequest(method, params);
    },
  };
}

beforeAll(async () => {
  session = await startServer(null);
});
afterAll(() => session.close());
beforeEach(() => {
  fake.reset();
  sent = [];
  client = recording();
});

const version = () => `${session.initializeResult.serverInfo!.name} ${session.initializeResult.serverInfo!.version}`;
const editorAt = (line: number, character: number) => {
  fake.window.activeTextEditor = { document: { uri: { toString: () => 'file:///w/e2e/cart.spec.ts' } }, selection: { active: { line, character } } };
};

describe('server commands', () => {
  it.each([
    ['refresh failures', () => commands.refreshFailures(client), commands.SERVER_COMMANDS.refresh],
    ['validate selector', () => (editorAt(6, 30), commands.validateSelectorAtCursor(client)), commands.SERVER_COMMANDS.validate],
    ['snapshot locators', () => (editorAt(0, 0), commands.snapshotLocators(client)), commands.SERVER_COMMANDS.snapshot],
  ])('%s: sent when advertised and the user hears back; else told it is unsupported and nothing is sent', async (_, run, command) => {
    if (commands.advertised(client, command)) {
      // this server runs it: the request goes out and the user hears back (a result, or the
      // server's reason, e.g. no page to open for the fixture's relative goto)
      const result = await run();
      expect(sent.map((m) => (m as { params: { command: string } }).params.command)).toEqual([command]);
      if (command === commands.SERVER_COMMANDS.refresh) return expect(fake.shown.length).toBe(1);
      // the fake editor's file was never opened on the server: the user is told so
      expect(result).toBeUndefined();
      return expect(fake.shown).toEqual([{ level: 'error', message: `Argus: ${command} failed: argus: the file is not open` }]);
    }
    await run();
    expect(sent).toEqual([]);
    expect(fake.shown).toEqual([{ level: 'warning', message: `Argus: ${command} is not supported by this argus-lsp version (${version()}).` }]);
  });

  it('refresh failures: this server advertises argus.refresh; with no reports the user is told so', async () => {
    const result = await commands.refreshFailures(client);
    expect(sent).toEqual([{ method: 'workspace/executeCommand', params: { command: 'argus.refresh', arguments: [] } }]);
    expect(result).toEqual({ reports: 0, new_runs: 0, runs: 0, findings: 0, failing_tests: 0 });
    expect(fake.shown).toEqual([{ level: 'info', message: 'Argus: refreshed: no CI reports found in the workspace (setting argus.reports.globs).' }]);
  });

  it('refresh summary: counts, singulars, and nothing for other shapes', () => {
    expect(commands.refreshSummary({ reports: 1, new_runs: 1, runs: 1, findings: 1, failing_tests: 1 })).toBe(
      'Argus: refreshed: 1 failing test · 1 run (1 new) from 1 report.',
    );
    expect(commands.refreshSummary({ reports: 0, new_runs: 0, runs: 3, findings: 0, failing_tests: 0 })).toBe(
      'Argus: refreshed: 0 failing tests · 3 runs (0 new) from 0 reports.',
    );
    expect(commands.refreshSummary('done')).toBeUndefined();
    expect(commands.refreshSummary(null)).toBeUndefined();
    expect(commands.refreshSummary({ reports: 2, runs: 2 })).toBeUndefined();
  });

  it('validate selector sends the cursor as TextDocumentPositionParams when advertised', async () => {
    client = recording([commands.SERVER_COMMANDS.validate]);
    editorAt(6, 30);
    await commands.validateSelectorAtCursor(client);
    expect(sent).toEqual([
      {
        method: 'workspace/executeCommand',
        params: {
          command: 'argus.validateSelector',
          arguments: [{ textDocument: { uri: 'file:///w/e2e/cart.spec.ts' }, position: { line: 6, character: 30 } }],
        },
      },
    ]);
    // This server does not implement it: its real JSON-RPC error reaches the user.
    if (!commands.advertised(recording(), commands.SERVER_COMMANDS.validate)) {
      expect(fake.shown).toHaveLength(1);
      expect(fake.shown[0].level).toBe('error');
      expect(fake.shown[0].message).toMatch(/^Argus: argus\.validateSelector failed: /);
    }
  });

  it('snapshot sends the active file when advertised', async () => {
    client = recording([commands.SERVER_COMMANDS.snapshot]);
    editorAt(0, 0);
    await commands.snapshotLocators(client);
    expect(sent.map((s) => s.params)).toEqual([{ command: 'argus.snapshotLocators', arguments: [{ textDocument: { uri: 'file:///w/e2e/cart.spec.ts' } }] }]);
  });

  it('needs an editor for cursor commands and a running server for all', async () => {
    client = recording([commands.SERVER_COMMANDS.validate]);
    await commands.validateSelectorAtCursor(client);
    await commands.refreshFailures(undefined);
    expect(sent).toEqual([]);
    expect(fake.shown.map((s) => s.level)).toEqual(['warning', 'error']);
    expect(fake.shown[1].message).toContain('not running');
  });
});
