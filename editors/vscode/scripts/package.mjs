// `npm run package`: copy the host's argus-lsp into server/, then build the .vsix offline.
// The binary: $ARGUS_LSP_BINARY, else ../../target/release/argus-lsp, else ../../target/debug/argus-lsp.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const exe = process.platform === 'win32' ? 'argus-lsp.exe' : 'argus-lsp';
const candidates = [
  process.env.ARGUS_LSP_BINARY,
  path.join(root, '../../target/release', exe),
  path.join(root, '../../target/debug', exe),
].filter(Boolean);
const binary = candidates.find((p) => fs.existsSync(p));
if (!binary) {
  console.error(`package: no argus-lsp binary; tried ${candidates.join(', ')}. Run \`cargo build --release\` or set ARGUS_LSP_BINARY.`);
  process.exit(1);
}
const version = execFileSync(binary, ['--version'], { timeout: 5000, encoding: 'utf8' }).trim();
fs.mkdirSync(path.join(root, 'server'), { recursive: true });
const target = path.join(root, 'server', exe);
fs.copyFileSync(binary, target);
fs.chmodSync(target, 0o755);
// Debug info is most of a binary's size (a debug build: ~130 MB → ~17 MB); a .vsix needs none.
try {
  execFileSync('strip', [target], { timeout: 60_000, stdio: 'ignore' });
} catch {
  console.warn('package: `strip` unavailable or failed; bundling the binary unstripped');
}
console.log(`package: bundling ${version} from ${binary}`);

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = process.env.ARGUS_VSIX_OUT ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`);
// --no-dependencies: everything is bundled by esbuild; vsce runs `vscode:prepublish` (the build).
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--out', out], {
  cwd: root,
  stdio: 'inherit',
  timeout: 120_000,
});
console.log(`package: ${out}`);
