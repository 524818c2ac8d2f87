// Find a working argus-lsp: the `argus.server.path` setting, then $ARGUS_LSP_PATH, then the
// binary bundled in the extension, then `argus-lsp` on PATH. Each candidate must answer
// `--version` with `argus-lsp <version>`; the first that does wins. No VS Code API here.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Source = 'setting' | 'env' | 'bundled' | 'path';

export interface Server {
  path: string;
  version: string;
  source: Source;
}

export interface Attempt {
  source: Source;
  path: string;
  problem: string;
}

export interface DiscoveryInput {
  settingPath?: string;
  env: NodeJS.ProcessEnv;
  extensionPath: string;
  platform?: NodeJS.Platform;
  timeoutMs?: number;
}

export class DiscoveryError extends Error {
  constructor(readonly attempts: Attempt[]) {
    super(describeFailure(attempts));
  }
}

const exeName = (platform: NodeJS.Platform) => (platform === 'win32' ? 'argus-lsp.exe' : 'argus-lsp');

/** `argus-lsp --version` → version, or a reason it is not usable. */
export function probe(file: string, timeoutMs = 5000): Promise<{ version?: string; problem?: string }> {
  return new Promise((resolve) => {
    if (!fs.existsSync(file)) return resolve({ problem: 'does not exist' });
    execFile(file, ['--version'], { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException & { killed?: boolean }).killed
          ? `--version did not answer within ${timeoutMs} ms`
          : `--version failed: ${String(stderr).trim() || err.message}`;
        return resolve({ problem: why });
      }
      const m = /^argus-lsp (\S+)/.exec(String(stdout).trim());
      resolve(m ? { version: m[1] } : { problem: `--version printed ${JSON.stringify(String(stdout).trim())}, not "argus-lsp <version>"` });
    });
  });
}

/** Candidates in discovery order; PATH is resolved here so the error can name what was tried. */
export function candidates(input: DiscoveryInput): { source: Source; path: string }[] {
  const platform = input.platform ?? process.platform;
  const out: { source: Source; path: string }[] = [];
  const setting = input.settingPath?.trim();
  if (setting) out.push({ source: 'setting', path: expandHome(setting, input.env) });
  const env = input.env.ARGUS_LSP_PATH?.trim();
  if (env) out.push({ source: 'env', path: expandHome(env, input.env) });
  out.push({ source: 'bundled', path: path.join(input.extensionPath, 'server', exeName(platform)) });
  for (const dir of (input.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, exeName(platform));
    if (fs.existsSync(file)) {
      out.push({ source: 'path', path: file });
      break;
    }
  }
  return out;
}

export async function findServer(input: DiscoveryInput): Promise<Server> {
  const attempts: Attempt[] = [];
  for (const c of candidates(input)) {
    // A .vsix unpacked by some tools loses the executable bit of the bundled binary.
    if (c.source === 'bundled') ensureExecutable(c.path);
    const r = await probe(c.path, input.timeoutMs);
    if (r.version) return { ...c, version: r.version };
    attempts.push({ ...c, problem: r.problem ?? 'unusable' });
  }
  if (!attempts.some((a) => a.source === 'path')) {
    attempts.push({ source: 'path', path: exeName(input.platform ?? process.platform), problem: 'not found on PATH' });
  }
  throw new DiscoveryError(attempts);
}

function ensureExecutable(file: string) {
  try {
    const mode = fs.statSync(file).mode;
    if ((mode & 0o111) === 0) fs.chmodSync(file, mode | 0o755);
  } catch {
    // Missing or read-only: probe() reports it.
  }
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p.startsWith('~/') && env.HOME ? path.join(env.HOME, p.slice(2)) : p;
}

const LABEL: Record<Source, string> = {
  setting: 'setting argus.server.path',
  env: 'ARGUS_LSP_PATH',
  bundled: 'bundled binary',
  path: 'PATH',
};

export function describeFailure(attempts: Attempt[]): string {
  const tried = attempts.map((a) => `${LABEL[a.source]}: ${a.path} (${a.problem})`).join('; ');
  return (
    `argus-lsp not found or not working. Tried ${tried}. ` +
    'Fix: build it (`cargo build --release`) and set "argus.server.path" to target/release/argus-lsp, ' +
    'or put argus-lsp on PATH, then run "Argus: Restart Server".'
  );
}
