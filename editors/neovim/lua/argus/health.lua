-- :checkhealth argus — server, browser, backend and argus.toml, each checked for real.
local M = {}
local h = vim.health

local TIMEOUT_MS = 5000

--- Run argv with a timeout; returns code (nil on timeout/spawn failure), stdout, stderr.
local function run(argv)
  local ok, proc = pcall(vim.system, argv, { text = true })
  if not ok then return nil, '', tostring(proc) end
  local r = proc:wait(TIMEOUT_MS)
  -- vim.system kills the process on timeout and reports code 124.
  if r.code == 124 then return nil, '', ('timed out after %d ms'):format(TIMEOUT_MS) end
  return r.code, vim.trim(r.stdout or ''), vim.trim(r.stderr or '')
end

local function first_exe(names)
  for _, name in ipairs(names) do
    local path = vim.fn.exepath(name)
    if path ~= '' then return path end
  end
end

--- The server executable from the resolved `argus` config, or nil plus why not.
local function server_exe()
  local config = vim.lsp.config.argus
  if not config then
    return nil, 'no `argus` LSP config: add editors/neovim to \'runtimepath\' (or install the plugin)'
  end
  if type(config.cmd) ~= 'table' or not config.cmd[1] then
    return nil, '`cmd` is not a list; cannot check it from here'
  end
  local exe = vim.fn.exepath(config.cmd[1])
  if exe == '' then
    return nil, ('`%s` not found or not executable. Build it (`cargo build --release`) and put it on $PATH, '
      .. 'set $ARGUS_LSP_PATH, or pass `cmd = { "/path/to/argus-lsp" }` to require("argus").setup()'):format(config.cmd[1])
  end
  return exe
end

local function check_server()
  h.start('argus: server')
  local exe, why = server_exe()
  if not exe then
    h.error(why)
    return nil
  end
  local code, out, err = run({ exe, '--version' })
  if code ~= 0 or not out:match('^argus%-lsp ') then
    h.error(('`%s --version` failed (exit %s): %s'):format(exe, tostring(code), err ~= '' and err or out),
      { 'Rebuild argus-lsp for this machine, or point $ARGUS_LSP_PATH at a working binary' })
    return nil
  end
  h.ok(('%s (%s)'):format(out, exe))
  for _, client in ipairs(vim.lsp.get_clients({ name = 'argus' })) do
    h.info(('running: client %d, root %s'):format(client.id, client.root_dir or '(single file)'))
  end
  return exe
end

local function check_browser()
  h.start('argus: browser (selector validation)')
  local tools = {
    { 'chromium', { 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable' }, 'apt-get install chromium' },
    { 'chromedriver', { 'chromedriver' }, 'apt-get install chromium-driver' },
  }
  for _, tool in ipairs(tools) do
    local path = first_exe(tool[2])
    if not path then
      h.warn(tool[1] .. ' not found: heals cannot be validated in a browser', { tool[3] })
    else
      local code, out = run({ path, '--version' })
      if code == 0 then
        h.ok(('%s: %s (%s)'):format(tool[1], out:gsub('\n.*', ''), path))
      else
        h.warn(('%s at %s does not run `--version`'):format(tool[1], path))
      end
    end
  end
end

local function check_backend()
  h.start('argus: backend')
  local settings = vim.tbl_get(vim.lsp.config.argus or {}, 'settings', 'argus') or {}
  local url = vim.tbl_get(settings, 'backend', 'url')
  if not url or url == '' then
    h.ok('not configured: local CI reports only (the embedded default)')
    return
  end
  h.info('configured: ' .. url)
  local reported = false
  for id, s in pairs(require('argus').status_by_client) do
    reported = true
    h.info(('client %d reports backend %s, browser %s'):format(id, tostring(s.backend), tostring(s.browser)))
  end
  if not reported then
    h.info('reachability is reported by the server (argus/status); none received yet')
  end
end

local function check_config(exe)
  h.start('argus: argus.toml')
  local found = vim.fs.find('argus.toml', { upward = true, path = vim.fn.getcwd(), type = 'file' })[1]
  if not found then
    h.ok('no argus.toml above ' .. vim.fn.getcwd() .. ': defaults in use')
    return
  end
  if not exe then
    h.warn(found .. ' found but not checked: no working argus-lsp')
    return
  end
  -- Let the server parse it: `check` on an empty directory only loads the config (exit 2 = bad config).
  local empty = vim.fn.tempname()
  vim.fn.mkdir(empty, 'p')
  local code, _, err = run({ exe, 'check', empty, '--config', found })
  vim.fn.delete(empty, 'rf')
  if code == 2 or code == nil then
    h.error(('%s does not parse: %s'):format(found, err))
  elseif err ~= '' then
    h.warn(('%s parsed with warnings: %s'):format(found, err))
  else
    h.ok(found .. ' parsed')
  end
end

function M.check()
  local exe = check_server()
  check_browser()
  check_backend()
  check_config(exe)
end

return M
