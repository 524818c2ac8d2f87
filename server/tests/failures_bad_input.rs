//! Bad input never panics: each case returns problems that name the position.

mod failures {
    use std::io::Cursor;

    use argus_lsp::failures::{self as api, ReportFormat};

    fn parse(bytes: &[u8]) -> api::Report {
        api::parse_report("bad", Cursor::new(bytes.to_vec()))
    }

    fn real_json() -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/examples/reports/playwright/results.json");
        std::fs::read(p).unwrap()
    }

    #[test]
    fn empty_and_blank() {
        for input in [&b""[..], b"  \n\t "] {
            let r = parse(input);
            assert!(r.events.is_empty());
            assert_eq!(r.problems.len(), 1);
            assert!(r.problems[0].message.contains("empty report"), "{:?}", r.problems);
        }
    }

    #[test]
    fn binary_garbage() {
        let r = parse(&[0x00, 0xff, 0x13, 0x37, 0x80, 0x81]);
        assert_eq!(r.format, ReportFormat::Unknown);
        assert!(r.problems[0].message.contains("first byte 0x00"), "{:?}", r.problems);
        // Garbage after a JSON-looking start.
        let r = parse(b"{\xff\xfe\x00garbage");
        assert!(!r.problems.is_empty());
        assert!(r.problems[0].message.contains("line 1"), "{:?}", r.problems);
        // Invalid UTF-8 inside a JSON string.
        let r = parse(b"{\"suites\": [{\"title\": \"a\xffb\"}]}");
        assert!(r.problems[0].line.is_some(), "{:?}", r.problems);
    }

    #[test]
    fn truncated_json_keeps_complete_events() {
        let json = real_json();
        // Cut in the middle of the third file suite (checkout.spec.ts).
        let cut = json.windows(16).position(|w| w == b"checkout.spec.ts").unwrap() + 400;
        let r = parse(&json[..cut]);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        let p = &r.problems[0];
        assert!(p.message.contains("truncated JSON"), "{}", p.message);
        assert!(p.message.contains("suites[2]"), "{}", p.message);
        assert!(p.line.unwrap() > 699, "{p:?}");
        // Everything of cart.spec.ts and catalog.spec.ts was understood.
        assert_eq!(r.events.len(), 10);
    }

    #[test]
    fn wrong_types_are_reported_and_skipped() {
        let json = r#"{"suites":[{"title":"a.spec.ts","specs":[{"title":"t","file":"a.spec.ts","line":"four",
          "tests":[{"results":[{"status":42,"retry":"zero","duration":-1,"error":{"message":"Error: boom"}}]}]}]}]}"#;
        let r = parse(json.as_bytes());
        assert_eq!(r.events.len(), 1);
        let msgs: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("suites[0].specs[0].tests[0].results[0].status") && m.contains("line 2")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains(".retry")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("suites[0].specs[0].line")), "{msgs:?}");
        assert_eq!(r.events[0].message, "Error: boom");
        // Not a Playwright report at all.
        let r = parse(br#"{"hello": [1, 2, 3]}"#);
        assert!(r.problems[0].message.contains("no `suites`"), "{:?}", r.problems);
        let r = parse(br#"{"suites": {"title": 1}}"#);
        assert!(r.problems[0].message.contains("unexpected JSON shape"), "{:?}", r.problems);
    }

    #[test]
    fn billion_laughs_is_refused() {
        let xml = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuites><testsuite><testcase name="a"><failure message="&lol3;">&lol3;</failure></testcase></testsuite></testsuites>"#;
        let r = parse(xml);
        assert!(r.events.is_empty());
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("<!DOCTYPE> refused"), "{:?}", r.problems);
        assert_eq!(r.problems[0].offset, Some(22));
    }

    #[test]
    fn undeclared_entities_are_not_expanded() {
        let xml = br#"<testsuites><testsuite><testcase name="a"><failure message="x &ext; y">body &ext; &#65;&amp;</failure></testcase></testsuite></testsuites>"#;
        let r = parse(xml);
        assert_eq!(r.events.len(), 1);
        assert!(r.problems.iter().any(|p| p.message.contains("attribute `message`")), "{:?}", r.problems);
        assert!(r.problems.iter().any(|p| p.message.contains("entity &ext; not expanded") && p.offset.is_some()), "{:?}", r.problems);
        assert_eq!(r.events[0].message, "x &ext; y");
    }

    #[test]
    fn malformed_and_truncated_xml() {
        let r = parse(b"<testsuites><testsuite><testcase name=\"a\"><failure message=\"m\">oops</error></testcase>");
        assert!(r.problems.iter().any(|p| p.message.contains("invalid XML") && p.message.contains("at byte")), "{:?}", r.problems);
        let r = parse(b"<testsuites><testsuite><testcase name=\"a\"><failure message=\"AssertionError: x\">t");
        assert!(r.problems.iter().any(|p| p.message.contains("truncated XML")), "{:?}", r.problems);
        assert_eq!(r.events.len(), 1, "the open testcase is still reported");
        let r = parse(b"<testsuites><testcase name=\"\xff\xfe\"/></testsuites>");
        assert_eq!(r.events.len(), 1);
    }

    #[test]
    fn long_texts_are_capped() {
        let big = "E".repeat(200_000);
        let xml = format!("<testsuites><testsuite><testcase name=\"a\"><failure message=\"AssertionError\">{big}</failure><system-out>{big}</system-out></testcase></testsuite></testsuites>");
        let r = parse(xml.as_bytes());
        let e = &r.events[0];
        assert!(e.truncated);
        assert!(e.output.as_ref().unwrap().len() <= api::MAX_TEXT);
    }
}
