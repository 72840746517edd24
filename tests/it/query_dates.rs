//! Dates typed in queries, through the real binary.

use crate::util;

use util::Dir;

const DATA: &str = "place_id,name,start,end,source\n\
                    x-b,Bragenfeld,0900,1200,https://example.org/b\n\
                    x-a,Alesia,-0100,0500,https://example.org/a\n";

fn at(dir: &Dir, date: &str, name: &str) -> util::Output {
    dir.run(&["--no-default-data", "--data", "d.csv", "at", date, name])
}

// #14: `at 967 Bragenfeld` was refused with "year must have 4 digits".
#[test]
fn a_short_year_in_a_query_is_that_year() {
    let dir = Dir::new();
    dir.write("d.csv", DATA);
    at(&dir, "967", "Bragenfeld")
        .code(0)
        .stdout_has("on 0967:")
        .stdout_has("certain");
    at(&dir, "96", "Alesia").code(0).stdout_has("on 0096:");
    at(&dir, "967-05-03", "Bragenfeld")
        .code(0)
        .stdout_has("on 0967-05-03:");
    // Negative years are astronomical, as in EDTF: -44 is -0044 (45 BCE); 44 BC is -0043.
    at(&dir, "-44", "Alesia").code(0).stdout_has("on -0044:");
    at(&dir, "44 BC", "Alesia").code(0).stdout_has("on -0043:");
    // Before the first name: said so, with the year as the answer reads it.
    at(&dir, "850", "Bragenfeld")
        .code(0)
        .stdout_has("no name recorded on 0850");
    // A bad date is quoted as it was typed.
    at(&dir, "967-13", "Bragenfeld")
        .code(2)
        .stderr_has("'967-13' is not a date (month 13)");
    at(&dir, "96X", "Bragenfeld")
        .code(2)
        .stderr_has("'96X' is not a date (year must have 4 digits)");
    // resolve's dates are queries too.
    dir.write("rows.csv", "name,date\nBragenfeld,967\n");
    dir.run(&[
        "--no-default-data",
        "--data",
        "d.csv",
        "resolve",
        "rows.csv",
        "--name-column",
        "name",
        "--date-column",
        "date",
    ])
    .code(0)
    .stdout_has("Bragenfeld,967,x-b,Bragenfeld,Bragenfeld,exact,0900/1200,certain,ok");
}

// #14: data files keep EDTF's four-digit years.
#[test]
fn a_short_year_in_a_data_file_is_still_refused() {
    let dir = Dir::new();
    dir.write(
        "short.csv",
        "place_id,name,start,end,source\nx,Bragenfeld,967,,https://example.org\n",
    );
    dir.run(&[
        "--no-default-data",
        "--data",
        "short.csv",
        "lookup",
        "Bragenfeld",
    ])
    .code(2)
    .stderr_has("short.csv:2: column 'start': '967' is not a date (year must have 4 digits)");
}
