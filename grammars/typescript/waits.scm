; Waits. @wait the whole call (or option pair), @duration the duration expression, @api the API
; name (or property `api`). Properties: kind (hard | explicit), framework, unit ("s" for seconds).

; ---- hard waits
((call_expression
   function: (member_expression property: (property_identifier) @api)
   arguments: (arguments . (_) @duration)) @wait
  (#eq? @api "waitForTimeout")
  (#set! kind "hard") (#set! framework "playwright"))

((call_expression
   function: (member_expression object: (identifier) @_cy property: (property_identifier) @_w)
   arguments: (arguments . (number) @duration)) @wait
  (#eq? @_cy "cy") (#eq? @_w "wait")
  (#set! api "cy.wait") (#set! kind "hard") (#set! framework "cypress"))

((call_expression
   function: (member_expression object: (identifier) @_b property: (property_identifier) @_p)
   arguments: (arguments . (_) @duration)) @wait
  (#eq? @_b "browser") (#eq? @_p "pause")
  (#set! api "browser.pause") (#set! kind "hard") (#set! framework "webdriverio"))

; await new Promise(r => setTimeout(r, 1000))
((new_expression
   constructor: (identifier) @_p
   arguments: (arguments
     (arrow_function
       body: (call_expression
         function: (identifier) @_s
         arguments: (arguments (_) . (_) @duration .))))) @wait
  (#eq? @_p "Promise") (#eq? @_s "setTimeout")
  (#set! api "setTimeout") (#set! kind "hard") (#set! framework "detect:cypress,webdriverio,playwright,selenium,mocha"))

; sleep(1000) / delay(1000) / driver.sleep(1000)
((call_expression
   function: (identifier) @api
   arguments: (arguments . (number) @duration .)) @wait
  (#any-of? @api "sleep" "delay" "wait")
  (#set! kind "hard") (#set! framework "detect:cypress,webdriverio,playwright,selenium,mocha"))
((call_expression
   function: (member_expression object: (_) @_d property: (property_identifier) @api)
   arguments: (arguments . (_) @duration .)) @wait
  (#match? @_d "driver$") (#eq? @api "sleep")
  (#set! kind "hard") (#set! framework "selenium"))

; ---- explicit waits
((call_expression
   function: (member_expression property: (property_identifier) @api)) @wait
  (#any-of? @api "waitForSelector" "waitForLoadState" "waitForURL" "waitForResponse"
    "waitForRequest" "waitForEvent" "waitForFunction" "waitForNavigation")
  (#set! kind "explicit") (#set! framework "playwright"))

((call_expression
   function: (member_expression property: (property_identifier) @api)) @wait
  (#any-of? @api "waitUntil" "waitForDisplayed" "waitForExist" "waitForClickable"
    "waitForEnabled" "waitForStable")
  (#set! kind "explicit") (#set! framework "webdriverio"))

; driver.wait(until.elementLocated(…), 5000)
((call_expression
   function: (member_expression object: (_) @_d property: (property_identifier) @api)
   arguments: (arguments . (_) . (_)? @duration)) @wait
  (#match? @_d "driver$") (#eq? @api "wait")
  (#set! kind "explicit") (#set! framework "selenium"))

; { timeout: 5000 } in any call; driver.manage().setTimeouts({ implicit: 5000 })
((pair
   key: (property_identifier) @api
   value: (_) @duration) @wait
  (#eq? @api "timeout")
  (#set! kind "explicit") (#set! framework "detect:cypress,playwright,webdriverio,selenium,mocha"))
((pair
   key: (property_identifier) @api
   value: (_) @duration) @wait
  (#any-of? @api "implicit" "pageLoad" "script")
  (#set! kind "explicit") (#set! framework "selenium"))
