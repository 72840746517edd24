//! The README's tour must tell the truth: every `console` block is run through the
//! real binary on the built-in data, and its output compared with what the README shows.

use crate::util;

use std::process::Command;

const MINE: &str = "place_id,name,start,end,lang,type,country,lat,lon,source,note\n\
my-hometown,Foo,1900,1950,en,village,RU,55.1,37.2,parish register,\n\
my-hometown,Bar,1950,,en,village,RU,55.1,37.2,parish register,\n";

#[test]
fn the_tour_in_the_readme_is_what_the_binary_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let dir = util::Dir::new();
    dir.write("mine.csv", MINE);
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_gazetteer"), bin.join("gazetteer")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut checked = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let (command_line, expected) = block.split_once('\n').unwrap();
        let command = command_line
            .strip_prefix("$ ")
            .expect("a console block starts with '$ '");
        let (expected, code) = match expected.rsplit_once("(exit ") {
            Some((text, code)) => (
                text.to_string(),
                code.trim().trim_end_matches(')').parse::<i32>().unwrap(),
            ),
            None => (expected.to_string(), 0),
        };
        let out = Command::new("bash")
            .arg("-c")
            .arg(command)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env_remove("NO_COLOR")
            // (#20: a timeline ends names still in use today; the tour's is drawn on this day.)
            .env("SOURCE_DATE_EPOCH", "1796083200")
            .output()
            .unwrap();
        let got = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            got, expected,
            "README block `{command}` no longer matches the binary"
        );
        assert_eq!(out.status.code(), Some(code), "exit code of `{command}`");
        checked += 1;
    }
    assert!(
        checked >= 5,
        "the README should have a tour ({checked} blocks found)"
    );
}
