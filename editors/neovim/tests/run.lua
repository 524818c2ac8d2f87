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

-- The server keeps CI history in a store under $XDG_CACHE_HOME/argus-lsp: every server this
-- suite starts gets a temp cache through the client config's `cmd_env`, never the user's.
local cache = vim.fn.tempname() .. '-argus-cache'
vim.lsp.config('argus', { cmd_env = { XDG_CACHE_HOME = cache } })

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

--- 0-based line and byte column of the first `needle` in `lines` (default: the spec).
local function find(needle, lines)
  for i, line in ipairs(lines or spec_lines) do
    local col = line:find(needle, 1, true)
    if col then return i - 1, col - 1 end
  end
  error('not in file: ' .. needle)
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
  local ok, err = pcall(fn, seen)
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
  assert(vim.tbl_contains(advertised, 'argus.refresh'), 'this server advertises argus.refresh: ' .. vim.inspect(advertised))
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
    local seen = notifications(function(seen)
      vim.cmd(ex)
      -- An advertised command answers: wait for what the user is shown.
      if #sent > 0 then wait_for(ex .. ' answer', function() return #seen > 0 end) end
    end)
    client.request = orig
    if vim.tbl_contains(advertised, command) then
      eq(command, sent[1] and sent[1].command, ex .. ' sends executeCommand')
      if command == 'argus.refresh' then
        -- This project has no CI reports: the summary says so.
        eq({ { msg = 'argus: refreshed: no CI reports found under the workspace root (setting reports.globs)', level = vim.log.levels.INFO } }, seen, ex)
      end
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

test('status line: version, files with findings, and the real argus/status', function()
  wait_for('no argus client left from the last test', function() return argus.status() == 'argus: not running' end)
  local fired = 0
  local au = vim.api.nvim_create_autocmd('User', { pattern = 'ArgusStatus', callback = function() fired = fired + 1 end })
  local buf, client = open_spec()
  diagnostics(buf, client, 1)
  -- No reports in this project: the server still says what it knows (no backend, no browser).
  local s = wait_for('argus/status from the server', function() return argus.status_by_client[client.id] end)
  vim.api.nvim_del_autocmd(au)
  eq({ backend = 'not_configured', browser = 'not_started', failing_tests = 0 }, s, 'argus/status payload')
  assert(fired >= 1, 'User ArgusStatus fired')
  eq(version .. ' · 1 file with findings · backend not configured · browser not started · 0 failing', argus.status(), 'status')
end)

-- CI failures: the example project's real Playwright/pytest reports (written on another
-- machine with its absolute paths; the server matches them by path suffix), in a fresh copy
-- with a fresh cache per test so every server ingests from scratch.
local examples = repo .. '/tests/examples'

local function ci_workspace()
  local ws = vim.fn.tempname() .. '-argus-ci'
  for _, sub in ipairs({ 'playwright', 'python', 'reports' }) do
    copy_tree(examples .. '/' .. sub, ws .. '/' .. sub)
  end
  -- The project's root marker, so the client's root (and the server's) is the workspace.
  vim.fn.writefile(vim.fn.readfile(examples .. '/playwright.config.ts', 'b'), ws .. '/playwright.config.ts', 'b')
  local ws_cache = ws .. '-cache'
  vim.lsp.config('argus', { cmd_env = { XDG_CACHE_HOME = ws_cache } })
  return ws, ws_cache
end

local function open_file(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  return buf, argus_client(buf), vim.fn.readfile(path)
end

--- The ci-failure diagnostics of `buf` whose selector contains `selector`, once there is one.
local function ci_failure(buf, client, selector)
  local ns = vim.lsp.diagnostic.get_namespace(client.id)
  return wait_for(('a ci-failure on %s in %s'):format(selector, vim.api.nvim_buf_get_name(buf)), function()
    for _, d in ipairs(vim.diagnostic.get(buf, { namespace = ns })) do
      local sel = vim.tbl_get(d, 'user_data', 'lsp', 'data', 'selector')
      if d.code == 'ci-failure' and type(sel) == 'string' and sel:find(selector, 1, true) then return d end
    end
  end)
end

test('CI failures: ci-failure at the exact span of the stale selector, with the lints', function()
  local ws, ws_cache = ci_workspace()
  local buf, client, lines = open_file(ws .. '/playwright/catalog.spec.ts')
  eq(vim.fs.normalize(vim.uv.fs_realpath(ws)), vim.fs.normalize(vim.uv.fs_realpath(client.root_dir)), 'root_dir')
  local d = ci_failure(buf, client, 'button.add-to-cart')
  local needle = 'button.add-to-cart'
  local line, col = find("'" .. needle .. "'", lines)
  col = col + 1 -- the string's contents, inside the quotes
  eq({ line, col, line, col + #needle }, { d.lnum, d.col, d.end_lnum, d.end_col }, 'ci-failure range')
  eq(vim.diagnostic.severity.ERROR, d.severity, 'severity')
  eq('argus', d.source, 'source')
  local first = vim.split(d.message, '\n')[1]
  eq("fails 1/1 runs · ui_change: locator('button.add-to-cart') not found", first, 'message')
  local data = d.user_data.lsp.data
  eq('ui_change', data.root_cause, 'data.root_cause')
  assert(vim.tbl_contains(data.fix_kinds, 'update_selector'), 'fix_kinds: ' .. vim.inspect(data.fix_kinds))
  assert(#data.event_ids > 0, 'event_ids')
  local related = vim.tbl_get(d, 'user_data', 'lsp', 'relatedInformation', 1, 'location', 'uri')
  eq(vim.uri_from_bufnr(buf), related, 'the stack frame is in the spec')
  -- The static lints are still there, next to the failure.
  local got = codes(vim.diagnostic.get(buf, { namespace = vim.lsp.diagnostic.get_namespace(client.id) }))
  assert(vim.tbl_contains(got, 'positional-selector'), 'lints and failures together: ' .. vim.inspect(got))
  -- The history went to the store in the cache the client config named (cmd_env).
  eq(1, #vim.fn.glob(ws_cache .. '/argus-lsp/*', false, true), 'one store under the temp XDG_CACHE_HOME')
end)

test('CI failures: a page object that was never opened gets its ci-failure', function()
  local ws = ci_workspace()
  local _, client = open_file(ws .. '/playwright/cart.spec.ts')
  local page = ws .. '/playwright/pages/cart-page.ts'
  -- Published for a file with no buffer: Neovim keeps it on an unloaded buffer for that URI.
  local d = wait_for('a ci-failure on pages/cart-page.ts', function()
    local b = vim.fn.bufnr(page)
    if b == -1 then return nil end
    for _, x in ipairs(vim.diagnostic.get(b, { namespace = vim.lsp.diagnostic.get_namespace(client.id) })) do
      if x.code == 'ci-failure' then return x end
    end
  end)
  eq(false, vim.api.nvim_buf_is_loaded(d.bufnr), 'the page object is not loaded')
  local line, col = find("getByRole('button', { name: 'Proceed to checkout' })", vim.fn.readfile(page))
  eq({ line, col }, { d.lnum, d.col }, 'span of the checkout locator in the page object')
  contains(vim.split(d.message, '\n')[1], 'matched 2 elements', 'message')
  eq(vim.diagnostic.severity.ERROR, d.severity, 'severity')
end)

test('CI failures: hover on the failing selector and the history lens', function()
  local ws = ci_workspace()
  local buf, client, lines = open_file(ws .. '/playwright/catalog.spec.ts')
  ci_failure(buf, client, 'button.add-to-cart') -- the reports are in
  local line, col = find("'button.add-to-cart'", lines)
  col = col + 1
  local hover = request(client, buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = col + 3 },
  })
  eq('markdown', hover.contents.kind, 'hover kind')
  local md = hover.contents.value
  for _, needle in ipairs({ 'CI failure', '`ui_change`', '**Root cause**', "locator('button.add-to-cart')", '**Runs** `✗', 'Fix: update_selector', 'Fragility' }) do
    contains(md, needle, 'hover')
  end
  eq({ line = line, character = col }, hover.range.start, 'hover range')

  local lenses = request(client, buf, 'textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
  local test_line = find("test('adds a product to the cart'", lines)
  local titles, history = {}, nil
  for _, l in ipairs(lenses) do
    table.insert(titles, l.command.title)
    if l.range.start.line == test_line and l.command.title:find('^failed ') then history = l end
  end
  assert(history, 'a "failed …" lens above the failing test: ' .. vim.inspect(titles))
  assert(history.command.title:find('^failed 1/1 · last .+ ago$'), history.command.title)
  eq('argus.refresh', history.command.command, 'clicking the history lens refreshes')
  -- What a lens click does (vim.lsp.codelens.run): the client runs the command, setup()'s
  -- `commands` entry sends it through the plugin, and the user sees the summary.
  local seen = notifications(function(seen)
    client:exec_cmd(history.command, { bufnr = buf })
    wait_for('the summary of the lens click', function() return #seen > 0 end)
  end)
  eq(1, #seen, 'one message')
  assert(seen[1].msg:find('^argus: refreshed: %d+ failing tests? · %d+ runs? %(0 new%) from %d+ reports?$'), seen[1].msg)
  assert(vim.iter(titles):any(function(t) return t:find('^failed %d+/%d+ · flaky %d%.%d%d · last ') ~= nil end), 'the flaky stock test: ' .. vim.inspect(titles))
end)

test(':ArgusRefresh re-reads the reports and says what it found; the status line follows argus/status', function()
  local ws = ci_workspace()
  local buf, client = open_file(ws .. '/playwright/catalog.spec.ts')
  ci_failure(buf, client, 'button.add-to-cart')
  local s = wait_for('argus/status with failing tests', function()
    local st = argus.status_by_client[client.id]
    return st and st.failing_tests > 0 and st
  end)
  eq('not_configured', s.backend, 'backend')
  eq('not_started', s.browser, 'browser')
  assert(vim.tbl_contains(client.server_capabilities.executeCommandProvider.commands, 'argus.refresh'), 'argus.refresh advertised')

  local sent = {}
  local orig = client.request
  client.request = function(self, method, params, ...)
    if method == 'workspace/executeCommand' then table.insert(sent, params.command) end
    return orig(self, method, params, ...)
  end
  local seen = notifications(function(seen)
    vim.cmd('ArgusRefresh')
    wait_for('the refresh summary', function() return #seen > 0 end)
  end)
  client.request = orig
  eq({ 'argus.refresh' }, sent, ':ArgusRefresh sends argus.refresh')

  -- The same request straight to the server: nothing new since, so the same counts.
  local r = request(client, buf, 'workspace/executeCommand', { command = 'argus.refresh', arguments = {} })
  local report_files = vim.fs.find(function(name) return name:match('%.xml$') or name:match('%.json$') end,
    { path = ws .. '/reports', type = 'file', limit = math.huge })
  eq(#report_files, r.reports, 'every report under reports/ was read: ' .. vim.inspect(r))
  eq(0, r.new_runs, 'runs already recorded are not recorded again')
  assert(r.runs >= 2, 'a Playwright run and a pytest run: ' .. vim.inspect(r))
  eq(s.failing_tests, r.failing_tests, 'argus/status and the refresh agree on failing tests')
  eq({ { msg = ('argus: refreshed: %d failing tests · %d runs (0 new) from %d reports'):format(r.failing_tests, r.runs, r.reports), level = vim.log.levels.INFO } },
    seen, 'the summary the user sees')

  local files, failing = argus.status():match('^' .. vim.pesc(version) .. ' · (%d+) files with findings · backend not configured · browser not started · (%d+) failing$')
  assert(files, 'status line: ' .. argus.status())
  eq(r.failing_tests, tonumber(failing), 'failing tests in the status line')
  -- catalog.spec.ts (open), cart.spec.ts, pages/cart-page.ts and test_shop.py (never opened).
  assert(tonumber(files) >= 4, 'files with findings include closed files: ' .. argus.status())
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
