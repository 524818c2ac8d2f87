; Waits (see typescript/waits.scm).

; ---- hard waits
((call
   function: (attribute object: (identifier) @_t attribute: (identifier) @_s)
   arguments: (argument_list . (_) @duration)) @wait
  (#eq? @_t "time") (#eq? @_s "sleep")
  (#set! api "time.sleep") (#set! unit "s") (#set! kind "hard") (#set! framework "detect:playwright,selenium"))
((call
   function: (identifier) @api
   arguments: (argument_list . (_) @duration)) @wait
  (#eq? @api "sleep")
  (#set! unit "s") (#set! kind "hard") (#set! framework "detect:playwright,selenium"))
((call
   function: (attribute attribute: (identifier) @api)
   arguments: (argument_list . (_) @duration)) @wait
  (#eq? @api "wait_for_timeout")
  (#set! kind "hard") (#set! framework "playwright"))

; ---- explicit waits
((call
   function: (attribute attribute: (identifier) @api)) @wait
  (#any-of? @api "wait_for_selector" "wait_for_load_state" "wait_for_url" "wait_for_event"
    "wait_for_function" "expect_response" "expect_request" "expect_navigation" "wait_for")
  (#set! kind "explicit") (#set! framework "playwright"))

; WebDriverWait(driver, 10) (seconds); with .until(…) the whole chain
((call
   function: (identifier) @api
   arguments: (argument_list . (_) . [(integer) (float)] @duration)) @wait
  (#eq? @api "WebDriverWait")
  (#set! unit "s") (#set! kind "explicit") (#set! framework "selenium"))
((call
   function: (attribute
     object: (call
       function: (identifier) @api
       arguments: (argument_list . (_) . [(integer) (float)] @duration))
     attribute: (identifier) @_u)) @wait
  (#eq? @api "WebDriverWait")
  (#any-of? @_u "until" "until_not")
  (#set! unit "s") (#set! kind "explicit") (#set! framework "selenium"))
((call
   function: (identifier) @api
   arguments: (argument_list (keyword_argument name: (identifier) @_t value: (_) @duration))) @wait
  (#eq? @api "WebDriverWait") (#eq? @_t "timeout")
  (#set! unit "s") (#set! kind "explicit") (#set! framework "selenium"))

; driver.implicitly_wait(5), set_page_load_timeout(30)
((call
   function: (attribute attribute: (identifier) @api)
   arguments: (argument_list . (_) @duration)) @wait
  (#any-of? @api "implicitly_wait" "set_page_load_timeout" "set_script_timeout")
  (#set! unit "s") (#set! kind "explicit") (#set! framework "selenium"))

; timeout=5000 keyword in any (Playwright) call
((call
   function: (_) @_f
   arguments: (argument_list (keyword_argument name: (identifier) @api value: (_) @duration) @wait))
  (#eq? @api "timeout")
  (#not-match? @_f "WebDriverWait$")
  (#set! kind "explicit") (#set! framework "playwright"))
