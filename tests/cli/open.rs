//! `gradscape` and `gradscape open …` without a display: bad input exits 2 before any window is
//! tried, and a good command line says plainly that the app needs a display (exit 1).

use std::process::{Command, Output};

fn gradscape_headless(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .expect("the binary runs")
}

#[test]
fn bad_input_to_open_exits_2_before_any_window() {
    for args in [
        &["open", "sin(x"][..],
        &["open", "--preset", "rosenbruck"],
        &["open", "x*y", "--from", "1"],
        &["open", "--optimizer", "lbfgs"],
        &["open", "--lr", "-1"],
    ] {
        let out = gradscape_headless(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("display"), "{args:?}: {stderr}");
    }
}

#[test]
fn without_a_display_the_app_points_at_the_cli() {
    for args in [&[][..], &["open", "--preset", "rosenbrock", "--from=-1,1"]] {
        let out = gradscape_headless(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("needs a display") && stderr.contains("gradscape render"),
            "{stderr}"
        );
    }
}

#[test]
fn a_malformed_or_newer_scene_file_exits_2_before_any_window() {
    let dir = std::env::temp_dir().join(format!("gradscape-cli-scene-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "broken.gradscape.json",
            "{\"format\": \"gradscape-scene\",",
            "not valid JSON",
        ),
        (
            "newer.gradscape.json",
            "{\"format\": \"gradscape-scene\", \"version\": 99}",
            "newer gradscape",
        ),
        ("other.json", "{\"hello\": 1}", "not a gradscape scene"),
    ];
    for (name, text, words) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = gradscape_headless(&["open", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(words) && stderr.contains(name),
            "{name}: {stderr}"
        );
    }
    let out = gradscape_headless(&["open", "--scene", "{}"]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}
