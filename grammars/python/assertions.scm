; Assertions (see typescript/assertions.scm).

; Playwright: expect(loc).to_have_text("x") / expect(loc).not_to_be_visible()
((call
   function: (attribute
     object: (call
       function: (identifier) @_e
       arguments: (argument_list . (_) @subject))
     attribute: (identifier) @matcher)
   arguments: (argument_list . [(string) (concatenated_string) (integer) (float) (identifier) (attribute) (list) (call)]? @expected)) @assertion
  (#eq? @_e "expect")
  (#match? @matcher "^to_")
  (#set! framework "playwright"))
((call
   function: (attribute
     object: (call
       function: (identifier) @_e
       arguments: (argument_list . (_) @subject))
     attribute: (identifier) @matcher)
   arguments: (argument_list . [(string) (concatenated_string) (integer) (float) (identifier) (attribute) (list) (call)]? @expected)) @assertion
  (#eq? @_e "expect")
  (#match? @matcher "^not_to_")
  (#set! negated "true")
  (#set! framework "playwright"))

; pytest: assert x == "y" / != / in / not in / assert x / assert not x
((assert_statement
   . (comparison_operator . (_) @subject . ["==" "is"] @matcher . (_) @expected .)) @assertion
  (#set! framework "pytest"))
((assert_statement
   . (comparison_operator . (_) @subject . ["!=" "is not"] @matcher . (_) @expected .)) @assertion
  (#set! negated "true")
  (#set! framework "pytest"))
((assert_statement
   . (comparison_operator . (_) @expected . "in" @matcher . (_) @subject .)) @assertion
  (#set! framework "pytest"))
((assert_statement
   . (comparison_operator . (_) @expected . "not in" @matcher . (_) @subject .)) @assertion
  (#set! negated "true")
  (#set! framework "pytest"))
((assert_statement
   . [(identifier) (attribute) (call) (subscript)] @subject) @assertion
  (#set! matcher "truthy")
  (#set! framework "pytest"))
((assert_statement
   . (not_operator argument: (_) @subject)) @assertion
  (#set! matcher "truthy")
  (#set! negated "true")
  (#set! framework "pytest"))

; unittest: self.assertEqual(actual, "expected"), assertTrue(x), assertIn("x", container)
((call
   function: (attribute object: (identifier) @_s attribute: (identifier) @matcher)
   arguments: (argument_list . (_) @subject . (_)? @expected)) @assertion
  (#eq? @_s "self")
  (#any-of? @matcher "assertEqual" "assertEquals" "assertTrue" "assertIsNotNone" "assertGreater"
    "assertRegex" "assertAlmostEqual" "assertCountEqual" "assertIs")
  (#set! framework "unittest"))
((call
   function: (attribute object: (identifier) @_s attribute: (identifier) @matcher)
   arguments: (argument_list . (_) @subject . (_)? @expected)) @assertion
  (#eq? @_s "self")
  (#any-of? @matcher "assertNotEqual" "assertNotEquals" "assertFalse" "assertIsNone" "assertNotRegex" "assertIsNot")
  (#set! negated "true")
  (#set! framework "unittest"))
((call
   function: (attribute object: (identifier) @_s attribute: (identifier) @matcher)
   arguments: (argument_list . (_) @expected . (_) @subject)) @assertion
  (#eq? @_s "self")
  (#eq? @matcher "assertIn")
  (#set! framework "unittest"))
((call
   function: (attribute object: (identifier) @_s attribute: (identifier) @matcher)
   arguments: (argument_list . (_) @expected . (_) @subject)) @assertion
  (#eq? @_s "self")
  (#eq? @matcher "assertNotIn")
  (#set! negated "true")
  (#set! framework "unittest"))
