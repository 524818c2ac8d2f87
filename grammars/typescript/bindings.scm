; Page-object bindings and their uses, and local variables (for resolving `expect(buy)`).
;   @binding.name / @binding.value (/ @binding.site: the assignment's left side, not a use)
;   @use (+ @use.name): `this.buy`, `po.buy`
;   @local.name / @local.value: `const buy = page.locator('x')`
; `(#set! @c names-from "other")`: the pattern only matters where @c's text is that of some
; @other capture; extraction runs it after the rest, only where such a name appears.

; constructor: this.buy = page.locator('…')
(assignment_expression
  left: (member_expression
    object: (this)
    property: (property_identifier) @binding.name) @binding.site
  right: (_) @binding.value)

; class property: readonly buy = this.page.getByRole(…)
(public_field_definition
  name: (property_identifier) @binding.name
  value: (_) @binding.value)
(public_field_definition
  name: (property_identifier) @binding.name
  value: (arrow_function body: (_) @binding.value))

; getter: get buy() { return this.page.locator(…) }
(method_definition
  "get"
  name: (property_identifier) @binding.name
  body: (statement_block (return_statement (_) @binding.value)))

; uses (only those naming a binding matter: `names-from` runs this pattern for those names only)
((member_expression
  object: [(this) (identifier) (member_expression)]
  property: (property_identifier) @use.name) @use
  (#set! @use.name names-from "binding.name"))

; locals
(variable_declarator
  name: (identifier) @local.name
  value: (_) @local.value)
(assignment_expression
  left: (identifier) @local.name
  right: (_) @local.value)
