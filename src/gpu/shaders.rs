//! The shader registry: every WGSL file of `shaders/` compiled into the binary, the splice of
//! generated code into a template, and naga validation. wgpu only ever receives modules that
//! naga has accepted, and their creation runs inside error scopes, so bad WGSL is an `Err`.

use super::error::{ErrorScopes, describe};

/// The grid compute kernel; generated code replaces its [`GENERATED_MARKER`] line.
pub const GRID_TEMPLATE: &str = include_str!("../../shaders/grid.wgsl");

/// The line in a template where generated code goes.
pub const GENERATED_MARKER: &str = "//#GENERATED";

/// Entry point of [`GRID_TEMPLATE`].
pub const GRID_ENTRY_POINT: &str = "gs_grid_main";

/// Entry point of [`GRID_TEMPLATE`] that stores `[f, df/dx, df/dy]` packed (the .npy layout).
pub const GRID_PACKED_ENTRY_POINT: &str = "gs_grid_packed_main";

/// Why a shader could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShaderError {
    #[error(
        "the shader template has no `{GENERATED_MARKER}` line; add one where generated code goes"
    )]
    MissingMarker,

    #[error(
        "the shader template has {} `{GENERATED_MARKER}` lines (lines {lines:?}); keep exactly one",
        lines.len()
    )]
    DuplicateMarker {
        /// 1-based line numbers of the markers.
        lines: Vec<usize>,
    },

    /// The WGSL front end rejected the text. `message` is naga's one-line description;
    /// `report` (what `Display` shows) adds the offending line(s) of the spliced source with a
    /// caret under the fault. Line numbers count from the top of the spliced source.
    #[error("the WGSL does not parse:\n{}", report.trim_end())]
    Parse { message: String, report: String },

    /// The module parsed but naga's validator rejected it (types, uniformity, ...); `message`
    /// holds the description and its causes, `report` the same with the source lines.
    #[error("the WGSL does not validate:\n{}", report.trim_end())]
    Invalid { message: String, report: String },

    /// naga accepted the module but the device's backend did not (e.g. a missing capability).
    #[error("the GPU backend rejected the {stage}: {message}")]
    Backend {
        stage: &'static str,
        message: String,
    },
}

/// Replaces the single [`GENERATED_MARKER`] line of `template` with `generated`.
pub fn splice(template: &str, generated: &str) -> Result<String, ShaderError> {
    let lines: Vec<usize> = template
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == GENERATED_MARKER)
        .map(|(index, _)| index + 1)
        .collect();
    match lines.len() {
        0 => return Err(ShaderError::MissingMarker),
        1 => {}
        _ => return Err(ShaderError::DuplicateMarker { lines }),
    }
    let mut out = String::with_capacity(template.len() + generated.len() + 1);
    for line in template.split_inclusive('\n') {
        if line.trim() == GENERATED_MARKER {
            out.push_str(generated);
            if !generated.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    Ok(out)
}

/// Parses and validates WGSL with naga, with every validation check on.
///
/// Capabilities are naga's defaults rather than the device's: generated code needs no optional
/// capability, and the device's own check still runs when wgpu creates the module.
pub fn validate(source: &str) -> Result<naga::Module, ShaderError> {
    let module = naga::front::wgsl::parse_str(source).map_err(|error| ShaderError::Parse {
        message: error.message().to_owned(),
        report: error.emit_to_string(source),
    })?;
    naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::default(),
    )
    .validate(&module)
    .map_err(|error| ShaderError::Invalid {
        message: describe(error.as_inner()),
        report: error.emit_to_string(source),
    })?;
    Ok(module)
}

/// Validates `source`, then creates its module and a compute pipeline on `device`.
///
/// Both creations run inside error scopes: a backend that rejects what naga accepted gives
/// [`ShaderError::Backend`] instead of reaching wgpu's panicking uncaptured-error handler.
pub fn create_compute_pipeline(
    device: &wgpu::Device,
    label: &str,
    source: &str,
    entry_point: &str,
    layout: &wgpu::PipelineLayout,
) -> Result<wgpu::ComputePipeline, ShaderError> {
    validate(source)?;

    let scopes = ErrorScopes::push(device);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    if let Some(error) = scopes.pop() {
        return Err(ShaderError::Backend {
            stage: "shader module",
            message: describe(&error),
        });
    }

    let scopes = ErrorScopes::push(device);
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(label),
        layout: Some(layout),
        module: &module,
        entry_point: Some(entry_point),
        compilation_options: wgpu::PipelineCompilationOptions::default(),
        cache: None,
    });
    if let Some(error) = scopes.pop() {
        return Err(ShaderError::Backend {
            stage: "compute pipeline",
            message: describe(&error),
        });
    }
    Ok(pipeline)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRIVIAL_EVAL: &str =
        "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(x + y, 1.0, 1.0, 0.0); }";
    /// What the swarm template needs besides `gs_eval`: an optimizer step.
    const TRIVIAL_STEP: &str =
        "fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool { return true; }";

    #[test]
    fn every_wgsl_file_validates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
        let mut checked = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("shaders/ exists beside Cargo.toml") {
            let path = entry.expect("readable shaders/ entry").path();
            if path.extension().is_none_or(|ext| ext != "wgsl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable WGSL file");
            // Templates are validated with a trivial function spliced in.
            let source = if text.contains(GENERATED_MARKER) {
                let generated = if text.contains("gs_step(") {
                    format!("{TRIVIAL_EVAL}\n{TRIVIAL_STEP}")
                } else {
                    TRIVIAL_EVAL.to_owned()
                };
                splice(&text, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            } else {
                with_prelude(&dir, text)
            };
            if let Err(e) = validate(&source) {
                panic!("{} does not validate:\n{e}", path.display());
            }
            checked.push(path);
        }
        for name in ["grid.wgsl", "swarm.wgsl"] {
            assert!(
                checked.iter().any(|p| p.ends_with(name)),
                "{name} was not found among {checked:?}"
            );
        }
    }

    /// A file that starts its code with `//#prelude NAME.wgsl [OTHER.wgsl…]: …` is validated as
    /// the Rust side builds it: those files first, in order, then the file.
    fn with_prelude(dir: &std::path::Path, text: String) -> String {
        let Some(line) = text.lines().find(|l| l.starts_with("//#prelude ")) else {
            return text;
        };
        // One or more files before the colon, in order.
        let names = line["//#prelude ".len()..]
            .split(':')
            .next()
            .unwrap_or_default()
            .split_whitespace();
        let mut source = String::new();
        for name in names {
            source += &std::fs::read_to_string(dir.join(name))
                .unwrap_or_else(|e| panic!("prelude {name} named in a shader: {e}"));
        }
        source + &text
    }

    #[test]
    fn grid_template_is_the_file() {
        let on_disk = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders/grid.wgsl"),
        )
        .expect("shaders/grid.wgsl");
        assert_eq!(GRID_TEMPLATE, on_disk);
        assert_eq!(GRID_TEMPLATE.matches(GENERATED_MARKER).count(), 1);
    }

    #[test]
    fn splice_replaces_the_marker_line() {
        let template = "a\n  //#GENERATED  \nb\n";
        assert_eq!(splice(template, "gen").unwrap(), "a\ngen\nb\n");
        assert_eq!(splice(template, "gen\n").unwrap(), "a\ngen\nb\n");
    }

    #[test]
    fn splice_errors() {
        assert_eq!(splice("fn a() {}\n", "x"), Err(ShaderError::MissingMarker));
        let twice = "//#GENERATED\nfn a() {}\n//#GENERATED\n";
        let error = splice(twice, "x").unwrap_err();
        assert_eq!(error, ShaderError::DuplicateMarker { lines: vec![1, 3] });
        assert!(error.to_string().contains("keep exactly one"), "{error}");
    }

    /// `validate`'s error for `source`, checked by `is_kind`, as the text a user reads; it
    /// must show the offending line, which holds `line`.
    fn error_text_showing(source: &str, is_kind: fn(&ShaderError) -> bool, line: &str) -> String {
        let error = validate(source).unwrap_err();
        assert!(is_kind(&error), "{error:?}");
        let text = error.to_string();
        assert!(text.contains(line), "the offending line is shown: {text}");
        text
    }

    #[test]
    fn parse_error_shows_naga_message_and_line() {
        let generated =
            "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(sin(z), 0.0, 0.0, 0.0); }";
        let source = splice(GRID_TEMPLATE, generated).unwrap();
        let naga_message = naga::front::wgsl::parse_str(&source)
            .unwrap_err()
            .message()
            .to_owned();
        let text = error_text_showing(
            &source,
            |e| matches!(e, ShaderError::Parse { .. }),
            "sin(z)",
        );
        assert!(text.contains(&naga_message), "{text}");
    }

    #[test]
    fn validation_error_shows_naga_message() {
        // Parses, but returns an f32 from a function declared to return vec4<f32>.
        let generated = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let v = x * y; return v; }";
        let source = splice(GRID_TEMPLATE, generated).unwrap();
        let module = naga::front::wgsl::parse_str(&source).expect("this one parses");
        let naga_error = naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            naga::valid::Capabilities::default(),
        )
        .validate(&module)
        .unwrap_err();
        let cause = std::error::Error::source(naga_error.as_inner())
            .expect("naga says why the function is invalid")
            .to_string();

        let text = error_text_showing(
            &source,
            |e| matches!(e, ShaderError::Invalid { .. }),
            "return v",
        );
        assert!(text.contains(&naga_error.as_inner().to_string()), "{text}");
        assert!(text.contains(&cause), "{text}");
    }

    #[test]
    fn backend_rejection_is_an_error_not_a_panic() {
        // naga accepts the module; wgpu then refuses a pipeline for an entry point that does
        // not exist. That must come back through the error scope as ShaderError::Backend.
        let ctx = crate::gpu::GpuContext::headless().expect("a GPU adapter (lavapipe is enough)");
        let source = splice(GRID_TEMPLATE, TRIVIAL_EVAL).unwrap();
        let layout = ctx
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: None,
                bind_group_layouts: &[],
                immediate_size: 0,
            });
        let error = create_compute_pipeline(&ctx.device, "test", &source, "no_such_entry", &layout)
            .unwrap_err();
        assert!(
            matches!(
                error,
                ShaderError::Backend {
                    stage: "compute pipeline",
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
