//! `gazetteer completions SHELL` and `gazetteer man`: shell completions and a manual page,
//! generated from the same clap definition as `--help`, so that they cannot drift from it.
//!
//! Owns only the rendering; `cli` decides when they are asked for.

use std::io::{self, Write};

/// The completion script for `shell`.
pub fn completions(
    mut cmd: clap::Command,
    shell: clap_complete::Shell,
    out: &mut dyn Write,
) -> io::Result<()> {
    // clap_complete panics on a failed write: it writes to memory, we write it out.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "gazetteer", &mut script);
    out.write_all(&script)
}

/// One manual page (roff): the program, then a section per command with its synopsis and
/// options, then the exit status.
pub fn man(cmd: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = cmd.long_version(crate::version::long());
    cmd.build();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    // One page for all: the commands are listed here, and each has its section below.
    let commands: Vec<&clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    writeln!(page, ".SH COMMANDS")?;
    for sub in &commands {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        writeln!(
            page,
            ".TP
\\fBgazetteer {}\\fR
{}",
            sub.get_name(),
            roff_text(&about)
        )?;
    }
    if let Some(after) = cmd.get_after_help() {
        writeln!(
            page,
            ".SH EXAMPLES\n.nf\n{}\n.fi",
            roff_text(&after.to_string())
        )?;
    }
    for sub in commands {
        let mut section = Vec::new();
        let sub_man = clap_mangen::Man::new(sub.clone());
        sub_man.render_synopsis_section(&mut section)?;
        sub_man.render_description_section(&mut section)?;
        sub_man.render_options_section(&mut section)?;
        writeln!(page, ".SH \"GAZETTEER {}\"", sub.get_name().to_uppercase())?;
        // Each command's sections become subsections of its own.
        for line in String::from_utf8_lossy(&section).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(page, ".SS {title}")?,
                None => writeln!(page, "{line}")?,
            }
        }
        if let Some(after) = sub.get_after_help() {
            writeln!(page, ".PP\n.nf\n{}\n.fi", roff_text(&after.to_string()))?;
        }
    }
    man.render_version_section(&mut page)?;
    out.write_all(&page)
}

/// Text for a roff no-fill block: backslashes escaped, and no line taken as a request.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e");
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
