import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Inspected, serverKeys, toServerSettings } from '../src/settings';
import { eventually, type Session, startServer } from './server';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const props: Record<string, { default: unknown }> = pkg.contributes.configuration.properties;
const keys = serverKeys(pkg);

/** Settings as if the user set `values` at the given scope (what VS Code's inspect() returns). */
const userSet = (values: Record<string, unknown>, scope: keyof Inspected = 'globalValue') => (key: string) =>
  key in values ? { [scope]: values[key] } : {};

let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('settings mapping', () => {
  it('sends every contributed setting except the client-only ones', () => {
    expect(keys).toContain('argus.selectors.max_combinators');
    expect(keys).toContain('argus.lints');
    expect(keys).not.toContain('argus.server.path');
    expect(keys).not.toContain('argus.trace.server');
    expect(keys.length).toBe(Object.keys(props).length - 2);
  });

  it('sends nothing the user did not set, so argus.toml stays in charge', () => {
    expect(toServerSettings(keys, () => ({}))).toEqual({});
  });

  it('nests dotted keys into the Config shape; folder beats workspace beats user', () => {
    const inspect = (key: string): Inspected =>
      ({
        'argus.selectors.max_combinators': { globalValue: 5 },
        'argus.selectors.test_id_attribute': { globalValue: 'data-x', workspaceValue: 'data-test' },
        'argus.lints': { globalValue: { 'hard-wait': 'off' }, workspaceValue: { 'hard-wait': 'hint' }, workspaceFolderValue: { 'hard-wait': 'error' } },
      })[key] ?? {};
    expect(toServerSettings(keys, inspect)).toEqual({
      selectors: { max_combinators: 5, test_id_attribute: 'data-test' },
      lints: { 'hard-wait': 'error' },
    });
  });

  it('the real server accepts every setting at its package.json default without a warning', async () => {
    const all = Object.fromEntries(keys.map((k) => [k, props[k].default]));
    const settings = toServerSettings(keys, userSet(all));
    session = await startServer(settings);
    // Also through didChangeConfiguration, wrapped as VS Code sends it.
    session.notify('workspace/didChangeConfiguration', { settings: { argus: settings } });
    await session.sendRequest('workspace/symbol', { query: '' });
    await new Promise((r) => setTimeout(r, 1000)); // a warning would arrive within this
    expect(session.messages).toEqual([]);
  });

  it('control: the real server does warn about a setting Config lacks', async () => {
    session = await startServer(toServerSettings(['argus.selectors.bogus'], userSet({ 'argus.selectors.bogus': 1 })));
    expect(await eventually(() => session!.messages.length > 0, 5000)).toBe(true);
    expect(session.messages[0].message).toContain('selectors.bogus');
  });
});
