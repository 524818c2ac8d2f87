; Navigation. @navigation the whole call, @url the URL expression. Property: framework.

((call_expression
   function: (member_expression property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @url)) @navigation
  (#eq? @_m "goto")
  (#set! framework "playwright"))

((call_expression
   function: (member_expression object: (_) @_d property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @url)) @navigation
  (#match? @_d "driver$")
  (#any-of? @_m "get" "navigate")
  (#set! framework "selenium"))
((call_expression
   function: (member_expression
     object: (call_expression function: (member_expression object: (_) @_d property: (property_identifier) @_n))
     property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @url)) @navigation
  (#match? @_d "driver$")
  (#eq? @_n "navigate")
  (#eq? @_m "to")
  (#set! framework "selenium"))

((call_expression
   function: (member_expression object: (identifier) @_cy property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @url)) @navigation
  (#eq? @_cy "cy")
  (#eq? @_m "visit")
  (#set! framework "cypress"))

((call_expression
   function: (member_expression object: (identifier) @_b property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @url)) @navigation
  (#eq? @_b "browser")
  (#any-of? @_m "url" "navigateTo")
  (#set! framework "webdriverio"))
