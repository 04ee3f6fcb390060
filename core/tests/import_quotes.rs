//! A doubt quotes the row it is about, not the line it is on: a page whose line breaks were lost is one line,
//! and its start is the page's head and title, where the clerk cannot find the row.

use nianbao_core::import::import_text;
use nianbao_core::template::{Edition, Layout};

/// The head of a web page run into the report's title, as a crawler leaves it.
const HEAD: &str = "当前位置：首页>政务公开>政府信息公开年报 某县人民政府2021年政府信息公开工作年度报告 \
                    信息来源：某县人民政府办公室【字体：大中小】 某县人民政府2021年政府信息公开工作年度报告 ";

/// A whole report on one line, the cells of its tables run together.
fn collapsed() -> String {
    format!(
        "{HEAD}一、总体情况 全年工作有序开展，{}二、主动公开政府信息情况 \
         第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章12034行政规范性文件24067\
         第二十条第（五）项信息内容本年处理决定数量行政许可7721543\
         第二十条第（六）项信息内容本年处理决定数量行政处罚2328行政强制868\
         四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计\
         未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计\
         000000030300000 五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。",
        "公开工作取得新进展。".repeat(8)
    )
}

#[test]
fn doubts_of_a_collapsed_page_quote_their_rows() {
    let imported = import_text(&collapsed()).expect("a report");
    let t = Edition::E2021.template();
    assert_eq!(imported.report.edition, Edition::E2021);
    let doubts: Vec<_> = imported.doubts.iter().filter(|d| d.line > 0).collect();
    assert!(doubts.len() >= 2, "{:#?}", imported.doubts);
    for d in &doubts {
        assert_eq!(d.line, 1, "{d}");
        assert!(!d.source.contains("年度报告") && !d.source.contains("当前位置"), "{d}");
        assert!(d.source.split('；').all(|q| q.chars().count() <= 80), "{d}");
        // The first cell's row, when the table has rows: its label is quoted.
        let Some(&c) = d.cells.first() else { continue };
        let table = &t.tables[t.cells[c].table];
        let row = table.rows.iter().find(|r| r.cells.contains(&c)).expect("a row");
        if table.layout == Layout::Rows {
            assert!(d.source.contains(row.label()), "{d}");
        }
    }
    // One doubt for two rows quotes both rows it names, in their order.
    let rows = doubts
        .iter()
        .find(|d| d.message.contains("行政规范性文件"))
        .expect("a doubt");
    assert!(rows.message.starts_with("2行的数字连在一起：「规章」"), "{rows}");
    assert_eq!(rows.source, "…规章12034…；…行政规范性文件24067…");
    // An inline table has no row label: its numbers are quoted, not the heading and header before them.
    let inline = doubts
        .iter()
        .find(|d| d.message.contains("000000030300000"))
        .expect("a doubt");
    assert_eq!(inline.source, "…000000030300000…");
}
