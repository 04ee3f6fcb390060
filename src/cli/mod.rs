//! The command line of `interfaces.md`: everything the window does to a file, scriptable and testable.
//!
//! Each subcommand lives in its own file with a `run(&Args) -> ExitCode`. Messages are Chinese for people and
//! go to stderr; results go to stdout; rule ids and cell ids are stable for programs.
//!
//! Exit statuses: 0 success; 1 the command worked and found problems (`check`: errors, `import`: doubts);
//! 2 the command could not do its work (bad arguments, unreadable input, output not writable).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub mod args;
mod check;
mod export;
mod import;
mod merge;
mod new;
mod next_year;
pub mod out;

/// 政府信息公开工作年度报告：填写、检查、导出、汇总。
#[derive(Parser, Debug)]
#[command(name = "nianbao", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// 要打开的项目文件（.nianbao）或报告文本（.txt）；不写则新建空白报告。
    pub file: Option<PathBuf>,
    /// 子命令；不写则打开窗口。
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// 新建空白报告项目文件。
    New(NewArgs),
    /// 检查报告，列出错误和警告。
    Check(CheckArgs),
    /// 导出报告（文本、JSON、HTML、Word 文档）。
    Export(ExportArgs),
    /// 把已发布的报告文本读成项目文件。
    Import(ImportArgs),
    /// 以本年度报告为基础新建下一年度报告。
    NextYear(NextYearArgs),
    /// 汇总下级单位的报告。
    Merge(MergeArgs),
}

/// `nianbao new`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// 格式版本：2019（试行）或 2021。
    #[arg(long)]
    pub edition: String,
    /// 报告年度，例如 2025。
    #[arg(long)]
    pub year: i32,
    /// 机关名称。
    #[arg(long)]
    pub agency: String,
    /// 输出的项目文件。
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// 输出文件已存在时覆盖它。
    #[arg(long)]
    pub force: bool,
}

/// `nianbao check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 要检查的文件（项目文件、JSON 或报告文本），可以多个。
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 以 JSON 输出。
    #[arg(long)]
    pub json: bool,
    /// 上一年度的报告，用于跨年度检查。
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

/// Export formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// 纯文本（官方版式）。
    #[default]
    Text,
    /// JSON。
    Json,
    /// HTML 网页。
    Html,
    /// Word 文档（.docx，公文版式）。
    Docx,
}

/// Text encodings for export.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EncodingArg {
    /// UTF-8（默认）。
    #[default]
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030（兼容 GBK，Windows 记事本和旧网站系统）。
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
}

/// `nianbao export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// 要导出的文件。
    pub file: PathBuf,
    /// 导出格式。
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// 文本编码。
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    pub encoding: EncodingArg,
    /// 使用 Windows 换行（CRLF）。
    #[arg(long)]
    pub crlf: bool,
    /// 输出文件；不写或写 - 则输出到屏幕。
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// `nianbao import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// 已发布的报告文本。
    pub file: PathBuf,
    /// 输出的项目文件。
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// 以 JSON 输出读取结果和存疑之处。
    #[arg(long)]
    pub json: bool,
}

/// `nianbao next-year`.
#[derive(Args, Debug)]
pub struct NextYearArgs {
    /// 本年度的报告。
    pub file: PathBuf,
    /// 输出的下一年度项目文件。
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// `nianbao merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// 下级单位的报告（项目文件或报告文本）。
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 汇总后的机关名称。
    #[arg(long)]
    pub agency: String,
    /// 输出的项目文件。
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// Runs a subcommand; `None` when the window should open instead (with the optional file).
pub fn run(cli: &Cli) -> Option<ExitCode> {
    let code = match cli.command.as_ref()? {
        Command::New(a) => new::run(a),
        Command::Check(a) => check::run(a),
        Command::Export(a) => export::run(a),
        Command::Import(a) => import::run(a),
        Command::NextYear(a) => next_year::run(a),
        Command::Merge(a) => merge::run(a),
    };
    Some(code)
}

/// Exit status 1: the command worked and found problems.
pub const EXIT_PROBLEMS: u8 = 1;

/// Exit status 2: the command could not do its work.
pub const EXIT_FAILURE: u8 = 2;

/// Prints `msg` for the clerk on stderr and returns exit status 2.
pub fn fail(msg: &str) -> ExitCode {
    eprintln!("nianbao：{msg}");
    ExitCode::from(EXIT_FAILURE)
}

/// Writes a result to `output`: stdout ([`out::write_bytes`]) when it is `None` or `-`, otherwise the file
/// ([`crate::fsio::write_atomic`]: a device such as `/dev/null` is written to, never replaced).
pub fn write_output(output: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match output {
        None => out::write_bytes(bytes),
        Some(p) if p.as_os_str() == "-" => out::write_bytes(bytes),
        Some(p) => crate::fsio::write_atomic(p, bytes).map_err(|e| format!("无法写入「{}」：{e}", p.display())),
    }
}
