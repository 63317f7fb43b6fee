//! Export: the view as PNG, the animation as GIF (both drawn by the app, which owns the GPU),
//! and every run's trajectory as CSV or JSON in `gradscape descend`'s shapes, into a folder
//! the user picks; the outcome is shown in the status line.

use std::path::{Path, PathBuf};

use super::{Model, RunOutcome};

/// An image the app should draw and write after this frame.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageExport {
    Png(PathBuf),
    /// The descent from step 0 to the end, `frames` frames.
    Gif {
        path: PathBuf,
        frames: usize,
    },
}

/// Frames in an exported GIF.
pub const GIF_FRAMES: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrajectoryFormat {
    Csv,
    Json,
}

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    ui.horizontal(|ui| {
        let label = ui.label("folder");
        ui.add(
            egui::TextEdit::singleline(&mut model.state.export_dir)
                .hint_text("the folder gradscape was started in")
                // A fixed width: in a menu, which sizes itself to its contents, an infinite
                // one leaves the text out of sight.
                .desired_width(320.0),
        )
        .labelled_by(label.id)
        .on_hover_text("Where exported files go; empty: the current folder.");
    });
    ui.horizontal(|ui| {
        if ui
            .button("PNG")
            .on_hover_text("The view as it is now (the 3-D view, or the 1-D plots), as an image.")
            .clicked()
        {
            request_image(model, "png");
        }
        if ui
            .button("GIF")
            .on_hover_text("The balls rolling from step 0 to the end, as a looping animation.")
            .clicked()
        {
            request_image(model, "gif");
        }
        if ui
            .button("CSV")
            .on_hover_text(
                "Every run's steps, one file per run: step, x, y, value, grad_norm \
                 (as `gradscape descend` prints them).",
            )
            .clicked()
        {
            model.export_trajectories(TrajectoryFormat::Csv);
        }
        if ui
            .button("JSON")
            .on_hover_text("Every run's steps, one JSON file per run (as `descend --format json`).")
            .clicked()
        {
            model.export_trajectories(TrajectoryFormat::Json);
        }
    });
}

fn request_image(model: &mut Model, extension: &str) {
    match model.export_path(&format!("view.{extension}")) {
        Ok(path) => {
            model.image_export = Some(if extension == "gif" {
                ImageExport::Gif {
                    path,
                    frames: GIF_FRAMES,
                }
            } else {
                ImageExport::Png(path)
            });
            model.notice = Some(("drawing the export…".into(), false));
        }
        Err(e) => model.notice = Some((e, true)),
    }
}

impl Model {
    /// A path in the export folder that does not exist yet:
    /// `gradscape-<preset or custom>-<YYYY-MM-DD_HHMMSS, UTC>-<suffix>`, with `-2`, `-3`, …
    /// before the extension if that is taken. Fails, saying why, when the folder does not exist.
    pub fn export_path(&self, suffix: &str) -> Result<PathBuf, String> {
        let dir = match self.state.export_dir.trim() {
            "" => std::env::current_dir()
                .map_err(|e| format!("cannot find the current folder ({e}): type a folder"))?,
            dir => PathBuf::from(dir),
        };
        if !dir.is_dir() {
            return Err(format!(
                "the export folder {} does not exist: create it or type another",
                dir.display()
            ));
        }
        let stamp = readable_stamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        );
        // The catalog's name, never the session file's text: a file name must stay a name.
        let name = self.preset().map_or("custom", |p| p.name.as_str());
        let (stem, extension) = suffix.rsplit_once('.').unwrap_or((suffix, ""));
        let base = format!("gradscape-{name}-{stamp}-{stem}");
        (1..1000)
            .map(|k| {
                let numbered = if k == 1 {
                    base.clone()
                } else {
                    format!("{base}-{k}")
                };
                dir.join(if extension.is_empty() {
                    numbered
                } else {
                    format!("{numbered}.{extension}")
                })
            })
            .find(|path| !path.exists())
            .ok_or_else(|| format!("no free file name for {base} in {}", dir.display()))
    }

    /// Writes one file per run that ran; the status line lists them or says what failed.
    pub fn export_trajectories(&mut self, format: TrajectoryFormat) {
        self.notice = Some(match self.write_trajectories(format) {
            Ok(paths) if paths.is_empty() => ("no run has a trajectory to export".into(), true),
            Ok(paths) => (
                format!(
                    "wrote {}",
                    paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                false,
            ),
            Err(e) => (e, true),
        });
    }

    fn write_trajectories(&self, format: TrajectoryFormat) -> Result<Vec<PathBuf>, String> {
        let extension = match format {
            TrajectoryFormat::Csv => "csv",
            TrajectoryFormat::Json => "json",
        };
        let mut written = Vec::new();
        for (i, (run, outcome)) in self.state.runs.iter().zip(self.outcomes()).enumerate() {
            let RunOutcome::Ran(trajectory) = outcome else {
                continue;
            };
            let kind = run.hyper.kind;
            let path = self.export_path(&format!("run{}-{kind}.{extension}", i + 1))?;
            let mut bytes = Vec::new();
            let result = match format {
                // The lr column appears as `descend` writes it: where a schedule or a line
                // search makes the lr vary.
                TrajectoryFormat::Csv => crate::optim::export::write_csv_lr(
                    trajectory,
                    self.dims(),
                    run.options.varies_lr(),
                    &mut bytes,
                ),
                TrajectoryFormat::Json => {
                    crate::optim::export::write_json(trajectory, kind, &mut bytes)
                }
            };
            if let Err(e) = result.and_then(|()| write_new(&path, &bytes)) {
                let done = if written.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (written before it: {})",
                        written
                            .iter()
                            .map(|p: &PathBuf| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(format!("cannot write {}: {e}{done}", path.display()));
            }
            written.push(path);
        }
        Ok(written)
    }
}

/// `2025-03-04_140509` for a time in seconds since 1970 (UTC): a name a person can read and
/// that sorts by time. UTC because the standard library knows no time zone; two exports in the
/// same second are told apart by `export_path`'s `-2`, `-3`.
pub fn readable_stamp(secs_since_1970: u64) -> String {
    let days = (secs_since_1970 / 86_400) as i64;
    let secs_of_day = secs_since_1970 % 86_400;
    // Howard Hinnant's days-to-civil: the proleptic Gregorian date of a day count.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}_{:02}{:02}{:02}",
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60
    )
}

/// Writes `bytes` to a file that must not exist yet (an export never overwrites).
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::AppState;

    fn scratch_dir(name: &str) -> PathBuf {
        crate::test_support::scratch_dir(&format!("export-{name}"))
    }

    #[test]
    fn write_new_refuses_to_replace_a_file() {
        let dir = scratch_dir("write-new");
        let path = dir.join("kept.png");
        std::fs::write(&path, b"the user's file").unwrap();
        let err = write_new(&path, b"an export").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"the user's file");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn exporting_twice_writes_new_files_and_leaves_the_first_ones() {
        let dir = scratch_dir("twice");
        let mut model = Model::new(AppState::default());
        model.state.export_dir = dir.display().to_string();
        model.export_trajectories(TrajectoryFormat::Csv);
        let first: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(first.len(), model.state.runs.len(), "{:?}", model.notice);
        let before: Vec<Vec<u8>> = first.iter().map(|p| std::fs::read(p).unwrap()).collect();
        model.export_trajectories(TrajectoryFormat::Csv);
        let notice = model.notice.clone().expect("the export says what it did");
        assert!(!notice.1, "{}", notice.0);
        let all = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(all, 2 * first.len(), "the second export adds files");
        for (path, bytes) in first.iter().zip(&before) {
            assert_eq!(
                &std::fs::read(path).unwrap(),
                bytes,
                "{} was replaced",
                path.display()
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn export_names_carry_a_readable_date_and_time() {
        assert_eq!(readable_stamp(0), "1970-01-01_000000");
        // 2024-02-29 23:59:58 UTC: a leap day, the last seconds of a day.
        assert_eq!(readable_stamp(1_709_251_198), "2024-02-29_235958");
        let dir = scratch_dir("stamp");
        let mut model = Model::new(AppState::default());
        model.state.export_dir = dir.display().to_string();
        let path = model.export_path("view.png").unwrap();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        // gradscape-<name>-YYYY-MM-DD_HHMMSS-view.png
        let stamp = name
            .strip_suffix("-view.png")
            .and_then(|rest| rest.get(rest.len() - 17..))
            .unwrap_or_else(|| panic!("{name}"));
        let shape: String = stamp
            .chars()
            .map(|c| if c.is_ascii_digit() { 'D' } else { c })
            .collect();
        assert_eq!(shape, "DDDD-DD-DD_DDDDDD", "{name}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_export_into_a_missing_folder_says_so() {
        let mut model = Model::new(AppState::default());
        model.state.export_dir = "/nonexistent/gradscape-export".into();
        model.export_trajectories(TrajectoryFormat::Json);
        let (text, is_error) = model.notice.clone().unwrap();
        assert!(is_error);
        assert_eq!(
            text,
            "the export folder /nonexistent/gradscape-export does not exist: create it or type another"
        );
    }
}
