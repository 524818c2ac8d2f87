// Wiring only: discovery, settings and commands live in their own modules (unit-tested
// without VS Code); this file connects them to the VS Code API and the language client.
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import * as commands from './commands';
import { DiscoveryError, findServer } from './discovery';
import { serverKeys, toServerSettings } from './settings';
import { type ArgusStatus, parseStatus, statusView } from './status';

const DOCUMENTS = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'].map((language) => ({
  scheme: 'file',
  language,
}));

let client: LanguageClient | undefined;
let version: string | undefined;
let lastStatus: ArgusStatus | undefined;
let startError: string | undefined;

export async function activate(context: vscode.ExtensionContext) {
  // One channel for server stderr and the client's trace (`argus.trace.server`).
  const output = vscode.window.createOutputChannel('Argus', { log: true });
  const bar = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 0);
  bar.command = 'argus.showLogs';
  bar.show();
  const keys = serverKeys(context.extension.packageJSON);
  const settings = () => toServerSettings(keys, (k) => vscode.workspace.getConfiguration().inspect(k));

  const render = () => {
    const files = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'argus')).length;
    const view = statusView({ running: client?.isRunning() ?? false, version, filesWithFindings: files, status: lastStatus, error: startError });
    bar.text = view.text;
    bar.tooltip = view.tooltip;
  };

  const start = async () => {
    startError = undefined;
    lastStatus = undefined;
    try {
      const server = await findServer({
        settingPath: vscode.workspace.getConfiguration('argus').get<string>('server.path'),
        env: process.env,
        extensionPath: context.extensionPath,
      });
      version = server.version;
      output.info(`argus-lsp ${server.version} from ${server.source}: ${server.path}`);
      const serverOptions: ServerOptions = { command: server.path, args: ['lsp'] };
      const clientOptions: LanguageClientOptions = {
        documentSelector: DOCUMENTS,
        outputChannel: output,
        initializationOptions: settings(),
        // Clicking the history lens runs `argus.refresh` through the client: show its summary.
        middleware: { executeCommand: commands.executeCommandMiddleware },
      };
      // Client id `argus` makes the library read `argus.trace.server`.
      client = new LanguageClient('argus', 'Argus', serverOptions, clientOptions);
      client.onNotification('argus/status', (params: unknown) => {
        lastStatus = parseStatus(params);
        render();
      });
      await client.start();
    } catch (e) {
      client = undefined;
      startError = e instanceof DiscoveryError ? e.message : `argus-lsp failed to start: ${e instanceof Error ? e.message : String(e)}`;
      output.error(startError);
      void vscode.window.showErrorMessage(startError, 'Show Logs').then((pick) => pick && output.show());
    }
    render();
  };

  const stop = async () => {
    const c = client;
    client = undefined;
    if (c) await c.stop(5000).catch((e) => output.warn(`stopping argus-lsp: ${e}`));
  };

  // Client command ids differ from the server's: the language client registers the ids a
  // server advertises as VS Code commands itself, and duplicates would fail to register.
  context.subscriptions.push(
    output,
    bar,
    vscode.commands.registerCommand('argus.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('argus.refreshFailures', () => commands.refreshFailures(client)),
    vscode.commands.registerCommand('argus.validateSelectorAtCursor', () => commands.validateSelectorAtCursor(client)),
    vscode.commands.registerCommand('argus.snapshotFileLocators', () => commands.snapshotLocators(client)),
    vscode.commands.registerCommand('argus.showLogs', () => output.show()),
    vscode.languages.onDidChangeDiagnostics(render),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('argus')) return;
      if (e.affectsConfiguration('argus.server.path')) {
        await stop();
        await start();
      } else if (client?.isRunning()) {
        await client.sendNotification('workspace/didChangeConfiguration', { settings: { argus: settings() } });
      }
    }),
    { dispose: () => void stop() },
  );
  await start();
}

export function deactivate() {
  return client?.stop();
}
