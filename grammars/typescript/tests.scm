; Tests, suites (describe / context), steps and tags.
;   @test / @suite / @step  the whole call         @name  the title expression
;   @tag.name               `only`/`skip`/… mapped by the `tags` property (default: playwright)
;   @tag.target + @tag.value  a `{ tag: '@x' }` option applied to the call at @tag.target
; Properties: kind (playwright_test | it), framework ("detect:…" picks from detect.scm).

; ---- Playwright: test('title', …) and test.only / skip / fixme / fail / slow('title', …)
((call_expression
   function: (identifier) @_fn
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @test
  (#eq? @_fn "test")
  (#set! kind "playwright_test")
  (#set! framework "playwright"))

((call_expression
   function: (member_expression
     object: (identifier) @_fn
     property: (property_identifier) @tag.name)
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @test
  (#eq? @_fn "test")
  (#any-of? @tag.name "only" "skip" "fixme" "fail" "slow")
  (#set! kind "playwright_test")
  (#set! framework "playwright"))

; ---- mocha / Cypress / WebdriverIO: it('title', …), it.only / it.skip, specify
((call_expression
   function: (identifier) @_fn
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @test
  (#any-of? @_fn "it" "specify")
  (#set! kind "it")
  (#set! framework "detect:cypress,webdriverio,mocha"))

((call_expression
   function: (member_expression
     object: (identifier) @_fn
     property: (property_identifier) @tag.name)
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @test
  (#any-of? @_fn "it" "specify")
  (#any-of? @tag.name "only" "skip")
  (#set! kind "it")
  (#set! framework "detect:cypress,webdriverio,mocha"))

; ---- suites: describe / context / suite (+ .only / .skip)
((call_expression
   function: (identifier) @_fn
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @suite
  (#any-of? @_fn "describe" "context" "suite"))

((call_expression
   function: (member_expression
     object: (identifier) @_fn
     property: (property_identifier) @tag.name)
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @suite
  (#any-of? @_fn "describe" "context" "suite")
  (#any-of? @tag.name "only" "skip"))

; ---- test.describe('A', …) and test.describe.only / skip / fixme / serial / parallel
((call_expression
   function: (member_expression
     object: (identifier) @_fn
     property: (property_identifier) @_d)
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @suite
  (#eq? @_fn "test")
  (#eq? @_d "describe"))

((call_expression
   function: (member_expression
     object: (member_expression
       object: (identifier) @_fn
       property: (property_identifier) @_d)
     property: (property_identifier) @tag.name)
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @suite
  (#eq? @_fn "test")
  (#eq? @_d "describe")
  (#any-of? @tag.name "only" "skip" "fixme" "serial" "parallel"))

; ---- steps: test.step('title', async () => …)
((call_expression
   function: (member_expression
     object: (identifier) @_fn
     property: (property_identifier) @_s)
   arguments: (arguments . [(string) (template_string) (binary_expression) (identifier)] @name)) @step
  (#eq? @_fn "test")
  (#eq? @_s "step"))

; ---- Playwright tag option: { tag: '@smoke' } / { tag: ['@a', '@b'] }
((call_expression
   arguments: (arguments
     (object
       (pair
         key: [(property_identifier) (string)] @_k
         value: [(string) @tag.value (array (string) @tag.value)])))) @tag.target
  (#match? @_k "^['\"]?tag['\"]?$"))
