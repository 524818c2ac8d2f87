-- argus-lsp: settings, user commands, keymaps and status for Neovim 0.11+.
-- The server definition itself lives in lsp/argus.lua; this module only adds to it.
local M = {}

local COMMANDS = {
  refresh = 'argus.refresh',
  validate = 'argus.validateSelector',
  snapshot = 'argus.snapshotLocators',
}

--- Last `argus/status` notification per client id (absent until the server sends one).
M.status_by_client = {}

local function notify(msg, level)
  vim.notify('argus: ' .. msg, level or vim.log.levels.INFO)
end

--- The argus client for `bufnr` (or any argus client when the buffer has none).
function M.client(bufnr)
  return vim.lsp.get_clients({ name = 'argus', bufnr = bufnr or 0 })[1]
    or vim.lsp.get_clients({ name = 'argus' })[1]
end

local function plural(n, word)
  return ('%d %s%s'):format(n, word, n == 1 and '' or 's')
end

--- `argus.refresh` answers `{ reports, new_runs, runs, findings, failing_tests }`: one line
--- for the user. nil for any other shape (then the raw result is shown).
function M.refresh_summary(r)
  if type(r) ~= 'table' then return nil end
  for _, key in ipairs({ 'reports', 'new_runs', 'runs', 'failing_tests' }) do
    if type(r[key]) ~= 'number' then return nil end
  end
  if r.reports == 0 and r.runs == 0 then
    return 'refreshed: no CI reports found under the workspace root (setting reports.globs)'
  end
  return ('refreshed: %s · %s (%d new) from %s'):format(
    plural(r.failing_tests, 'failing test'), plural(r.runs, 'run'), r.new_runs, plural(r.reports, 'report'))
end

--- How each server command's result is shown (others: a string as is, else inspected).
local SUMMARIES = { [COMMANDS.refresh] = M.refresh_summary }

local function server_version(client)
  local info = client.server_info or {}
  return info.version and ((info.name or 'argus-lsp') .. ' ' .. info.version) or 'unknown version'
end

--- Run a server command through `workspace/executeCommand`, only when the server advertises it.
--- Returns true when the request was sent.
function M.execute(command, arguments, bufnr)
  local client = M.client(bufnr)
  if not client then
    notify('no argus-lsp client is running (is the buffer a test file, and argus-lsp on $PATH?)', vim.log.levels.ERROR)
    return false
  end
  local provided = vim.tbl_get(client.server_capabilities or {}, 'executeCommandProvider', 'commands') or {}
  if not vim.tbl_contains(provided, command) then
    notify(('%s is not supported by this argus-lsp version (%s)'):format(command, server_version(client)), vim.log.levels.WARN)
    return false
  end
  client:request('workspace/executeCommand', { command = command, arguments = arguments }, function(err, result)
    if err then
      notify(('%s failed: %s'):format(command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif result ~= nil and result ~= vim.NIL then
      local summary = SUMMARIES[command] and SUMMARIES[command](result)
      notify(summary or (type(result) == 'string' and result or vim.inspect(result)))
    end
  end, bufnr or 0)
  return true
end

function M.refresh()
  return M.execute(COMMANDS.refresh, {})
end

--- Validate the selector under the cursor: one TextDocumentPositionParams argument.
function M.validate()
  local client = M.client(0)
  local params = vim.lsp.util.make_position_params(0, client and client.offset_encoding or 'utf-16')
  return M.execute(COMMANDS.validate, { params }, 0)
end

--- Snapshot the locators of the current file: one `{ textDocument }` argument.
function M.snapshot()
  return M.execute(COMMANDS.snapshot, { { textDocument = vim.lsp.util.make_text_document_params(0) } }, 0)
end

--- Stop every argus client and start a fresh one for each buffer it served.
--- Returns the new client ids (empty when nothing was running).
function M.restart(timeout_ms)
  local clients = vim.lsp.get_clients({ name = 'argus' })
  local buffers = {}
  for _, client in ipairs(clients) do
    buffers[client.id] = vim.tbl_keys(client.attached_buffers)
    client:stop()
  end
  -- Wait until the clients are gone, not just stopped: vim.lsp.start() would reuse a stopped
  -- client that is still registered.
  local function gone()
    for _, client in ipairs(clients) do
      if vim.lsp.get_client_by_id(client.id) then return false end
    end
    return true
  end
  if not vim.wait(timeout_ms or 5000, gone, 20) then
    for _, client in ipairs(clients) do client:stop(true) end
    vim.wait(2000, gone, 20)
  end
  local new_ids = {}
  for _, client in ipairs(clients) do
    M.status_by_client[client.id] = nil
    -- Re-read the config so changes made since the first start apply; keep the old root.
    local config = vim.deepcopy(vim.lsp.config.argus)
    config.root_dir = client.root_dir
    for _, buf in ipairs(buffers[client.id]) do
      if vim.api.nvim_buf_is_loaded(buf) then
        local id = vim.lsp.start(config, { bufnr = buf })
        if id and not vim.tbl_contains(new_ids, id) then table.insert(new_ids, id) end
      end
    end
  end
  return new_ids
end

--- A short status line: server version, files with argus diagnostics, and what the server
--- reported through `argus/status` (backend, browser, failing tests) once it sends that.
function M.status()
  local client = M.client(0)
  if not client then return 'argus: not running' end
  local files = {}
  for _, d in ipairs(vim.diagnostic.get(nil, { namespace = vim.lsp.diagnostic.get_namespace(client.id) })) do
    files[d.bufnr] = true
  end
  local n = vim.tbl_count(files)
  local parts = { server_version(client), ('%d file%s with findings'):format(n, n == 1 and '' or 's') }
  local s = M.status_by_client[client.id]
  if s then
    -- The server sends snake_case states (`not_configured`, `not_started`).
    table.insert(parts, 'backend ' .. tostring(s.backend):gsub('_', ' '))
    table.insert(parts, 'browser ' .. tostring(s.browser):gsub('_', ' '))
    table.insert(parts, ('%s failing'):format(tostring(s.failing_tests)))
  end
  return table.concat(parts, ' · ')
end

local DEFAULT_KEYMAPS = { validate = '<leader>av', refresh = '<leader>ar', snapshot = '<leader>as' }

---@class argus.Opts
---@field cmd? string[]            server command (default: $ARGUS_LSP_PATH or `argus-lsp`)
---@field settings? table          server Config in its own snake_case shape (see :h argus-settings)
---@field filetypes? string[]
---@field root_markers? string[]
---@field keymaps? boolean|table   true for the defaults, or { validate=, refresh=, snapshot= }
---@field enable? boolean          call vim.lsp.enable('argus') (default true)

---@param opts? argus.Opts
function M.setup(opts)
  opts = opts or {}
  local settings = opts.settings or {}
  local config = {
    -- The server reads the Config object itself at initialize, and `{ argus = … }` on
    -- workspace/didChangeConfiguration (Neovim sends `settings` right after initialize).
    init_options = settings,
    settings = { argus = settings },
    -- Server commands the client runs itself (a code lens click, `vim.lsp.codelens.run()`):
    -- the history lens's `argus.refresh` goes through M.execute, so its summary is shown.
    commands = {
      [COMMANDS.refresh] = function(command, ctx)
        M.execute(command.command, command.arguments or {}, ctx.bufnr)
      end,
    },
    handlers = {
      ['argus/status'] = function(_, result, ctx)
        M.status_by_client[ctx.client_id] = result
        vim.api.nvim_exec_autocmds('User', { pattern = 'ArgusStatus', modeline = false })
      end,
    },
  }
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
    config[key] = opts[key]
  end
  vim.lsp.config('argus', config)

  local cmd = vim.api.nvim_create_user_command
  cmd('ArgusRefresh', M.refresh, { desc = 'argus: refresh failures from CI reports' })
  cmd('ArgusValidate', M.validate, { desc = 'argus: validate the selector under the cursor' })
  cmd('ArgusSnapshot', M.snapshot, { desc = 'argus: snapshot the locators of this file' })
  cmd('ArgusRestart', function()
    local ids = M.restart()
    notify(#ids > 0 and 'restarted' or 'no argus-lsp client was running')
  end, { desc = 'argus: restart the language server' })

  if opts.keymaps then
    local keys = opts.keymaps == true and DEFAULT_KEYMAPS or vim.tbl_extend('force', DEFAULT_KEYMAPS, opts.keymaps)
    vim.api.nvim_create_autocmd('LspAttach', {
      group = vim.api.nvim_create_augroup('argus.keymaps', { clear = true }),
      callback = function(args)
        local client = vim.lsp.get_client_by_id(args.data.client_id)
        if not client or client.name ~= 'argus' then return end
        for name, lhs in pairs(keys) do
          if lhs and M[name] then
            vim.keymap.set('n', lhs, M[name], { buffer = args.buf, desc = 'argus: ' .. name })
          end
        end
      end,
    })
  end

  if opts.enable ~= false then
    vim.lsp.enable('argus')
  end
end

return M
