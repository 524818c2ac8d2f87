// The status bar text: what is known locally (server, version, files with findings) plus the
// optional `argus/status` notification once a server sends it.

export interface ArgusStatus {
  backend: 'connected' | 'offline' | 'not_configured';
  browser: 'ready' | 'unavailable' | 'not_started';
  failing_tests: number;
}

export interface StatusView {
  text: string;
  tooltip: string;
}

const BACKEND: Record<ArgusStatus['backend'], string> = {
  connected: 'backend connected',
  offline: 'backend offline',
  not_configured: 'backend not configured',
};
const BROWSER: Record<ArgusStatus['browser'], string> = {
  ready: 'browser ready',
  unavailable: 'browser unavailable',
  not_started: 'browser not started',
};

/** Accepts only a well-formed notification payload (servers may send partial ones later). */
export function parseStatus(value: unknown): ArgusStatus | undefined {
  const v = value as Partial<ArgusStatus> | null;
  if (!v || typeof v !== 'object') return undefined;
  if (!(v.backend! in BACKEND) || !(v.browser! in BROWSER) || typeof v.failing_tests !== 'number') return undefined;
  return { backend: v.backend!, browser: v.browser!, failing_tests: v.failing_tests };
}

export function statusView(state: { running: boolean; version?: string; filesWithFindings: number; status?: ArgusStatus; error?: string }): StatusView {
  if (state.error) return { text: '$(error) argus', tooltip: state.error };
  if (!state.running) return { text: '$(circle-slash) argus', tooltip: 'argus-lsp is not running' };
  const files = `${state.filesWithFindings} file${state.filesWithFindings === 1 ? '' : 's'} with findings`;
  const lines = [`argus-lsp ${state.version ?? '(unknown version)'}`, files];
  let text = `$(beaker) argus ${state.filesWithFindings}`;
  if (state.status) {
    const s = state.status;
    lines.push(BACKEND[s.backend], BROWSER[s.browser], `${s.failing_tests} failing test${s.failing_tests === 1 ? '' : 's'}`);
    text += ` · ${s.failing_tests} failing`;
    if (s.backend === 'offline') text += ' · $(cloud-offline)';
  }
  return { text, tooltip: lines.join('\n') };
}
