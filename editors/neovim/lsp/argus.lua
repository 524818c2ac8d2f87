-- argus-lsp for Neovim 0.11+: with this directory on 'runtimepath',
-- `vim.lsp.enable('argus')` is all it takes (no plugin code runs).
-- `require('argus').setup()` adds settings, commands and keymaps on top of this.
local env = vim.env.ARGUS_LSP_PATH

---@type vim.lsp.Config
return {
  cmd = { (env and env ~= '') and env or 'argus-lsp' },
  filetypes = { 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python' },
  -- Priority order (0.11.3+): the project's own argus.toml, then a test runner config, then VCS.
  root_markers = {
    'argus.toml',
    'playwright.config.ts', 'playwright.config.js', 'playwright.config.mjs',
    'cypress.config.ts', 'cypress.config.js',
    'wdio.conf.ts', 'wdio.conf.js',
    'pytest.ini', 'conftest.py', 'pyproject.toml',
    'package.json',
    '.git',
  },
}
