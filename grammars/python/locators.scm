; Locators (see typescript/locators.scm for the capture vocabulary).

; ---------------------------------------------------------------- Playwright
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#any-of? @_m "locator" "frame_locator")
  (#set! framework "playwright") (#set! strategy "selector"))

((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_role") (#set! framework "playwright") (#set! strategy "role"))
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_text") (#set! framework "playwright") (#set! strategy "text"))
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_label") (#set! framework "playwright") (#set! strategy "label"))
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_placeholder") (#set! framework "playwright") (#set! strategy "placeholder"))
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_alt_text") (#set! framework "playwright") (#set! strategy "alt_text"))
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_title") (#set! framework "playwright") (#set! strategy "title"))
((call
   function: (attribute object: (_) @receiver attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#eq? @_m "get_by_test_id") (#set! framework "playwright") (#set! strategy "test_id"))

; keyword options: get_by_role("button", name="Save", exact=True)
((call
   function: (attribute attribute: (identifier) @_m)
   arguments: (argument_list (keyword_argument name: (identifier) @option.key value: (_) @option.value))) @option.target
  (#match? @_m "^get_by_"))

; selector-string actions on a page or frame: page.click("sel")
((call
   function: (attribute
     object: [(identifier) @_r (attribute attribute: (identifier) @_r)]
     attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#match? @_r "(page|frame)$")
  (#any-of? @_m "click" "dblclick" "fill" "type" "press" "check" "uncheck" "hover" "tap" "focus"
    "select_option" "set_input_files" "wait_for_selector" "text_content" "inner_text" "inner_html"
    "input_value" "get_attribute" "is_visible" "is_hidden" "is_enabled" "is_disabled" "is_checked"
    "is_editable" "dispatch_event" "query_selector" "query_selector_all" "eval_on_selector"
    "eval_on_selector_all" "drag_and_drop")
  (#set! framework "playwright") (#set! strategy "selector"))

; modifiers: .nth(n), .first / .last (properties), .filter(has_text=…)
((call
   function: (attribute object: (_) @target attribute: (identifier) @modifier.name)
   arguments: (argument_list) @modifier.args) @modifier
  (#eq? @modifier.name "nth"))
((attribute object: (_) @target attribute: (identifier) @modifier.name) @modifier
  (#any-of? @modifier.name "first" "last"))
((call
   function: (attribute object: (_) @target attribute: (identifier) @modifier.name)
   arguments: (argument_list (keyword_argument name: (identifier) @filter.key value: (_) @filter.value))) @modifier
  (#eq? @modifier.name "filter"))

; ---------------------------------------------------------------- Selenium
; driver.find_element(By.ID, "x") / find_elements
((call
   function: (attribute attribute: (identifier) @_m)
   arguments: (argument_list
     . (attribute object: (identifier) @_by attribute: (identifier) @by)
     . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#any-of? @_m "find_element" "find_elements")
  (#eq? @_by "By")
  (#set! framework "selenium") (#set! strategy "by"))
; driver.find_element("css selector", "x")
((call
   function: (attribute attribute: (identifier) @_m)
   arguments: (argument_list
     . (string) @by
     . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#any-of? @_m "find_element" "find_elements")
  (#set! framework "selenium") (#set! strategy "by"))
; Selenium 3: driver.find_element_by_css_selector("x")
((call
   function: (attribute attribute: (identifier) @by)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @value)) @locator
  (#match? @by "^find_elements?_by_")
  (#set! framework "selenium") (#set! strategy "by"))
; (By.ID, "buy") anywhere: EC.…((By.CSS_SELECTOR, "…")), BUY = (By.ID, "buy")
((tuple
   . (attribute object: (identifier) @_by attribute: (identifier) @by)
   . [(string) (concatenated_string) (binary_operator)] @value .) @locator
  (#eq? @_by "By")
  (#set! framework "selenium") (#set! strategy "by"))
