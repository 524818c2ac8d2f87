// CI failures over real JSON-RPC: the real server on a fresh copy of the example project with its
// real Playwright and pytest reports (written on another machine with that machine's absolute
// paths; the server matches them by path suffix). What the extension does with them is checked
// at its boundary: the refresh command's summary, the status bar from the real `argus/status`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as commands from '../src/commands';
import { parseStatus, statusView } from '../src/status';
import * as fake from './fake-vscode';
import { eventually, type Session, startServer } from './server';

const EXAMPLES = path.resolve(__dirname, '../../../tests/examples');

let root: string;
let session: Session;
let sent: string[];

/** The project as a team has it: the suites, the reports, the Playwright config (root marker). */
function exampleWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-vscode-ci-'));
  for (const sub of ['playwright', 'python', 'reports']) fs.cpSync(path.join(EXAMPLES, sub), path.join(dir, sub), { recursive: true });
  fs.copyFileSync(path.join(EXAMPLES, 'playwright.config.ts'), path.join(dir, 'playwright.config.ts'));
  return dir;
}

const uriOf = (rel: string) => `file://${path.join(root, rel)}`;
const statuses = () => session.notifications.filter((n) => n.method === 'argus/status').map((n) => n.params);
/** The latest diagnostics published for each URI. */
const published = () => {
  const latest = new Map<string, any[]>();
  for (const n of session.notifications) if (n.method === 'textDocument/publishDiagnostics') latest.set(n.params.uri, n.params.diagnostics);
  return latest;
};
const ciFailures = (uri: string) => (published().get(uri) ?? []).filter((d) => d.code === 'ci-failure');

const client = (): commands.CommandClient => ({
  initializeResult: session.initializeResult,
  sendRequest: (method, params: any) => {
    sent.push(params.command);
    return session.sendRequest(method, params);
  },
});

beforeAll(async () => {
  root = exampleWorkspace();
  session = await startServer(null, root);
  // Ingestion runs after `initialized`, in the background: wait until the reports are in.
  const ready = await eventually(() => statuses().some((s) => s.failing_tests > 0) && ciFailures(uriOf('playwright/catalog.spec.ts')).length > 0, 15_000);
  if (!ready) throw new Error(`no CI failures from the example reports; notifications: ${JSON.stringify(session.notifications.map((n) => n.method))}`);
});
afterAll(async () => {
  await session?.close();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  sent = [];
});

describe('CI failures from the example reports (real server)', () => {
  it('publishes ci-failure on the stale selector of a file never opened, counted by the status bar', () => {
    const text = fs.readFileSync(path.join(root, 'playwright/catalog.spec.ts'), 'utf8');
    const lines = text.split('\n');
    const needle = 'button.add-to-cart';
    const line = lines.findIndex((l) => l.includes(`'${needle}'`));
    const character = lines[line].indexOf(`'${needle}'`) + 1; // inside the quotes (ASCII: UTF-16 = bytes)
    const d = ciFailures(uriOf('playwright/catalog.spec.ts')).find((x) => x.data?.selector?.includes(needle));
    expect(d, 'the add-to-cart failure').toBeDefined();
    expect(d.range).toEqual({ start: { line, character }, end: { line, character: character + needle.length } });
    expect(d.severity).toBe(1); // Error
    // The status bar counts files with diagnostics whose source is `argus`.
    expect(d.source).toBe('argus');
    expect(d.message.split('\n')[0]).toBe("fails 1/1 runs · ui_change: locator('button.add-to-cart') not found");
    expect(d.data.root_cause).toBe('ui_change');
    expect(d.data.fix_kinds).toContain('update_selector');
    // A page object nobody opened gets the strict-mode failure of the checkout locator.
    expect(ciFailures(uriOf('playwright/pages/cart-page.ts')).map((x) => x.message.split('\n')[0])).toEqual([
      expect.stringContaining('matched 2 elements'),
    ]);
  });

  it('the status bar shows the real argus/status', () => {
    const last = statuses().at(-1);
    expect(Object.keys(last).sort()).toEqual(['backend', 'browser', 'failing_tests']);
    const status = parseStatus(last);
    expect(status).toEqual({ backend: 'not_configured', browser: 'not_started', failing_tests: last.failing_tests });
    const n = status!.failing_tests;
    expect(n).toBeGreaterThan(0);
    expect(statusView({ running: true, version: '0.1.0', filesWithFindings: 4, status })).toEqual({
      text: `$(beaker) argus 4 · ${n} failing`,
      tooltip: `argus-lsp 0.1.0\n4 files with findings\nbackend not configured\nbrowser not started\n${n} failing tests`,
    });
  });

  it('Refresh Failures runs argus.refresh and shows what it found', async () => {
    expect(commands.advertised(client(), commands.SERVER_COMMANDS.refresh)).toBe(true);
    const result = (await commands.refreshFailures(client())) as commands.RefreshResult;
    expect(sent).toEqual(['argus.refresh']);
    const reports = fs.readdirSync(path.join(root, 'reports'), { recursive: true }).filter((f) => /\.(xml|json)$/.test(String(f)));
    expect(result).toEqual({
      reports: reports.length, // every report under reports/ read again
      new_runs: 0, // already recorded at startup: not recorded twice
      runs: expect.any(Number),
      findings: expect.any(Number),
      failing_tests: statuses().at(-1).failing_tests, // agrees with argus/status
    });
    expect(result.runs).toBeGreaterThanOrEqual(2); // a Playwright run and a pytest run
    expect(fake.shown).toEqual([
      {
        level: 'info',
        message: `Argus: refreshed: ${result.failing_tests} failing tests · ${result.runs} runs (0 new) from ${result.reports} reports.`,
      },
    ]);
    // The history went to the store under the server's XDG_CACHE_HOME.
    expect(fs.readdirSync(path.join(session.cacheDir, 'argus-lsp'))).toHaveLength(1);
  });

  it('a click on the history lens (the client runs argus.refresh) shows the same summary', async () => {
    // Lenses are for open documents: open the spec as VS Code would.
    const uri = uriOf('playwright/catalog.spec.ts');
    const text = fs.readFileSync(path.join(root, 'playwright/catalog.spec.ts'), 'utf8');
    session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    let lenses: any[] | null = null;
    for (let i = 0; i < 100 && !lenses; i++) {
      lenses = (await session.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as any[] | null;
      if (!lenses) await new Promise((r) => setTimeout(r, 50));
    }
    expect(lenses, 'code lenses of the opened spec').not.toBeNull();
    const history = lenses!.find((l) => /^failed 1\/1 · last .+ ago$/.test(l.command?.title ?? ''));
    expect(history, JSON.stringify(lenses!.map((l) => l.command?.title))).toBeDefined();
    expect(history.command.command).toBe('argus.refresh');
    const next = (command: string, args: unknown[]) => session.sendRequest('workspace/executeCommand', { command, arguments: args });
    const result = (await commands.executeCommandMiddleware(history.command.command, history.command.arguments ?? [], next)) as commands.RefreshResult;
    expect(result.new_runs).toBe(0);
    expect(fake.shown).toEqual([{ level: 'info', message: commands.refreshSummary(result) }]);
    expect(fake.shown[0].message).toMatch(/^Argus: refreshed: [1-9]\d* failing tests? · /);
    // Any other command passes through untouched, and says nothing.
    fake.reset();
    await expect(commands.executeCommandMiddleware('argus.nope', [], next)).rejects.toThrow(/argus\.nope/);
    expect(fake.shown).toEqual([]);
  });
});
