import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as yauzl from 'yauzl';
import { SERVER } from './server';

// Builds the .vsix exactly as `npm run package` does (offline), then opens it as the zip it is.
const root = path.join(__dirname, '..');
let tmp: string;
let entries: Map<string, { data: Buffer; mode: number }>;

function readZip(file: string): Promise<Map<string, { data: Buffer; mode: number }>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, { data: Buffer; mode: number }>();
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, { data: Buffer.concat(chunks), mode: (entry.externalFileAttributes >>> 16) & 0o777 });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'argus-vsix-'));
  const vsix = path.join(tmp, 'argus.vsix');
  execFileSync(process.execPath, ['scripts/package.mjs'], {
    cwd: root,
    env: { ...process.env, ARGUS_LSP_BINARY: SERVER, ARGUS_VSIX_OUT: vsix },
    stdio: 'pipe',
    timeout: 120_000,
  });
  entries = await readZip(vsix);
}, 150_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the packaged .vsix', () => {
  it('has a valid package.json whose entry point is inside', () => {
    const pkg = JSON.parse(entries.get('extension/package.json')!.data.toString('utf8'));
    const source = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('argus-lsp');
    expect(pkg.publisher).toBeTruthy();
    expect(pkg.engines.vscode).toBe('^1.91.0');
    expect(pkg.contributes.configuration.properties).toEqual(source.contributes.configuration.properties);
    expect(entries.has(path.posix.join('extension', pkg.main))).toBe(true);
    expect(entries.has('extension.vsixmanifest')).toBe(true);
  });

  it('bundles the client library and leaves sources and node_modules out', () => {
    const main = entries.get('extension/dist/extension.js')!.data.toString('utf8');
    expect(main).toContain('argus/status');
    expect(main).toMatch(/require\("vscode"\)/);
    const names = [...entries.keys()];
    expect(names.filter((n) => n.includes('node_modules/') || n.startsWith('extension/src/') || n.startsWith('extension/test/'))).toEqual([]);
  });

  it('carries an executable argus-lsp that runs --version', () => {
    const bin = entries.get('extension/server/argus-lsp');
    expect(bin).toBeDefined();
    expect(bin!.mode & 0o111).not.toBe(0);
    const file = path.join(tmp, 'argus-lsp');
    fs.writeFileSync(file, bin!.data, { mode: 0o755 });
    const want = execFileSync(SERVER, ['--version'], { encoding: 'utf8', timeout: 5000 });
    expect(execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 5000 })).toBe(want);
    expect(want).toMatch(/^argus-lsp \d+\.\d+\.\d+/);
  });
});
