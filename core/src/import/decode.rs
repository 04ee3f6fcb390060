//! Bytes of a report file → text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

/// Decodes a report file's bytes.
///
/// A BOM decides first (UTF-8, UTF-16 LE/BE); then valid UTF-8 is taken as is; anything else is read as
/// GB18030 (a superset of GBK), which is what reports saved from Windows Notepad or older CMSs usually are.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE.decode_with_bom_removal(bytes).0.into_owned();
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE.decode_with_bom_removal(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_table() {
        let gbk_zhong: &[u8] = &[0xD6, 0xD0, b'\n'];
        let cases: &[(&[u8], &str)] = &[
            (b"abc", "abc"),
            ("中文".as_bytes(), "中文"),
            (b"\xEF\xBB\xBFabc", "abc"),
            (gbk_zhong, "中\n"),
            (&[0xFF, 0xFE, b'a', 0], "a"),
            (&[0xFE, 0xFF, 0, b'a'], "a"),
            (b"", ""),
        ];
        for (bytes, want) in cases {
            assert_eq!(decode(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn gb18030_round_trip_of_a_title() {
        let s = "辉县市人民政府2021年政府信息公开工作年度报告\r\n规章\t0\t0\t0\r\n";
        let bytes = encoding_rs::GB18030.encode(s).0.into_owned();
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes), s);
    }
}
