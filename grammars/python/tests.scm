; pytest and unittest tests. See typescript/tests.scm for the capture vocabulary.
; `priority` breaks ties when several patterns match the same function (unittest wins).

; ---- module-level pytest functions
((module (function_definition name: (identifier) @name) @test)
  (#match? @name "^test")
  (#set! kind "pytest_function") (#set! framework "pytest"))
((module (decorated_definition definition: (function_definition name: (identifier) @name)) @test)
  (#match? @name "^test")
  (#set! kind "pytest_function") (#set! framework "pytest"))

; ---- methods of pytest classes (class Test…)
((class_definition
   name: (identifier) @_c
   body: (block [
     (function_definition name: (identifier) @name)
     (decorated_definition definition: (function_definition name: (identifier) @name))
   ] @test))
  (#match? @_c "^Test")
  (#match? @name "^test")
  (#set! kind "pytest_function") (#set! framework "pytest"))

; ---- methods of unittest.TestCase subclasses
((class_definition
   superclasses: (argument_list [(identifier) @_b (attribute attribute: (identifier) @_b)])
   body: (block [
     (function_definition name: (identifier) @name)
     (decorated_definition definition: (function_definition name: (identifier) @name))
   ] @test))
  (#match? @_b "TestCase$")
  (#match? @name "^test")
  (#set! kind "unittest_method") (#set! framework "unittest") (#set! priority "1"))

; ---- suites: test classes (pytest Test… and TestCase subclasses)
((class_definition name: (identifier) @name) @suite
  (#match? @name "^Test"))
((decorated_definition definition: (class_definition name: (identifier) @name)) @suite
  (#match? @name "^Test"))
((class_definition
   name: (identifier) @name
   superclasses: (argument_list [(identifier) @_b (attribute attribute: (identifier) @_b)])) @suite
  (#match? @_b "TestCase$"))

; ---- marks: @pytest.mark.skip, @pytest.mark.parametrize(…), @unittest.skip(…)
((decorated_definition
   (decorator [
     (attribute object: (attribute object: (identifier) @_p attribute: (identifier) @_m) attribute: (identifier) @tag.name)
     (call function: (attribute object: (attribute object: (identifier) @_p attribute: (identifier) @_m) attribute: (identifier) @tag.name))
   ])) @tag.target
  (#eq? @_p "pytest") (#eq? @_m "mark")
  (#set! tags "pytest"))
((decorated_definition
   (decorator [
     (attribute object: (identifier) @_u attribute: (identifier) @tag.name)
     (call function: (attribute object: (identifier) @_u attribute: (identifier) @tag.name))
   ])) @tag.target
  (#eq? @_u "unittest")
  (#set! tags "unittest"))
