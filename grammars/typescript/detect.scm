; Which libraries a file uses. The capture name is the framework; extractors whose pattern says
; `framework "detect:a,b,c"` take the first of a, b, c present here (else the last one).

((identifier) @cypress (#eq? @cypress "cy"))

((call_expression function: (identifier) @webdriverio)
  (#any-of? @webdriverio "$" "$$"))
((member_expression
   object: (identifier) @_b
   property: (property_identifier) @webdriverio)
  (#eq? @_b "browser")
  (#any-of? @webdriverio "url" "pause" "$" "$$" "waitUntil" "keys" "execute"))
((string (string_fragment) @webdriverio) (#match? @webdriverio "^@wdio/"))

((string (string_fragment) @selenium) (#eq? @selenium "selenium-webdriver"))
((identifier) @selenium (#any-of? @selenium "By" "until"))

((string (string_fragment) @playwright) (#match? @playwright "^@playwright/"))
((shorthand_property_identifier_pattern) @playwright (#eq? @playwright "page"))
((identifier) @playwright (#eq? @playwright "page"))
