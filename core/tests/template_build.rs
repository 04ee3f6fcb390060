//! A broken template is refused with a message that says what is wrong.
//!
//! The program loads `assets/templates/*.ron` with `template::load::load`; here the same code runs on the real
//! templates and on copies broken in one way each.

// Test helpers may unwrap: a panic is a failing test (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

use nianbao_core::template::{Edition, load};

fn real(edition: &str) -> String {
    std::fs::read_to_string(format!("{}/assets/templates/{edition}.ron", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn generate(src: &str) -> Result<nianbao_core::template::Template, String> {
    load::load("test.ron", src)
}

/// Replaces exactly one occurrence, so a test cannot silently break nothing.
fn replace_once(src: &str, from: &str, to: &str) -> String {
    assert_eq!(src.matches(from).count(), 1, "`{from}` must occur exactly once");
    src.replacen(from, to, 1)
}

#[test]
fn the_real_templates_load_as_the_program_has_them() {
    for e in Edition::ALL {
        let t = generate(&real(e.id())).unwrap();
        let shipped = e.template();
        assert_eq!(t.edition, e);
        assert_eq!(t.cells.len(), shipped.cells.len());
        assert_eq!(format!("{t:?}"), format!("{shipped:?}"), "{}", e.id());
    }
}

#[test]
fn broken_templates_are_refused_with_the_reason() {
    let src = real("2021");
    let cases: &[(&str, &str, &str, &str)] = &[
        // (what, from, to, expected part of the message)
        (
            "unknown edition",
            r#"edition: "2021""#,
            r#"edition: "2024""#,
            "unknown edition `2024`",
        ),
        (
            "balance rule that is no relation",
            r#"balance_rule: Some("balance")"#,
            r#"balance_rule: Some("blank")"#,
            "balance_rule `blank` is not a relation rule",
        ),
        (
            "duplicate row id",
            r#"(id: "s2.coercion", labels: ["行政强制"])"#,
            r#"(id: "s2.penalty", labels: ["行政强制"])"#,
            "duplicate row id `s2.penalty`",
        ),
        (
            "duplicate column id",
            r#"(id: "repealed", label: "本年废止件数")"#,
            r#"(id: "issued", label: "本年废止件数")"#,
            "duplicate column id `issued`",
        ),
        (
            "rule naming a missing cell",
            r#"cells: ["s4.review.total"]"#,
            r#"cells: ["s4.review.grand_total"]"#,
            "names missing cell `s4.review.grand_total`",
        ),
        (
            "rule naming a missing row",
            r#"lhs: ["s3.new", "s3.carried_in"]"#,
            r#"lhs: ["s3.new", "s3.carried_over"]"#,
            "names missing row `s3.carried_over`",
        ),
        (
            "computed cell that is also an input",
            r#"(id: "s3.handled_total", labels: ["三、本年度办理结果", "（七）总计"], short: "三（七）", computed: true)"#,
            r#"(id: "s3.handled_total", labels: ["三、本年度办理结果", "（七）总计"], short: "三（七）")"#,
            "computes cell `s3.handled_total.natural`, but that cell is an input",
        ),
        (
            "computed cell with no formula",
            r#"(id: "upheld", label: "结果维持")"#,
            r#"(id: "upheld", label: "结果维持", computed: true)"#,
            "computed cell `s4.review.upheld` has no rule that computes it",
        ),
        (
            "duplicate rule id",
            r#"(id: "precision""#,
            r#"(id: "blank""#,
            "duplicate rule id `blank`",
        ),
        (
            "table in a missing section",
            r#"id: "s4", section: "s4""#,
            r#"id: "s4", section: "s9""#,
            "names missing section `s9`",
        ),
    ];
    for (what, from, to, expect) in cases {
        let broken = replace_once(&src, from, to);
        match generate(&broken) {
            Ok(_) => panic!("{what}: the broken template was accepted"),
            Err(msg) => assert!(msg.contains(expect), "{what}: message was `{msg}`"),
        }
    }
}

#[test]
fn unparsable_templates_name_the_file() {
    let err = generate("(edition: \"2021\",").unwrap_err();
    assert!(err.starts_with("test.ron: "), "{err}");
}
