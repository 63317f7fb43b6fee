//! Test-only helpers that tests across the layers share: scratch folders, and a text check that
//! shows the whole text when it fails.

use std::path::PathBuf;

/// The empty folder `gradscape-{name}-{process id}` in the temp folder (emptied first where an
/// earlier run left it): one per test and process, so that tests side by side never share files.
pub(crate) fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gradscape-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts that `text` contains `part`, printing all of `text` where it does not.
#[track_caller]
pub(crate) fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in:\n{text}");
}
