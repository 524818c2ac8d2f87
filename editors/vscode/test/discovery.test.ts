import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryError, findServer } from '../src/discovery';
import { SERVER } from './server';

// Real executables only: the real server and small shell scripts that misbehave on purpose.
let tmp: string;
let version: string;
const script = (name: string, body: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};
const emptyExt = () => fs.mkdtempSync(path.join(tmp, 'ext-'));

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-discovery-'));
  version = execFileSync(SERVER, ['--version'], { encoding: 'utf8', timeout: 5000 }).trim().replace(/^argus-lsp /, '');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('server discovery', () => {
  it('uses the argus.server.path setting first', async () => {
    const wrong = script('wrong-env', 'echo "argus-lsp 9.9.9"');
    const found = await findServer({ settingPath: SERVER, env: { ARGUS_LSP_PATH: wrong }, extensionPath: emptyExt() });
    expect(found).toEqual({ source: 'setting', path: SERVER, version });
  });

  it('falls back to ARGUS_LSP_PATH when the setting does not answer --version properly', async () => {
    const impostor = script('impostor', 'echo "rust-analyzer 1.0"');
    const found = await findServer({ settingPath: impostor, env: { ARGUS_LSP_PATH: SERVER, PATH: '' }, extensionPath: emptyExt() });
    expect(found).toEqual({ source: 'env', path: SERVER, version });
  });

  it('then the bundled binary, made executable if unpacking lost the bit', async () => {
    const ext = emptyExt();
    fs.mkdirSync(path.join(ext, 'server'));
    const bundled = path.join(ext, 'server', 'argus-lsp');
    fs.copyFileSync(SERVER, bundled);
    fs.chmodSync(bundled, 0o644);
    const found = await findServer({ env: { ARGUS_LSP_PATH: path.join(tmp, 'missing') }, extensionPath: ext });
    expect(found).toEqual({ source: 'bundled', path: bundled, version });
    expect(fs.statSync(bundled).mode & 0o111).not.toBe(0);
  });

  it('then argus-lsp on PATH', async () => {
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    fs.symlinkSync(SERVER, path.join(bin, 'argus-lsp'));
    const found = await findServer({ env: { PATH: ['/nonexistent', bin].join(path.delimiter) }, extensionPath: emptyExt() });
    expect(found).toEqual({ source: 'path', path: path.join(bin, 'argus-lsp'), version });
  });

  it('fails with every attempt and the fix when nothing works', async () => {
    const crash = script('crash', 'echo "boom" >&2; exit 3');
    const hang = script('hang', 'sleep 10');
    const err = await findServer({
      settingPath: crash,
      env: { ARGUS_LSP_PATH: hang, PATH: '/nonexistent' },
      extensionPath: emptyExt(),
      timeoutMs: 300,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DiscoveryError);
    expect((err as DiscoveryError).attempts.map((a) => [a.source, a.problem])).toEqual([
      ['setting', '--version failed: boom'],
      ['env', '--version did not answer within 300 ms'],
      ['bundled', 'does not exist'],
      ['path', 'not found on PATH'],
    ]);
    expect(err.message).toContain(`setting argus.server.path: ${crash}`);
    expect(err.message).toContain('Fix: build it (`cargo build --release`) and set "argus.server.path"');
  });
});
