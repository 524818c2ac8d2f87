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

export function refreshFailures(client: CommandClient | undefined) {
  return runServerCommand(client, SERVER_COMMANDS.refresh, []);
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
