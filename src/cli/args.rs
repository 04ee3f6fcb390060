//! The command line's own words in Chinese: clap writes its help headings and its argument errors in English,
//! so the help is laid out with Chinese headings here and every error kind is rendered in Chinese from clap's
//! context (the argument, the value, the valid values, a suggestion).

use super::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// The help layout: Chinese headings around clap's lists.
const HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command with Chinese help texts, headings and help/version flags.
pub fn command() -> clap::Command {
    localize(Cli::command(), true)
}

fn localize(cmd: clap::Command, root: bool) -> clap::Command {
    let cmd = cmd
        .help_template(HELP)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .subcommand_help_heading("子命令")
        .subcommand_value_name("子命令")
        .mut_args(|a| {
            let heading = if a.is_positional() { "参数" } else { "选项" };
            a.help_heading(heading)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示这段说明")
                .help_heading("选项"),
        )
        .mut_subcommands(|c| localize(c, false));
    if root {
        cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        )
    } else {
        cmd
    }
}

/// Parses the process's arguments. Help and version are printed (exit 0); an argument error is printed in
/// Chinese on stderr and is exit status 2.
pub fn parse() -> Result<Cli, ExitCode> {
    parse_from(std::env::args_os())
}

/// [`parse`] over given arguments (the first is the program name).
pub fn parse_from<I, T>(args: I) -> Result<Cli, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let result = command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => Ok(cli),
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            Err(ExitCode::SUCCESS)
        }
        Err(e) if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            Err(ExitCode::from(super::EXIT_FAILURE))
        }
        Err(e) => Err(super::fail(&message(&e))),
    }
}

/// A clap error in Chinese.
pub fn message(e: &clap::Error) -> String {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(v.iter().map(ToString::to_string).collect::<Vec<_>>().join("、")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut msg = match e.kind() {
        ErrorKind::InvalidValue => {
            let mut m = if value.is_empty() {
                format!("「{arg}」后面缺少值")
            } else {
                format!("「{arg}」的值「{value}」无效")
            };
            if let Some(ContextValue::Strings(valid)) = e.get(ContextKind::ValidValue) {
                let valid: Vec<String> = valid.iter().map(|v| format!("「{v}」")).collect();
                m.push_str("，可选的值有：");
                m.push_str(&valid.join("、"));
            }
            m
        }
        ErrorKind::ValueValidation => {
            format!("「{arg}」的值「{value}」无法识别（请检查是否写错，数字是否过大）")
        }
        ErrorKind::UnknownArgument => format!("不认识的参数「{arg}」"),
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("不认识的子命令「{sub}」")
        }
        ErrorKind::NoEquals => format!("「{arg}」的值要用等号接在后面"),
        ErrorKind::TooManyValues => format!("「{arg}」的值太多（多余的是「{value}」）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("「{arg}」的值个数不对"),
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg).unwrap_or_default();
            format!("「{arg}」不能与「{prior}」同时使用")
        }
        ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(v)) => {
                let v: Vec<String> = v.iter().map(|a| format!("「{a}」")).collect();
                format!("缺少必需的参数：{}", v.join("、"))
            }
            _ => format!("缺少必需的参数：「{arg}」"),
        },
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    if let Some(s) = get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand)) {
        msg.push_str("；是不是想写「");
        msg.push_str(&s);
        msg.push_str("」？");
    }
    msg.push_str("。用法请看 nianbao --help");
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(args: &[&str]) -> String {
        let e = command().try_get_matches_from(args).unwrap_err();
        message(&e)
    }

    #[test]
    fn argument_errors_are_chinese() {
        for (args, want) in [
            (&["nianbao", "--no-such-flag"][..], "不认识的参数「--no-such-flag」"),
            (&["nianbao", "export", "--format", "docz", "a"], "可选的值有"),
            (&["nianbao", "new", "--edition", "2021"], "缺少必需的参数"),
            (&["nianbao", "check"], "缺少必需的参数"),
            (
                &[
                    "nianbao",
                    "new",
                    "--edition",
                    "2021",
                    "--year",
                    "99999999999",
                    "--agency",
                    "x",
                    "-o",
                    "a",
                ],
                "「99999999999」无法识别",
            ),
            (&["nianbao", "check", "--jsn", "a"], "是不是想写「--json」"),
        ] {
            let msg = refusal(args);
            assert!(msg.contains(want), "{args:?}: {msg}");
            // Only what is quoted from the command line (「--json」) and the program's name may be Latin.
            let mut outside = String::new();
            let mut depth = 0;
            for c in msg.replace("nianbao --help", "").chars() {
                match c {
                    '「' => depth += 1,
                    '」' => depth -= 1,
                    _ if depth == 0 => outside.push(c),
                    _ => {}
                }
            }
            assert!(!outside.chars().any(|c| c.is_ascii_alphabetic()), "{args:?}: {msg}");
        }
    }

    #[test]
    fn help_has_chinese_headings() {
        let help = command().render_help().to_string();
        for want in ["用法：", "子命令", "选项", "显示这段说明"] {
            assert!(help.contains(want), "{help}");
        }
        let mut cmd = command();
        cmd.build();
        let check = cmd.find_subcommand_mut("check").unwrap().render_help().to_string();
        assert!(check.contains("参数") && check.contains("选项"), "{check}");
        assert!(
            !check.contains("Usage") && !check.contains("Options") && !check.contains("Print help"),
            "{check}"
        );
    }
}
