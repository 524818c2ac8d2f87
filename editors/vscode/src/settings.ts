// VS Code `argus.*` settings → the server's Config JSON (nested, snake_case keys as-is).
// Walks the keys contributed in package.json, so a new Config field is a package.json change.

/** Settings only the client uses; never sent to the server. */
export const CLIENT_ONLY_PREFIXES = ['argus.server.', 'argus.trace.'];

export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** Server-relevant setting keys (`argus.selectors.max_combinators`, …) from package.json. */
export function serverKeys(packageJSON: { contributes?: { configuration?: { properties?: Record<string, unknown> } } }): string[] {
  return Object.keys(packageJSON.contributes?.configuration?.properties ?? {}).filter(
    (k) => k.startsWith('argus.') && !CLIENT_ONLY_PREFIXES.some((p) => k.startsWith(p)),
  );
}

/**
 * Only values the user set (any scope) are sent: defaults stay out so `argus.toml` keeps
 * control of everything the user did not override in the editor.
 */
export function toServerSettings(keys: string[], inspect: (key: string) => Inspected | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const i = inspect(key);
    const value = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (value === undefined) continue;
    const parts = key.split('.').slice(1);
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}
