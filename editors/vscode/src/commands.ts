// Commands that run on the server through `workspace/executeCommand`. They are sent only when
// the server lists them in `executeCommandProvider.commands`; otherwise the user is told.
import * as vscode from 'vscode';

/** Server-side command ids (what argus-lsp advertises). */
export const SERVER_COMMANDS = {
  refresh: 'argus.refresh',
  validate: 'argus.validateSelector',
  snapshot: 'argus.snapshotLocators',
} as const;

/** The part of a LanguageClient the commands need. */
export interface CommandClient {
  initializeResult?: {
    capabilities?: { executeCommandProvider?: { commands?: string[] } };
    serverInfo?: { name: string; version?: string };
  };
  sendRequest(method: string, params: unknown): Promise<unknown>;
}

export function advertised(client: CommandClient | undefined, command: string): boolean {
  return client?.initializeResult?.capabilities?.executeCommandProvider?.commands?.includes(command) ?? false;
}

function serverVersion(client: CommandClient): string {
  const info = client.initializeResult?.serverInfo;
  return info?.version ? `${info.name} ${info.version}` : 'unknown version';
}

/** Returns what the server answered, or undefined when nothing was sent or it failed. */
export async function runServerCommand(client: CommandClient | undefined, command: string, args: unknown[]): Promise<unknown> {
  if (!client) {
    void vscode.window.showErrorMessage('Argus: the server is not running. See "Argus: Show Logs".');
    return undefined;
  }
  if (!advertised(client, command)) {
    void vscode.window.showWarningMessage(`Argus: ${command} is not supported by this argus-lsp version (${serverVersion(client)}).`);
    return undefined;
  }
  try {
    const result = await client.sendRequest('workspace/executeCommand', { command, arguments: args });
    if (typeof result === 'string' && result) void vscode.window.showInformationMessage(`Argus: ${result}`);
    return result;
  } catch (e) {
    void vscode.window.showErrorMessage(`Argus: ${command} failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** What `argus.refresh` answers. */
export interface RefreshResult {
  reports: number;
  new_runs: number;
  runs: number;
  findings: number;
  failing_tests: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line for the user from `argus.refresh`'s answer; undefined for any other shape. */
export function refreshSummary(value: unknown): string | undefined {
  const r = value as Partial<RefreshResult> | null;
  if (!r || typeof r !== 'object') return undefined;
  if (![r.reports, r.new_runs, r.runs, r.failing_tests].every((n) => typeof n === 'number')) return undefined;
  if (r.reports === 0 && r.runs === 0) return 'Argus: refreshed: no CI reports found in the workspace (setting argus.reports.globs).';
  return `Argus: refreshed: ${plural(r.failing_tests!, 'failing test')} · ${plural(r.runs!, 'run')} (${r.new_runs} new) from ${plural(r.reports!, 'report')}.`;
}

/** Re-read the CI reports on the server and tell the user what it found. */
export async function refreshFailures(client: CommandClient | undefined) {
  const result = await runServerCommand(client, SERVER_COMMANDS.refresh, []);
  const summary = refreshSummary(result);
  if (summary) void vscode.window.showInformationMessage(summary);
  return result;
}

/**
 * Language-client middleware for the commands the client runs itself (the ids the server
 * advertises, e.g. the history code lens's `argus.refresh`): the refresh summary is shown
 * there too.
 */
export async function executeCommandMiddleware(command: string, args: unknown[], next: (command: string, args: unknown[]) => unknown): Promise<unknown> {
  const result = await next(command, args);
  if (command === SERVER_COMMANDS.refresh) {
    const summary = refreshSummary(result);
    if (summary) void vscode.window.showInformationMessage(summary);
  }
  return result;
}

/** One TextDocumentPositionParams argument: the cursor in the active editor. */
export function validateSelectorAtCursor(client: CommandClient | undefined) {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Argus: put the cursor on a selector in a test file first.');
    return Promise.resolve(undefined);
  }
  const { line, character } = editor.selection.active;
  return runServerCommand(client, SERVER_COMMANDS.validate, [
    { textDocument: { uri: editor.document.uri.toString() }, position: { line, character } },
  ]);
}

/** One `{ textDocument }` argument: the active file. */
export function snapshotLocators(client: CommandClient | undefined) {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Argus: open a test file first.');
    return Promise.resolve(undefined);
  }
  return runServerCommand(client, SERVER_COMMANDS.snapshot, [{ textDocument: { uri: editor.document.uri.toString() } }]);
}
