; Assertions. @assertion whole call, @subject what is asserted on, @matcher (text, or the
; property `matcher`), @expected the expected literal. Properties: framework, negated "true",
; matcher_from "string" (the matcher is a string literal; a `not.` prefix negates).

; expect(x).toX(expected?) / expect.soft(x) / expect.poll(x)
((call_expression
   function: (member_expression
     object: (call_expression
       function: [(identifier) @_e (member_expression object: (identifier) @_e property: (property_identifier) @_s)]
       arguments: (arguments . (_) @subject))
     property: (property_identifier) @matcher)
   arguments: (arguments . (_)? @expected)) @assertion
  (#eq? @_e "expect")
  (#any-of? @_s "soft" "poll")
  (#set! framework "detect:cypress,webdriverio,playwright,mocha"))

; expect(x).not.toX(expected?)
((call_expression
   function: (member_expression
     object: (member_expression
       object: (call_expression
         function: [(identifier) @_e (member_expression object: (identifier) @_e property: (property_identifier) @_s)]
         arguments: (arguments . (_) @subject))
       property: (property_identifier) @_not)
     property: (property_identifier) @matcher)
   arguments: (arguments . (_)? @expected)) @assertion
  (#eq? @_e "expect")
  (#any-of? @_s "soft" "poll")
  (#eq? @_not "not")
  (#set! negated "true")
  (#set! framework "detect:cypress,webdriverio,playwright,mocha"))

; Cypress: .should('have.text', 'x') / .and('not.be.visible')
((call_expression
   function: (member_expression
     object: (_) @subject
     property: (property_identifier) @_s)
   arguments: (arguments . (string) @matcher . (_)? @expected)) @assertion
  (#any-of? @_s "should" "and")
  (#set! matcher_from "string")
  (#set! framework "cypress"))

; node:assert / chai assert: assert.strictEqual(actual, 'expected'), assert.ok(x)
((call_expression
   function: (member_expression object: (identifier) @_a property: (property_identifier) @matcher)
   arguments: (arguments . (_) @subject . (_)? @expected)) @assertion
  (#eq? @_a "assert")
  (#any-of? @matcher "equal" "strictEqual" "deepEqual" "deepStrictEqual" "ok" "include" "match")
  (#set! framework "detect:cypress,webdriverio,playwright,mocha"))
((call_expression
   function: (member_expression object: (identifier) @_a property: (property_identifier) @matcher)
   arguments: (arguments . (_) @subject . (_)? @expected)) @assertion
  (#eq? @_a "assert")
  (#any-of? @matcher "notEqual" "notStrictEqual" "notDeepEqual" "notDeepStrictEqual" "notOk" "notInclude" "doesNotMatch")
  (#set! negated "true")
  (#set! framework "detect:cypress,webdriverio,playwright,mocha"))
