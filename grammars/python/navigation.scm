; Navigation (see typescript/navigation.scm).

((call
   function: (attribute attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @url)) @navigation
  (#eq? @_m "goto")
  (#set! framework "playwright"))
((call
   function: (attribute attribute: (identifier) @_m)
   arguments: (argument_list (keyword_argument name: (identifier) @_k value: [(string) (concatenated_string) (binary_operator)] @url))) @navigation
  (#eq? @_m "goto")
  (#eq? @_k "url")
  (#set! framework "playwright"))

((call
   function: (attribute object: (_) @_d attribute: (identifier) @_m)
   arguments: (argument_list . [(string) (concatenated_string) (binary_operator)] @url)) @navigation
  (#match? @_d "driver$")
  (#eq? @_m "get")
  (#set! framework "selenium"))
