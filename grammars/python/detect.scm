; Which libraries a file uses; the capture name is the framework (see typescript/detect.scm).

((import_from_statement module_name: (dotted_name) @selenium) (#match? @selenium "^selenium"))
((import_statement name: (dotted_name) @selenium) (#match? @selenium "^selenium"))
((identifier) @selenium (#any-of? @selenium "By" "WebDriverWait" "driver"))

((import_from_statement module_name: (dotted_name) @playwright) (#match? @playwright "^playwright"))
((import_statement name: (dotted_name) @playwright) (#match? @playwright "^playwright"))
((identifier) @playwright (#eq? @playwright "page"))
