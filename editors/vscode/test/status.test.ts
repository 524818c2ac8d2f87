import { describe, expect, it } from 'vitest';
import { parseStatus, statusView } from '../src/status';

describe('status bar', () => {
  it('shows what is known without argus/status', () => {
    expect(statusView({ running: true, version: '0.1.0', filesWithFindings: 1 })).toEqual({
      text: '$(beaker) argus 1',
      tooltip: 'argus-lsp 0.1.0\n1 file with findings',
    });
    expect(statusView({ running: false, filesWithFindings: 0 }).tooltip).toBe('argus-lsp is not running');
    expect(statusView({ running: false, filesWithFindings: 0, error: 'argus-lsp not found' })).toEqual({ text: '$(error) argus', tooltip: 'argus-lsp not found' });
  });

  it('adds backend, browser and failing tests from argus/status', () => {
    const status = parseStatus({ backend: 'offline', browser: 'ready', failing_tests: 2 });
    expect(statusView({ running: true, version: '0.1.0', filesWithFindings: 3, status })).toEqual({
      text: '$(beaker) argus 3 · 2 failing · $(cloud-offline)',
      tooltip: 'argus-lsp 0.1.0\n3 files with findings\nbackend offline\nbrowser ready\n2 failing tests',
    });
  });

  it('ignores malformed argus/status payloads', () => {
    expect(parseStatus(null)).toBeUndefined();
    expect(parseStatus({ backend: 'up', browser: 'ready', failing_tests: 1 })).toBeUndefined();
    expect(parseStatus({ backend: 'connected', browser: 'ready' })).toBeUndefined();
    expect(parseStatus({ backend: 'not_configured', browser: 'not_started', failing_tests: 0 })).toEqual({
      backend: 'not_configured',
      browser: 'not_started',
      failing_tests: 0,
    });
  });
});
