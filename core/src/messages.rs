//! Parser details put into words a clerk can act on: serde, RON and JSON report what went wrong in English; the
//! clerk reads only Chinese, with the line and column where there is one.

/// Whether `text` holds any Latin letter (the messages here must not, apart from what the file itself says).
fn has_latin(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_alphabetic())
}

/// What a value should have been, from serde's `expected …` text: Chinese when the visitor wrote Chinese, else
/// the kind of value in Chinese, else nothing.
pub fn expected_kind(expected: &str) -> Option<String> {
    let e = expected.trim();
    if !has_latin(e) && !e.is_empty() {
        return Some(e.to_string());
    }
    let kind = if e.contains("string") || e.contains("char") {
        "带引号的文字"
    } else if [
        "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "usize", "isize", "integer",
    ]
    .iter()
    .any(|k| e.contains(k))
    {
        "整数"
    } else if e.contains("f32") || e.contains("f64") || e.contains("float") {
        "数字"
    } else if e.contains("bool") {
        "true 或 false"
    } else if e.contains("sequence") || e.contains("array") || e.contains("tuple") {
        "用方括号括起的列表"
    } else if e.contains("map") || e.contains("struct") {
        "用括号括起的结构"
    } else if e.contains("option") {
        "值或 None"
    } else {
        return None;
    };
    Some(kind.to_string())
}

/// A serde error message ("invalid type: map, expected a string", "missing field"…) in Chinese. A message
/// that is already Chinese (our own visitors write Chinese) is kept.
pub fn serde_message(msg: &str) -> String {
    // Our own visitors and checks write Chinese (quoting cell ids and values as they are): keep their words —
    // except serde's own "invalid type: …, expected <our Chinese>", whose English head is translated below.
    let serde_head = ["invalid type", "invalid length", "invalid value"]
        .iter()
        .any(|p| msg.starts_with(p));
    if !serde_head && msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return msg.to_string();
    }
    let quoted = |rest: &str| rest.split('`').nth(1).map(str::to_string);
    if let Some(rest) = msg.strip_prefix("missing field ")
        && let Some(f) = quoted(rest)
    {
        return format!("缺少「{f}」");
    }
    if let Some(rest) = msg.strip_prefix("duplicate field ")
        && let Some(f) = quoted(rest)
    {
        return format!("「{f}」出现了两次");
    }
    if let Some(rest) = msg.strip_prefix("unknown field ")
        && let Some(f) = quoted(rest)
    {
        return format!("不认识的字段「{f}」");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ")
        && let Some(f) = quoted(rest)
    {
        return format!("不认识的取值「{f}」");
    }
    let expected = msg.split_once(", expected ").and_then(|(_, e)| expected_kind(e));
    let what = if msg.starts_with("invalid type") {
        "类型不对"
    } else if msg.starts_with("invalid length") {
        "个数不对"
    } else if msg.starts_with("invalid value") {
        "取值不对"
    } else {
        "内容不符合要求"
    };
    match expected {
        Some(e) => format!("{what}，这里应是{e}"),
        None => what.to_string(),
    }
}

/// A RON error code in Chinese.
pub fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    let fixed = match code {
        E::Message(m) => return serde_message(m),
        E::Eof => "文件不完整（意外结束）",
        E::MissingStructField { field, .. } => return format!("缺少「{field}」"),
        E::DuplicateStructField { field, .. } => return format!("「{field}」出现了两次"),
        E::NoSuchStructField { found, .. } => return format!("不认识的字段「{found}」"),
        E::NoSuchEnumVariant { found, .. } => return format!("不认识的取值「{found}」"),
        E::InvalidValueForType { expected, .. } => {
            return match expected_kind(expected) {
                Some(e) => format!("类型不对，这里应是{e}"),
                None => "类型不对".to_string(),
            };
        }
        E::ExpectedDifferentLength { found, .. } => return format!("个数不对（有 {found} 个）"),
        E::UnexpectedChar(c) if !c.is_ascii_alphanumeric() => return format!("这里不应有「{c}」"),
        E::InvalidIntegerDigit { digit, .. } if !digit.is_ascii_alphabetic() => {
            return format!("数字中不应有「{digit}」");
        }
        E::ExpectedString | E::ExpectedStringEnd | E::ExpectedChar => "这里应是带引号的文字",
        E::ExpectedInteger | E::IntegerOutOfBounds | E::InvalidIntegerDigit { .. } => "这里应是整数",
        E::ExpectedFloat | E::FloatUnderscore => "这里应是数字",
        E::ExpectedComma => "缺少逗号",
        E::ExpectedMapColon => "缺少冒号",
        E::ExpectedArray | E::ExpectedArrayEnd => "方括号 [ ] 不完整",
        E::ExpectedMap | E::ExpectedMapEnd => "花括号 { } 不完整",
        E::ExpectedStructLike | E::ExpectedStructLikeEnd | E::ExpectedNamedStructLike(_) | E::ExpectedStructName(_) => {
            "圆括号 ( ) 不完整"
        }
        E::ExpectedDifferentStructName { .. } => "结构名称不对",
        E::ExpectedBoolean => "这里应是 true 或 false",
        E::ExpectedOption | E::ExpectedOptionEnd => "这里应是值或 None",
        E::ExpectedUnit => "这里应是空值",
        E::ExpectedIdentifier | E::InvalidIdentifier(_) | E::SuggestRawIdentifier(_) => "这里应是字段名",
        E::InvalidEscape(_) => "文字中有无效的转义符（反斜杠）",
        E::UnclosedBlockComment | E::UnclosedLineComment => "注释没有结束",
        E::TrailingCharacters => "结尾有多余的内容",
        E::ExceededRecursionLimit => "括号嵌套过深",
        E::Utf8Error(_) => "不是 UTF-8 文本",
        E::UnexpectedChar(_) | E::UnderscoreAtBeginning => "这里有多余的字符",
        _ => "格式错误",
    };
    fixed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_chinese() {
        for (msg, want) in [
            ("invalid type: map, expected a string", "类型不对，这里应是带引号的文字"),
            ("invalid type: string \"x\", expected i32", "类型不对，这里应是整数"),
            ("missing field `cells`", "缺少「cells」"),
            ("duplicate field `year`", "「year」出现了两次"),
            ("unknown variant `Foo`, expected one of `A`, `B`", "不认识的取值「Foo」"),
            ("invalid value: integer `-1`, expected u32", "取值不对，这里应是整数"),
            ("something else entirely", "内容不符合要求"),
            ("这里只能填写整数", "这里只能填写整数"),
        ] {
            assert_eq!(serde_message(msg), want, "{msg}");
        }
    }

    #[test]
    fn ron_errors_become_chinese() {
        for text in [
            "(",
            "(a: [1, 2)",
            "(a: {\"x\" 1})",
            "(a: \"\\q\")",
            "/* open",
            &"(".repeat(1000),
            "(a: 1) trailing",
            "(a: 0xZZ)",
        ] {
            let e = ron::from_str::<ron::Value>(text).unwrap_err();
            let m = ron_message(&e.code);
            assert!(
                !has_latin(
                    &m.replace("UTF-8", "")
                        .replace("true", "")
                        .replace("false", "")
                        .replace("None", "")
                ),
                "{text}: {m}"
            );
        }
    }
}
