; Page-object bindings, uses and locals (see typescript/bindings.scm).

; class attribute: BUY = (By.ID, "buy")
(class_definition
  body: (block
    (expression_statement
      (assignment
        left: (identifier) @binding.name @binding.site
        right: (_) @binding.value))))

; self.buy = page.locator("…")
((assignment
   left: (attribute object: (identifier) @_s attribute: (identifier) @binding.name) @binding.site
   right: (_) @binding.value)
  (#eq? @_s "self"))

; @property def buy(self): return self.page.locator(…)
(decorated_definition
  (decorator (identifier) @_p)
  definition: (function_definition
    name: (identifier) @binding.name
    body: (block (return_statement (_) @binding.value)))
  (#eq? @_p "property"))

; uses: self.BUY, LoginPage.BUY, self.buy, po.buy (run only for names some binding has)
((attribute
  object: [(identifier) (attribute)]
  attribute: (identifier) @use.name) @use
  (#set! @use.name names-from "binding.name"))

; locals
(assignment
  left: (identifier) @local.name
  right: (_) @local.value)
