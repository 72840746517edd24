//! Parsing a big file on a thread of its own while the sink works on this one.

use super::{CheckedRow, RowChecker, Sink};
use crate::error::{Diagnostic, Error};
use std::sync::Arc;

/// Files from this size are parsed on a thread of their own ([`pipelined`]), on a machine
/// with more than one core. The same as the size from which files are indexed
/// (`crate::store::MIN_SIZE`), so that there the index's tests read through the pipeline
/// too.
const PIPELINE_FROM: u64 = 1 << 20;

/// Rows handed from the parsing thread to the sink a batch at a time.
const PIPELINE_BATCH: usize = 1024;

/// What the parsing thread passes on, in the order the sink must see it.
enum Event {
    Row(u64, csv::StringRecord, Option<CheckedRow>),
    Problem(Diagnostic),
    End(u64),
}

enum Message {
    /// The header, whose answer the parsing thread waits for.
    Header(Arc<str>, Vec<String>),
    Events(Vec<Event>),
}

/// The sink on the parsing thread's side: it batches what it is offered and sends it on.
struct Forward<'c> {
    batch: Vec<Event>,
    /// Records of batches the sink is done with, to be filled again.
    spare: Vec<csv::StringRecord>,
    to_sink: &'c std::sync::mpsc::SyncSender<Message>,
    answers: &'c std::sync::mpsc::Receiver<(bool, Option<RowChecker>)>,
    returned: &'c std::sync::mpsc::Receiver<Vec<Event>>,
    /// The sink's row checker for the current file, run here.
    checker: Option<RowChecker>,
}

impl Forward<'_> {
    fn push(&mut self, event: Event) {
        self.batch.push(event);
        if self.batch.len() >= PIPELINE_BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(PIPELINE_BATCH));
        // A send fails only when the sink's side has stopped: then nothing is wanted.
        let _ = self.to_sink.send(Message::Events(batch));
    }
}

/// One file is read at a time, so the rows' file is the one of the last header.
impl Sink for Forward<'_> {
    fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
        self.flush();
        if self
            .to_sink
            .send(Message::Header(file.clone(), header.to_vec()))
            .is_err()
        {
            return false;
        }
        let (go_on, checker) = self.answers.recv().unwrap_or((false, None));
        self.checker = checker;
        go_on
    }

    fn row(&mut self, file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
        let _ = self.take_row(file, line, fields.clone());
    }

    fn take_row(
        &mut self,
        _file: &Arc<str>,
        line: u64,
        record: csv::StringRecord,
    ) -> csv::StringRecord {
        let checked = self.checker.as_mut().map(|check| check(&record));
        self.push(Event::Row(line, record, checked));
        if self.spare.is_empty()
            && let Ok(events) = self.returned.try_recv()
        {
            self.spare
                .extend(events.into_iter().filter_map(|e| match e {
                    Event::Row(_, r, _) => Some(r),
                    _ => None,
                }));
        }
        self.spare.pop().unwrap_or_default()
    }

    fn problem(&mut self, problem: Diagnostic) {
        self.push(Event::Problem(problem));
    }

    fn end(&mut self, _file: &Arc<str>, rows: u64) {
        self.push(Event::End(rows));
        self.flush();
    }
}

/// Whether a data file is big enough to be parsed on a thread of its own ([`pipelined`]).
pub fn worth_a_thread(path: &std::path::Path) -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= PIPELINE_FROM)
}

/// Runs `parse` (which reads a CSV file into the sink it is given, as [`super::parse_into`]
/// does) on a thread of its own, and `sink` on this one: splitting a big file into
/// records and checking its UTF-8 is a good part of loading it, and here it overlaps
/// with the sink's work. The sink sees exactly the calls `parse` makes, in the same order.
pub fn pipelined<T: Send>(
    name: &str,
    sink: &mut dyn Sink,
    parse: impl FnOnce(&mut dyn Sink) -> Result<T, Error> + Send,
) -> Result<T, Error> {
    std::thread::scope(|s| {
        // Made here, and owned by this thread's side: should the sink panic, its ends are
        // dropped as it unwinds, and the parsing thread stops waiting on them.
        let (to_sink, messages) = std::sync::mpsc::sync_channel::<Message>(8);
        let (answer, answers) = std::sync::mpsc::sync_channel::<(bool, Option<RowChecker>)>(1);
        let (give_back, returned) = std::sync::mpsc::sync_channel::<Vec<Event>>(8);
        let parser = s.spawn(move || {
            let mut forward = Forward {
                batch: Vec::with_capacity(PIPELINE_BATCH),
                spare: Vec::new(),
                to_sink: &to_sink,
                answers: &answers,
                returned: &returned,
                checker: None,
            };
            let parsed = parse(&mut forward);
            forward.flush();
            parsed
        });
        let mut file: Arc<str> = Arc::from(name);
        for message in messages {
            match message {
                Message::Header(named, header) => {
                    file = named;
                    let go_on = sink.header(&file, &header);
                    let checker = if go_on { sink.row_checker() } else { None };
                    if answer.send((go_on, checker)).is_err() {
                        break;
                    }
                }
                Message::Events(mut events) => {
                    for event in &mut events {
                        match event {
                            Event::Row(line, record, checked) => match checked.take() {
                                Some(checked) => sink.checked_row(&file, *line, record, checked),
                                None => sink.row(&file, *line, record),
                            },
                            Event::Problem(p) => sink.problem(p.clone()),
                            Event::End(rows) => sink.end(&file, *rows),
                        }
                    }
                    // For the parsing thread to fill again (or dropped, if it has enough).
                    let _ = give_back.try_send(events);
                }
            }
        }
        parser
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_into;

    /// Every call a sink receives, in order.
    #[derive(Debug, PartialEq)]
    enum Call {
        Header(String, Vec<String>),
        /// A row, with what the row checker made of it (the length of its first field)
        /// when there is one, else that worked out here.
        Row(u64, Vec<String>, usize),
        Problem(String),
        End(u64),
    }

    struct Log {
        calls: Vec<Call>,
        take_header: bool,
    }

    fn first_len(r: &csv::StringRecord) -> usize {
        r.get(0).map_or(0, str::len)
    }

    impl Sink for Log {
        fn header(&mut self, file: &Arc<str>, header: &[String]) -> bool {
            self.calls
                .push(Call::Header(file.to_string(), header.to_vec()));
            self.take_header
        }
        fn row(&mut self, _file: &Arc<str>, line: u64, fields: &csv::StringRecord) {
            let fields = fields.iter().map(str::to_string).collect();
            self.calls.push(Call::Row(line, fields, usize::MAX));
        }
        fn row_checker(&self) -> Option<RowChecker> {
            Some(Box::new(|r| Box::new(first_len(r))))
        }
        fn checked_row(
            &mut self,
            _file: &Arc<str>,
            line: u64,
            fields: &csv::StringRecord,
            checked: CheckedRow,
        ) {
            let checked = *checked.downcast::<usize>().unwrap();
            let fields: Vec<String> = fields.iter().map(str::to_string).collect();
            self.calls.push(Call::Row(line, fields, checked));
        }
        fn problem(&mut self, problem: Diagnostic) {
            self.calls.push(Call::Problem(problem.to_string()));
        }
        fn end(&mut self, file: &Arc<str>, rows: u64) {
            self.calls.push(Call::End(rows));
            let _ = file;
        }
    }

    /// A big file is parsed on a thread of its own: the sink must receive just the calls
    /// the plain reader makes, problems included, in the same order, each row with what
    /// the row checker made of that very row.
    #[test]
    fn a_file_read_on_a_second_thread_gives_the_sink_the_same_calls() {
        let mut text = b"place_id,name,note\n".to_vec();
        let mut i = 0;
        while text.len() < 3 << 20 {
            match i % 997 {
                5 => text.extend_from_slice(b"p,too,many,fields\n"),
                17 => text.extend_from_slice(b"p,\xFF,not UTF-8\n"),
                29 => text.extend_from_slice(format!("p{i},\"two\nlines\",x\r\n").as_bytes()),
                _ => text.extend_from_slice(format!("p{},Name {i},\n", i / 3).as_bytes()),
            }
            i += 1;
        }
        text.extend_from_slice(b"q,\"never closed\n");
        let run = |take_header: bool, threaded: bool| {
            let mut log = Log {
                calls: Vec::new(),
                take_header,
            };
            let parse =
                |sink: &mut dyn Sink| parse_into("big.csv", &text[..], sink).map_err(Error::Output);
            if threaded {
                pipelined("big.csv", &mut log, parse).unwrap();
            } else {
                parse(&mut log).unwrap();
                // What the checker would have made of each row.
                for c in &mut log.calls {
                    if let Call::Row(_, fields, checked) = c {
                        *checked = fields.first().map_or(0, String::len);
                    }
                }
            }
            log.calls
        };
        let plain = run(true, false);
        let rows = plain.iter().filter(|c| matches!(c, Call::Row(..))).count();
        let problems = plain
            .iter()
            .filter(|c| matches!(c, Call::Problem(..)))
            .count();
        assert!(rows > 100_000, "{rows}");
        assert!(problems > 20, "{problems}");
        assert!(
            matches!(plain.last(), Some(Call::End(_))),
            "{:?}",
            plain.last()
        );
        assert_eq!(run(true, true), plain);
        // A header the sink refuses ends the reading the same way.
        assert_eq!(run(false, true), run(false, false));
        assert_eq!(run(false, true).len(), 1);
    }
}
