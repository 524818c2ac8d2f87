; Locators.  @locator the whole call, @value the selector expression, @receiver what it is
; chained on (parent linking), @by a Selenium `By.<x>` name.
; Properties: framework; strategy = a Strategy name (css, xpath, role, text, label, placeholder,
; alt_text, title, test_id, id, name, class_name, tag_name, link_text, partial_link_text, other)
; or one of: "selector" (Playwright selector engine prefix), "by" (from @by), "wdio" (WebdriverIO
; selector prefix).
; @option.target + @option.key + @option.value: `{ name: 'Save', exact: true }` of a locator call.
; @modifier (+ @target, @modifier.name, @modifier.args, @filter.key/@filter.value): nth/first/last/filter.

; ---------------------------------------------------------------- Playwright
((call_expression
   function: (member_expression
     object: (_) @receiver
     property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#any-of? @_m "locator" "frameLocator")
  (#set! framework "playwright")
  (#set! strategy "selector"))

((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByRole") (#set! framework "playwright") (#set! strategy "role"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByText") (#set! framework "playwright") (#set! strategy "text"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByLabel") (#set! framework "playwright") (#set! strategy "label"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByPlaceholder") (#set! framework "playwright") (#set! strategy "placeholder"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByAltText") (#set! framework "playwright") (#set! strategy "alt_text"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByTitle") (#set! framework "playwright") (#set! strategy "title"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "getByTestId") (#set! framework "playwright") (#set! strategy "test_id"))

; options of getBy* calls: { name: 'Save', exact: true }
((call_expression
   function: (member_expression property: (property_identifier) @_m)
   arguments: (arguments
     (object (pair key: [(property_identifier) (string)] @option.key value: (_) @option.value)))) @option.target
  (#match? @_m "^getBy"))

; selector-string actions on a page or frame: page.click('sel'), this.page.fill('sel', …)
((call_expression
   function: (member_expression
     object: [(identifier) @_r (member_expression property: (property_identifier) @_r)]
     property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#match? @_r "([Pp]age|[Ff]rame)$")
  (#any-of? @_m "click" "dblclick" "fill" "type" "press" "check" "uncheck" "hover" "tap" "focus"
    "selectOption" "setInputFiles" "waitForSelector" "textContent" "innerText" "innerHTML"
    "inputValue" "getAttribute" "isVisible" "isHidden" "isEnabled" "isDisabled" "isChecked"
    "isEditable" "dispatchEvent" "$" "$$" "$eval" "$$eval" "dragAndDrop")
  (#set! framework "playwright")
  (#set! strategy "selector"))

; modifiers: .nth(n) / .first() / .last() / .filter({ hasText })
((call_expression
   function: (member_expression
     object: (_) @target
     property: (property_identifier) @modifier.name)
   arguments: (arguments) @modifier.args) @modifier
  (#any-of? @modifier.name "nth" "first" "last" "eq"))

((call_expression
   function: (member_expression
     object: (_) @target
     property: (property_identifier) @modifier.name)
   arguments: (arguments
     (object (pair key: [(property_identifier) (string)] @filter.key value: (_) @filter.value)))) @modifier
  (#eq? @modifier.name "filter"))

; ---------------------------------------------------------------- Selenium (selenium-webdriver)
((call_expression
   function: (member_expression
     object: (identifier) @_by
     property: (property_identifier) @by)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_by "By")
  (#any-of? @by "css" "id" "xpath" "name" "className" "linkText" "partialLinkText" "tagName" "js")
  (#set! framework "selenium")
  (#set! strategy "by"))

; ---------------------------------------------------------------- Cypress
((call_expression
   function: (member_expression object: (identifier) @_cy property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_cy "cy")
  (#eq? @_m "get")
  (#not-match? @value "^['\"`]@")
  (#set! framework "cypress")
  (#set! strategy "css"))

((call_expression
   function: (member_expression object: (identifier) @_cy property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_cy "cy")
  (#eq? @_m "xpath")
  (#set! framework "cypress")
  (#set! strategy "xpath"))

; cy.contains('text') and cy.contains('sel', 'text') (the text is the locator's value)
((call_expression
   function: (member_expression object: (identifier) @_cy property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value .)) @locator
  (#eq? @_cy "cy")
  (#eq? @_m "contains")
  (#set! framework "cypress")
  (#set! strategy "text"))
((call_expression
   function: (member_expression object: (identifier) @_cy property: (property_identifier) @_m)
   arguments: (arguments . (string) . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_cy "cy")
  (#eq? @_m "contains")
  (#set! framework "cypress")
  (#set! strategy "text"))

; chained: cy.get('form').find('button'), .contains('Save')
((call_expression
   function: (member_expression object: (call_expression) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#eq? @_m "find")
  (#set! framework "cypress")
  (#set! strategy "css"))
((call_expression
   function: (member_expression object: (call_expression) @receiver property: (property_identifier) @_m)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value .)) @locator
  (#eq? @_m "contains")
  (#set! framework "cypress")
  (#set! strategy "text"))

; ---------------------------------------------------------------- WebdriverIO
((call_expression
   function: (identifier) @_f
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#any-of? @_f "$" "$$")
  (#set! framework "webdriverio")
  (#set! strategy "wdio"))

((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @_f)
   arguments: (arguments . [(string) (template_string) (binary_expression)] @value)) @locator
  (#any-of? @_f "$" "$$")
  (#not-match? @receiver "([Pp]age|[Ff]rame)$")
  (#set! framework "webdriverio")
  (#set! strategy "wdio"))
