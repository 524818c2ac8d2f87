// The real argus-lsp over stdio with vscode-jsonrpc (the library the language client uses).
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
  /** Every other notification received so far (publishDiagnostics, argus/status, …), in order. */
  notifications: { method: string; params: any }[];
  /** The server's XDG_CACHE_HOME. */
  cacheDir: string;
  close(): Promise<void>;
}

/**
 * The server gets a fresh XDG_CACHE_HOME (`cacheDir`, removed on close): its store of CI
 * history never lands in the user's cache.
 */
export async function startServer(initializationOptions: unknown, rootDir?: string): Promise<Session> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-vscode-cache-'));
  const child: ChildProcess = spawn(SERVER, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, XDG_CACHE_HOME: cacheDir } });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout!), new rpc.StreamMessageWriter(child.stdin!));
  const messages: Session['messages'] = [];
  const notifications: Session['notifications'] = [];
  conn.onNotification('window/showMessage', (p: { type: number; message: string }) => void messages.push(p));
  conn.onNotification((method: string, params: any) => void notifications.push({ method, params }));
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
    notifications,
    cacheDir,
    close: async () => {
      try {
        await withTimeout(conn.sendRequest('shutdown'), 5000, 'shutdown');
        await conn.sendNotification('exit');
      } catch {
        // killed below anyway
      }
      conn.dispose();
      // The store is removed only once the server is gone (it may still be writing).
      const exited = () => new Promise<boolean>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
        const timer = setTimeout(() => resolve(false), 5000);
        child.once('exit', () => (clearTimeout(timer), resolve(true)));
      });
      if (!(await exited())) {
        child.kill('SIGKILL');
        await exited();
      }
      fs.rmSync(cacheDir, { recursive: true, force: true });
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
