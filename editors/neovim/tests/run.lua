-- Neovim plugin tests against the real argus-lsp binary, in a real headless Neovim.
--
--   ARGUS_LSP_PATH=/path/to/argus-lsp timeout 120 nvim --headless --clean -l editors/neovim/tests/run.lua
--
-- Prints one PASS/FAIL line per test and `nvim: N passed, M failed`; exits 1 on any failure.
-- Every wait is bounded. Code actions / heals are not asserted yet: the server has none
-- until issue 4 (heals) lands — add them here then (request codeAction on the selector,
-- apply the heal edit, assert the buffer holds the validated selector).

local here = vim.fn.fnamemodify(arg[0], ':p:h')
local plugin = vim.fn.fnamemodify(here, ':h')
local repo = vim.fn.fnamemodify(plugin, ':h:h')
vim.opt.rtp:prepend(plugin)
vim.cmd('filetype on')

local server = vim.env.ARGUS_LSP_PATH
if not server or server == '' then
  server = repo .. '/target/debug/argus-lsp'
  vim.env.ARGUS_LSP_PATH = server -- lsp/argus.lua reads it
end
local version = vim.trim(vim.system({ server, '--version' }, { text = true }):wait(5000).stdout or '')
io.stdout:write('server: ' .. server .. ' (' .. version .. ')\n')

local WAIT_MS = 10000
local passed, failed = 0, 0

-- The project is copied to a temp dir so nothing the server may write lands in the repo.
local function copy_tree(src, dst)
  vim.fn.mkdir(dst, 'p')
  for name, kind in vim.fs.dir(src) do
    if kind == 'directory' then
      copy_tree(src .. '/' .. name, dst .. '/' .. name)
    else
      vim.fn.writefile(vim.fn.readfile(src .. '/' .. name, 'b'), dst .. '/' .. name, 'b')
    end
  end
end
local project = vim.fn.tempname() .. '-argus-project'
copy_tree(here .. '/fixtures/project', project)
local spec = project .. '/e2e/cart.spec.ts'
local spec_lines = vim.fn.readfile(spec)

local function eq(want, got, what)
  if not vim.deep_equal(want, got) then
    error(('%s: want %s, got %s'):format(what or 'value', vim.inspect(want), vim.inspect(got)), 2)
  end
end

local function contains(haystack, needle, what)
  if not tostring(haystack):find(needle, 1, true) then
    error(('%s: %s does not contain %s'):format(what or 'text', vim.inspect(haystack), vim.inspect(needle)), 2)
  end
end

--- 0-based line and byte column of the first `needle` in the spec.
local function find(needle)
  for i, line in ipairs(spec_lines) do
    local col = line:find(needle, 1, true)
    if col then return i - 1, col - 1 end
  end
  error('not in spec: ' .. needle)
end

local function wait_for(what, pred)
  local last
  local ok = vim.wait(WAIT_MS, function()
    last = { pred() }
    return last[1] ~= nil and last[1] ~= false
  end, 20)
  if not ok then error(('timed out after %d ms waiting for %s (last: %s)'):format(WAIT_MS, what, vim.inspect(last)), 2) end
  return unpack(last)
end

local function argus_client(buf)
  return wait_for('an initialized argus client', function()
    local c = vim.lsp.get_clients({ name = 'argus', bufnr = buf })[1]
    return c and c.initialized and c
  end)
end

--- Diagnostics of `client` in `buf`, sorted, once at least `n` arrived.
local function diagnostics(buf, client, n)
  local ns = vim.lsp.diagnostic.get_namespace(client.id)
  local diags = wait_for(n .. ' diagnostics', function()
    local d = vim.diagnostic.get(buf, { namespace = ns })
    return #d >= n and d
  end)
  table.sort(diags, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return diags
end

local function codes(diags)
  return vim.tbl_map(function(d) return d.code end, diags)
end

local function request(client, buf, method, params)
  local r, err = client:request_sync(method, params, 5000, buf)
  if not r then error(method .. ': ' .. tostring(err), 2) end
  if r.err then error(method .. ': ' .. vim.inspect(r.err), 2) end
  return r.result
end

local function open_spec()
  vim.cmd.edit(vim.fn.fnameescape(spec))
  local buf = vim.api.nvim_get_current_buf()
  eq('typescript', vim.bo[buf].filetype, 'filetype')
  return buf, argus_client(buf)
end

local function reset()
  local clients = vim.lsp.get_clients()
  for _, c in ipairs(clients) do c:stop() end
  vim.wait(3000, function()
    for _, c in ipairs(clients) do
      if not c:is_stopped() then return false end
    end
    return true
  end, 20)
  for _, c in ipairs(clients) do c:stop(true) end
  vim.cmd('silent! %bwipeout!')
end

-- io.write, not print: print's message machinery drops newlines after :checkhealth.
local function say(line) io.stdout:write(line, '\n') end

local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then passed = passed + 1 else failed = failed + 1 end
  say(('%s %s%s'):format(ok and 'PASS' or 'FAIL', name, ok and '' or ('\n    ' .. tostring(err):gsub('\n', '\n    '))))
  reset()
end

--- Messages sent through vim.notify while fn runs (the UI boundary).
local function notifications(fn)
  local seen, orig = {}, vim.notify
  vim.notify = function(msg, level) table.insert(seen, { msg = msg, level = level }) end
  local ok, err = pcall(fn)
  vim.notify = orig
  if not ok then error(err, 2) end
  return seen
end

-- Plain 0.11 path: lsp/argus.lua alone, no require('argus').
vim.lsp.enable('argus')

test('lsp/argus.lua: vim.lsp.enable starts argus-lsp at the project root', function()
  local _, client = open_spec()
  eq(vim.fs.normalize(vim.uv.fs_realpath(project)), vim.fs.normalize(vim.uv.fs_realpath(client.root_dir)), 'root_dir')
  eq({ name = 'argus-lsp', version = version:match('^argus%-lsp (%S+)') }, client.server_info, 'serverInfo')
  eq('utf-8', client.offset_encoding, 'negotiated position encoding')
end)

test('diagnostics: lines, columns, codes, messages', function()
  local buf, client = open_spec()
  local diags = diagnostics(buf, client, 2)
  eq({ 'positional-selector', 'hard-wait' }, codes(diags), 'codes')
  local selector = 'ul.products > li:nth-child(2) button[title="añadir 🛒"]'
  local line, col = find(selector)
  -- utf-8 was negotiated, so columns are bytes: the range spans the selector past the emoji.
  eq({ line, col, line, col + #selector }, { diags[1].lnum, diags[1].col, diags[1].end_lnum, diags[1].end_col }, 'positional range')
  eq('argus', diags[1].source, 'source')
  contains(vim.split(diags[1].message, '\n')[1], 'nth-child', 'positional message')
  line = find('page.waitForTimeout(3000)')
  eq(line, diags[2].lnum, 'hard-wait line')
  eq('hard wait of 3000 ms: `waitForTimeout` sleeps whether or not the page is ready', vim.split(diags[2].message, '\n')[1], 'hard-wait message')
  eq(vim.diagnostic.severity.WARN, diags[2].severity, 'hard-wait severity')
  local href = vim.tbl_get(diags[2], 'user_data', 'lsp', 'codeDescription', 'href') or ''
  contains(href, '#hard-wait', 'codeDescription')
end)

test('diagnostics follow edits (incremental sync)', function()
  local buf, client = open_spec()
  diagnostics(buf, client, 2)
  local line = find('page.waitForTimeout(3000)')
  vim.api.nvim_buf_set_lines(buf, line, line + 1, true, { '    // no more sleeping' })
  local diags = wait_for('hard-wait to disappear', function()
    local d = vim.diagnostic.get(buf, { namespace = vim.lsp.diagnostic.get_namespace(client.id) })
    return #d == 1 and d
  end)
  eq({ 'positional-selector' }, codes(diags), 'codes after edit')
end)

test('hover on a locator shows its fragility', function()
  local buf, client = open_spec()
  diagnostics(buf, client, 1) -- the document is analysed
  local line, col = find("getByTestId('cart-count')")
  local hover = request(client, buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = col + 3 },
  })
  eq('markdown', hover.contents.kind, 'hover kind')
  contains(hover.contents.value, '**Fragility', 'hover')
  contains(hover.contents.value, 'cart-count', 'hover')
  line, col = find('ul.products')
  hover = request(client, buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = col + 2 },
  })
  contains(hover.contents.value, '**Fragility', 'hover on positional selector')
end)

test('document symbols: describe > test > step', function()
  local buf, client = open_spec()
  local symbols = request(client, buf, 'textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  eq('cart', symbols[1].name, 'describe')
  eq('adds an item', symbols[1].children[1].name, 'test')
  eq('pick', symbols[1].children[1].children[1].name, 'step')
  eq(find("test('adds an item'"), symbols[1].children[1].range.start.line, 'test line')
end)

test('code lens above the test counts locators and hard waits', function()
  local buf, client = open_spec()
  local lenses = request(client, buf, 'textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  eq(1, #lenses, 'one lens per test')
  eq(find("test('adds an item'"), lenses[1].range.start.line, 'lens line')
  eq('2 locators · 1 hard wait', lenses[1].command.title, 'lens title')
end)

-- From here on: require('argus').setup(), which layers settings and commands over lsp/argus.lua.
local argus = require('argus')
argus.setup({ settings = { lints = { ['hard-wait'] = 'off' }, selectors = { max_combinators = 3 } } })

test('setup(): settings reach the server (hard-wait off) and didChangeConfiguration updates them', function()
  local buf, client = open_spec()
  eq({ lints = { ['hard-wait'] = 'off' }, selectors = { max_combinators = 3 } }, client.config.init_options, 'init_options')
  local diags = diagnostics(buf, client, 1)
  vim.wait(300) -- a late hard-wait diagnostic would show up here
  eq({ 'positional-selector' }, codes(vim.diagnostic.get(buf, { namespace = vim.lsp.diagnostic.get_namespace(client.id) })), 'codes with hard-wait off')
  eq('positional-selector', diags[1].code)
  client:notify('workspace/didChangeConfiguration', { settings = { argus = { lints = { ['hard-wait'] = 'error' } } } })
  diags = diagnostics(buf, client, 2)
  eq({ 'positional-selector', 'hard-wait' }, codes(diags), 'codes after didChangeConfiguration')
  eq(vim.diagnostic.severity.ERROR, diags[2].severity, 'hard-wait raised to error')
end)

test('user commands exist; server commands run only when the server advertises them', function()
  local buf, client = open_spec()
  for _, name in ipairs({ 'ArgusRefresh', 'ArgusValidate', 'ArgusSnapshot', 'ArgusRestart' }) do
    eq(2, vim.fn.exists(':' .. name), ':' .. name)
  end
  local advertised = vim.tbl_get(client.server_capabilities, 'executeCommandProvider', 'commands') or {}
  local cases = { ArgusRefresh = 'argus.refresh', ArgusValidate = 'argus.validateSelector', ArgusSnapshot = 'argus.snapshotLocators' }
  local line, col = find('ul.products')
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  for ex, command in pairs(cases) do
    local sent = {}
    local orig = client.request
    client.request = function(self, method, params, ...) -- record, then really send
      if method == 'workspace/executeCommand' then table.insert(sent, params) end
      return orig(self, method, params, ...)
    end
    local seen = notifications(function() vim.cmd(ex) end)
    client.request = orig
    if vim.tbl_contains(advertised, command) then
      eq(command, sent[1] and sent[1].command, ex .. ' sends executeCommand')
    else
      eq({}, sent, ex .. ' must not send an unadvertised command')
      eq(1, #seen, ex .. ' notifications')
      eq(('argus: %s is not supported by this argus-lsp version (%s)'):format(command, version), seen[1].msg, ex)
    end
  end
  eq(buf, vim.api.nvim_get_current_buf())
end)

test(':ArgusRestart replaces the client and diagnostics come back', function()
  local buf, old = open_spec()
  diagnostics(buf, old, 1)
  local seen = notifications(function() vim.cmd('ArgusRestart') end)
  eq('argus: restarted', seen[1] and seen[1].msg, 'restart message')
  eq(true, old:is_stopped(), 'old client stopped')
  local new = argus_client(buf)
  assert(new.id ~= old.id, 'a new client')
  eq({ 'positional-selector' }, codes(diagnostics(buf, new, 1)), 'diagnostics from the new client (settings kept)')
end)

test('status line: version and files with findings; argus/status when sent', function()
  local buf, client = open_spec()
  diagnostics(buf, client, 1)
  eq(version .. ' · 1 file with findings', argus.status(), 'status before argus/status')
  -- The server does not send argus/status yet: deliver one through the real handler.
  local handler = client.handlers['argus/status'] or vim.lsp.handlers['argus/status']
  assert(handler, 'argus/status handler registered by setup()')
  handler(nil, { backend = 'offline', browser = 'ready', failing_tests = 2 }, { client_id = client.id, method = 'argus/status' })
  eq(version .. ' · 1 file with findings · backend offline · browser ready · 2 failing', argus.status(), 'status')
end)

local function health_lines()
  vim.cmd('silent checkhealth argus')
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd('silent! tabclose')
  return table.concat(lines, '\n')
end

test(':checkhealth argus: server version, browser, backend, argus.toml parsed', function()
  local cwd = vim.fn.getcwd()
  vim.cmd.cd(vim.fn.fnameescape(project))
  local ok, out = pcall(health_lines)
  vim.cmd.cd(vim.fn.fnameescape(cwd))
  assert(ok, out)
  contains(out, 'OK ' .. version, 'server line')
  contains(out, 'not configured', 'backend')
  contains(out, 'argus.toml parsed', 'config')
  for _, tool in ipairs({ 'chromium', 'chromedriver' }) do
    local found = vim.fn.exepath(tool) ~= ''
    contains(out, found and ('OK ' .. tool .. ': ') or ('WARNING ' .. tool .. ' not found'), tool)
  end
  assert(not out:find('ERROR'), 'no errors expected:\n' .. out)
end)

test(':checkhealth argus: a broken argus.toml and a missing server are errors', function()
  local bad = vim.fn.tempname() .. '-bad'
  vim.fn.mkdir(bad, 'p')
  vim.fn.writefile({ 'fail_level = "warning"', 'selectors = [' }, bad .. '/argus.toml')
  local cwd = vim.fn.getcwd()
  vim.cmd.cd(vim.fn.fnameescape(bad))
  local ok, out = pcall(health_lines)
  local cmd = vim.lsp.config.argus.cmd
  vim.lsp.config('argus', { cmd = { bad .. '/no-such-argus-lsp' } })
  local ok2, out2 = pcall(health_lines)
  vim.lsp.config('argus', { cmd = cmd })
  vim.cmd.cd(vim.fn.fnameescape(cwd))
  assert(ok and ok2, tostring(out) .. tostring(out2))
  contains(out, 'ERROR ' .. bad .. '/argus.toml does not parse: ', 'bad config')
  contains(out, 'argus.toml:2', 'error location')
  contains(out2, 'ERROR `' .. bad .. '/no-such-argus-lsp` not found', 'missing server')
  contains(out2, 'ARGUS_LSP_PATH', 'the fix is named')
end)

test('editors/README.md: every Lua snippet compiles', function()
  local text = table.concat(vim.fn.readfile(repo .. '/editors/README.md'), '\n')
  local n = 0
  for block in text:gmatch('```lua\n(.-)\n```') do
    n = n + 1
    local fn, err = loadstring(block, 'README lua snippet ' .. n)
    assert(fn, err)
  end
  assert(n >= 2, 'expected the lazy.nvim and vim.lsp.enable snippets, found ' .. n)
end)

say(('nvim: %d passed, %d failed'):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
