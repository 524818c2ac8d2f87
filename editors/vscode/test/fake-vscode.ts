// The VS Code API boundary, faked: only what src/commands.ts touches (messages, the active
// editor). Everything behind it (discovery, settings, the server) is real in the tests.
export interface Shown {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export const shown: Shown[] = [];

type Editor = { document: { uri: { toString(): string } }; selection: { active: { line: number; character: number } } };

export const window = {
  activeTextEditor: undefined as Editor | undefined,
  showInformationMessage: async (message: string) => void shown.push({ level: 'info', message }),
  showWarningMessage: async (message: string) => void shown.push({ level: 'warning', message }),
  showErrorMessage: async (message: string) => void shown.push({ level: 'error', message }),
};

export function reset() {
  shown.length = 0;
  window.activeTextEditor = undefined;
}
