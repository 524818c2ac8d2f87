// The real argus-lsp over stdio with vscode-jsonrpc (the library the language client uses).
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as rpc from 'vscode-jsonrpc/node';

/** $ARGUS_LSP_PATH (CI sets it), else the repo's target/debug/argus-lsp. */
export const SERVER = process.env.ARGUS_LSP_PATH || path.resolve(__dirname, '../../../target/debug/argus-lsp');

export interface Session {
  initializeResult: { capabilities: Record<string, any>; serverInfo?: { name: string; version?: string } };
  sendRequest(method: string, params: unknown): Promise<unknown>;
  notify(method: string, params: unknown): void;
  /** window/showMessage notifications received so far. */
  messages: { type: number; message: string }[];
  close(): Promise<void>;
}

export async function startServer(initializationOptions: unknown, rootDir?: string): Promise<Session> {
  const child: ChildProcess = spawn(SERVER, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout!), new rpc.StreamMessageWriter(child.stdin!));
  const messages: Session['messages'] = [];
  conn.onNotification('window/showMessage', (p: { type: number; message: string }) => void messages.push(p));
  conn.onRequest(() => null); // client/registerCapability and friends
  conn.listen();
  const initializeResult = (await withTimeout(
    conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: rootDir ? `file://${rootDir}` : null,
      capabilities: { workspace: { configuration: false } },
      initializationOptions,
    }),
    10_000,
    'initialize',
  )) as Session['initializeResult'];
  await conn.sendNotification('initialized', {});
  return {
    initializeResult,
    sendRequest: (method, params) => withTimeout(conn.sendRequest(method, params), 10_000, method),
    notify: (method, params) => void conn.sendNotification(method, params),
    messages,
    close: async () => {
      try {
        await withTimeout(conn.sendRequest('shutdown'), 5000, 'shutdown');
        await conn.sendNotification('exit');
      } catch {
        // killed below anyway
      }
      conn.dispose();
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

/** Wait until pred() holds, polling; false after ms. */
export async function eventually(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return pred();
}
