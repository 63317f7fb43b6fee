//! What every command-line test does: run the built binary and read what it said.
//!
//! A command is given either as its words (`&["eval", "x^2", "--at", "1"]`) or as one line
//! the way a person types it (`"eval 'x^2 + 1' --at 1"`): long flag lists read on one line
//! instead of one word per line, which rustfmt would otherwise print and repeat.

use std::path::Path;
use std::process::{Command, Output};

/// A command's arguments, as words or as one typed line (see [`words`]).
pub trait Argv {
    fn argv(&self) -> Vec<String>;
}

impl Argv for str {
    fn argv(&self) -> Vec<String> {
        words(self)
    }
}

impl Argv for String {
    fn argv(&self) -> Vec<String> {
        words(self)
    }
}

impl Argv for [&str] {
    fn argv(&self) -> Vec<String> {
        self.iter().map(|s| s.to_string()).collect()
    }
}

impl<const N: usize> Argv for [&str; N] {
    fn argv(&self) -> Vec<String> {
        self[..].argv()
    }
}

impl Argv for Vec<&str> {
    fn argv(&self) -> Vec<String> {
        self[..].argv()
    }
}

impl Argv for [String] {
    fn argv(&self) -> Vec<String> {
        self.to_vec()
    }
}

/// The words of a typed line: split at whitespace, except that a '…'-quoted stretch is one
/// word as it stands (expressions and paths may hold spaces). Unlike a shell, a quote does not
/// glue onto the letters beside it: write `--at '1, 2'`, not `--at='1, 2'`.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Between quotes (odd pieces) the text is one word; outside (even pieces) it splits.
    for (i, piece) in line.split('\'').enumerate() {
        if i % 2 == 1 {
            out.push(piece.to_string());
        } else {
            out.extend(piece.split_whitespace().map(String::from));
        }
    }
    assert!(
        line.matches('\'').count().is_multiple_of(2),
        "unbalanced quote in {line:?}"
    );
    out
}

/// A path as one word of a typed line.
pub fn quoted(path: &Path) -> String {
    let text = path.to_str().expect("temporary paths are UTF-8");
    assert!(!text.contains('\''), "{text} cannot be quoted");
    format!("'{text}'")
}

/// The binary run with `args`, as a shell would run it.
pub fn gradscape(args: &(impl Argv + ?Sized)) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args.argv())
        .output()
        .expect("the gradscape binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The one JSON object a successful command printed.
pub fn ok_json(args: &(impl Argv + ?Sized)) -> serde_json::Value {
    let args = args.argv();
    let o = gradscape(&args[..]);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)))
}

/// A refused command: exit code 2, nothing on stdout, and `needle` in what it said.
pub fn assert_bad_input(args: &(impl Argv + ?Sized), needle: &str) {
    let args = args.argv();
    let o = gradscape(&args[..]);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "{args:?} printed to stdout: {}",
        stdout(&o)
    );
    let err = stderr(&o);
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
}

/// Asserts that stderr holds `needle`, showing all of stderr where it does not.
pub fn assert_stderr_has(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
}

/// A written .npy: the header's shape text and its float32 data.
pub fn read_npy(path: &Path) -> (String, Vec<f32>) {
    let bytes = std::fs::read(path).unwrap();
    let len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = String::from_utf8(bytes[10..10 + len].to_vec()).unwrap();
    let data = bytes[10 + len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    (header, data)
}

/// A fresh folder for one test's files, apart from other runs.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gradscape-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
