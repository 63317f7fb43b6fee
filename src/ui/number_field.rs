//! Number fields that commit a typed value on Enter or when they lose focus, never key by key;
//! that read the whole text as one number and check it; and that say what they did: a value
//! brought into the control's range is applied with a message, one the app cannot use is
//! refused with the reason, the field drawn in the error colour and its last good value kept.
//! Dragging the field changes the value live (one undo step, like a slider).

use std::cell::RefCell;
use std::rc::Rc;

/// What a field's check made of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// Applied as it is.
    Accept(f64),
    /// Applied as this value instead (brought into range); the text says how.
    Clamp(f64, String),
    /// Not applied; the text says why.
    Refuse(String),
}

/// What the status line should say after a field was used.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A message (text, is_error).
    Say(String, bool),
    /// The value was taken as typed: an error left from an earlier attempt is stale.
    ClearError,
}

/// A field's outcome this frame.
pub struct Committed {
    pub response: egui::Response,
    /// The new value, when one was committed and checked (unchanged or refused: None).
    pub value: Option<f64>,
    pub notice: Option<Notice>,
}

impl Committed {
    /// Puts the notice, if any, in the status line.
    pub fn report(&self, status: &mut Option<(String, bool)>) {
        match &self.notice {
            Some(Notice::Say(text, error)) => *status = Some((text.clone(), *error)),
            Some(Notice::ClearError) if status.as_ref().is_some_and(|(_, error)| *error) => {
                *status = None;
            }
            _ => {}
        }
    }
}

/// A refusal the field still shows, while its value is the one kept.
#[derive(Clone, Debug)]
struct Refusal {
    reason: String,
    kept: f64,
}

/// A number as a field shows it: up to six significant digits, in exponent form for the very
/// large and very small.
pub fn show_number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if (1e-4..1e7).contains(&a) {
        let digits = (5 - a.log10().floor() as i32).clamp(0, 10) as usize;
        let text = format!("{v:.digits$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    } else {
        let text = format!("{v:.5e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) => {
                let mantissa = if mantissa.contains('.') {
                    mantissa.trim_end_matches('0').trim_end_matches('.')
                } else {
                    mantissa
                };
                format!("{mantissa}e{exponent}")
            }
            None => text,
        }
    }
}

/// The whole text as one number (a leading or trailing space is fine, the typographic minus
/// too); None when it is not one.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().replace('−', "-");
    if text.is_empty() {
        return None;
    }
    // "nan", "inf" and 1e400 parse, but no field takes them: refused, never clamped.
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number field named `name` (for messages) showing `value`. `check` decides what a new
/// value (typed, dragged or set by a screen reader) becomes.
pub fn number_field(
    ui: &mut egui::Ui,
    name: &str,
    value: f64,
    speed: f64,
    check: impl Fn(f64) -> Check,
) -> Committed {
    number_field_with(ui, name, value, speed, "", check)
}

/// [`number_field`] with a prefix drawn inside the field ("seed ", "×").
pub fn number_field_with(
    ui: &mut egui::Ui,
    name: &str,
    value: f64,
    speed: f64,
    prefix: &str,
    check: impl Fn(f64) -> Check,
) -> Committed {
    let refusal_id = ui.scope_id().with(("refused number", name));
    let refusal: Option<Refusal> = ui
        .data(|d| d.get_temp::<Refusal>(refusal_id))
        .filter(|r| r.kept.to_bits() == value.to_bits());
    let (response, typed, edited) = drag_value(ui, value, speed, prefix, refusal.is_some());
    // The field is named for screen readers (and tests) by what it holds.
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(name.to_string()));
    let by_hand = !response.dragged();
    let Judged {
        committed,
        refused,
        valid_edit,
        mut notice,
    } = judge(name, value, typed.as_deref(), edited, by_hand, check);
    let committed = committed.filter(|v| v.to_bits() != value.to_bits());
    if let Some(reason) = refused {
        notice = Some(Notice::Say(reason.clone(), true));
        ui.data_mut(|d| {
            d.insert_temp(
                refusal_id,
                Refusal {
                    reason,
                    kept: value,
                },
            )
        });
    } else if committed.is_some() || valid_edit {
        ui.data_mut(|d| d.remove::<Refusal>(refusal_id));
        if valid_edit && notice.is_none() {
            // The status line's error about this field is stale too.
            notice = Some(Notice::ClearError);
        }
    }
    let response = match ui.data(|d| d.get_temp::<Refusal>(refusal_id)) {
        Some(r) if committed.is_none() && r.kept.to_bits() == value.to_bits() => {
            // Said to screen readers (and tests) as the red is said to the eye.
            ui.ctx().accesskit_node_builder(response.id, |node| {
                node.set_invalid(egui::accesskit::Invalid::True)
            });
            response.on_hover_text(r.reason)
        }
        _ => response,
    };
    Committed {
        response,
        value: committed,
        notice,
    }
}

/// The field itself, drawn red while a refusal of `value` stands; returns its response, the
/// text typed into it (where it was), and the number it now holds.
fn drag_value(
    ui: &mut egui::Ui,
    value: f64,
    speed: f64,
    prefix: &str,
    refused: bool,
) -> (egui::Response, Option<String>, f64) {
    let typed: Rc<RefCell<Option<String>>> = Rc::default();
    let mut edited = value;
    let response = ui
        .scope(|ui| {
            if refused {
                let error = ui.visuals().error_fg_color;
                let visuals = ui.visuals_mut();
                visuals.override_text_color = Some(error);
                for state in [
                    &mut visuals.widgets.inactive,
                    &mut visuals.widgets.hovered,
                    &mut visuals.widgets.active,
                ] {
                    state.bg_stroke = egui::Stroke::new(1.5, error);
                }
            }
            let log = typed.clone();
            let mut field = egui::DragValue::new(&mut edited)
                .speed(speed)
                .update_while_editing(false)
                .custom_formatter(|v, _| show_number(v))
                .custom_parser(move |text| {
                    *log.borrow_mut() = Some(text.to_string());
                    // Unparsable text is answered below; the field keeps its value.
                    parse_number(text)
                });
            if !prefix.is_empty() {
                field = field.prefix(prefix);
            }
            ui.add(field)
        })
        .inner;
    let typed = typed.borrow().clone();
    (response, typed, edited)
}

/// What an edit comes to.
struct Judged {
    committed: Option<f64>,
    refused: Option<String>,
    /// A typed number the check takes, even one equal to the kept value (the user typed the
    /// old value back, or "0.010" for 0.01): the earlier refusal is answered, the red goes.
    valid_edit: bool,
    notice: Option<Notice>,
}

/// The edit from `value` to `edited` (typed as `typed`, or dragged where not `by_hand`), as
/// `check` takes it.
fn judge(
    name: &str,
    value: f64,
    typed: Option<&str>,
    edited: f64,
    by_hand: bool,
    check: impl Fn(f64) -> Check,
) -> Judged {
    let mut notice = None;
    let mut committed = None;
    let mut refused = None;
    let mut valid_edit = false;
    if let Some(text) = typed
        && parse_number(text).is_none()
    {
        let reason = if text.trim().is_empty() {
            format!("{name}: the field was empty; kept {}", show_number(value))
        } else {
            format!(
                "{name}: {:?} is not a number; kept {}",
                text.trim(),
                show_number(value)
            )
        };
        refused = Some(reason);
    } else if typed == Some(show_number(value).as_str()) {
        // Enter on the text as shown: nothing was changed (the display may round).
        valid_edit = true;
    } else if typed.is_some() && edited.to_bits() == value.to_bits() {
        // The same number written otherwise ("0.010"): nothing to apply, but it answers the
        // refusal as well as a new value would.
        valid_edit = true;
    } else if edited.to_bits() != value.to_bits() {
        match check(edited) {
            Check::Accept(v) => {
                committed = Some(v);
                valid_edit = by_hand;
                if by_hand {
                    notice = Some(Notice::ClearError);
                }
            }
            Check::Clamp(v, how) => {
                committed = Some(v);
                valid_edit = by_hand;
                if by_hand {
                    notice = Some(Notice::Say(format!("{name}: {how}"), false));
                }
            }
            Check::Refuse(why) => {
                let reason = format!(
                    "{name}: refused {}: {why}; kept {}",
                    show_number(edited),
                    show_number(value)
                );
                if by_hand {
                    refused = Some(reason);
                } else {
                    notice = Some(Notice::Say(reason, true));
                }
            }
        }
    }
    Judged {
        committed,
        refused,
        valid_edit,
        notice,
    }
}

/// A check that takes any value in `range`, and brings one outside it to its nearest end,
/// saying so; NaN is refused.
pub fn clamp_to(range: std::ops::RangeInclusive<f64>) -> impl Fn(f64) -> Check {
    move |v| {
        if v.is_nan() {
            return Check::Refuse("not a number".into());
        }
        let clamped = v.clamp(*range.start(), *range.end());
        if clamped == v {
            Check::Accept(v)
        } else {
            Check::Clamp(
                clamped,
                format!(
                    "{} is outside {}…{}; set to {}",
                    show_number(v),
                    show_number(*range.start()),
                    show_number(*range.end()),
                    show_number(clamped)
                ),
            )
        }
    }
}

/// A check for whole numbers from `min` up, clamped at `max` with a message.
pub fn whole_number(min: f64, max: f64) -> impl Fn(f64) -> Check {
    move |v| {
        if !v.is_finite() || v.fract() != 0.0 {
            return Check::Refuse("must be a whole number".into());
        }
        if v < min {
            return Check::Refuse(format!("must be at least {}", show_number(min)));
        }
        clamp_to(min..=max)(v)
    }
}

/// A slider (its handle pinned at an end for a value beyond its range) with a committed number
/// field beside it and a label naming both: what it edits, then [`SliderField::show`].
pub struct SliderField<'a> {
    name: &'a str,
    value: f64,
    range: std::ops::RangeInclusive<f64>,
    logarithmic: bool,
    wide: bool,
}

impl<'a> SliderField<'a> {
    /// A linear slider on one row.
    pub fn new(name: &'a str, value: f64, range: std::ops::RangeInclusive<f64>) -> Self {
        SliderField {
            name,
            value,
            range,
            logarithmic: false,
            wide: false,
        }
    }

    /// A logarithmic rail when `logarithmic`; the drag speed follows it (see `drag_speed`).
    pub fn logarithmic(self, logarithmic: bool) -> Self {
        SliderField {
            logarithmic,
            ..self
        }
    }

    /// On two rows: the name and the number, then the slider across the whole width. For a
    /// slider over many decades (the learning rate's six): at egui's 100 px a decade was 16 px,
    /// too little to aim at a value.
    pub fn wide(self) -> Self {
        SliderField { wide: true, ..self }
    }

    /// Draws it. Returns the new value, checked, if one was set.
    pub fn show(
        self,
        ui: &mut egui::Ui,
        status: &mut Option<(String, bool)>,
        check: impl Fn(f64) -> Check,
    ) -> (egui::Response, Option<f64>) {
        if self.wide {
            let width = ui.available_width();
            // Its own Ui: the wider rail must not carry over to the sliders after it.
            ui.vertical(|ui| self.slider_and_field(ui, status, check, Some(width)))
                .inner
        } else {
            ui.horizontal(|ui| self.slider_and_field(ui, status, check, None))
                .inner
        }
    }

    fn slider_and_field(
        self,
        ui: &mut egui::Ui,
        status: &mut Option<(String, bool)>,
        check: impl Fn(f64) -> Check,
        wide_px: Option<f32>,
    ) -> (egui::Response, Option<f64>) {
        let SliderField {
            name,
            value,
            range,
            logarithmic,
            ..
        } = self;
        let mut on_rail = value;
        let speed = drag_speed(value, &range, logarithmic);
        let add_slider = |ui: &mut egui::Ui, on_rail: &mut f64| {
            ui.add(
                egui::Slider::new(on_rail, range.clone())
                    .logarithmic(logarithmic)
                    .clamping(egui::SliderClamping::Never)
                    .show_value(false),
            )
        };
        let (slider, field, label) = match wide_px {
            None => {
                let slider = add_slider(ui, &mut on_rail);
                let field = number_field(ui, name, value, speed, &check);
                let label = ui.label(name);
                (slider, field, label)
            }
            Some(width) => {
                let (field, label) = ui
                    .horizontal(|ui| {
                        let label = ui.label(name);
                        (number_field(ui, name, value, speed, &check), label)
                    })
                    .inner;
                // The slider's rail is the width less the handle's overhang.
                ui.spacing_mut().slider_width = (width - 12.0).max(100.0);
                let slider = add_slider(ui, &mut on_rail);
                (slider, field, label)
            }
        };
        field.report(status);
        let slider = slider.labelled_by(label.id);
        let from_slider = (on_rail.to_bits() != value.to_bits()).then_some(on_rail);
        // A rail position between whole numbers, for a whole-number field, is rounded.
        let taken = |v: f64| match check(v) {
            Check::Accept(v) | Check::Clamp(v, _) => Some(v),
            Check::Refuse(_) => None,
        };
        let new = field
            .value
            .or(from_slider.and_then(|v| taken(v).or_else(|| taken(v.round()))));
        (slider | field.response, new)
    }
}

/// How much a slider field's number changes per point dragged: on a logarithmic slider 1 % of
/// the value, but never less than a step that leaves 0 (or the range's smallest end) within a
/// few hundred points of dragging; on a linear one 1/300 of the range.
fn drag_speed(value: f64, range: &std::ops::RangeInclusive<f64>, logarithmic: bool) -> f64 {
    let (lo, hi) = (*range.start(), *range.end());
    if logarithmic {
        let floor = if lo > 0.0 { lo * 0.01 } else { hi.abs() * 1e-4 };
        (value.abs() * 0.01).max(floor).max(f64::MIN_POSITIVE)
    } else {
        (hi - lo).abs() / 300.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logarithmic_field_at_zero_can_be_dragged_up() {
        // The noise σ field: 0 on a 0..=10 slider used to move by 1e-308 a point.
        let speed = drag_speed(0.0, &(0.0..=10.0), true);
        assert!((1e-4..=1e-2).contains(&speed), "{speed}");
        // Elsewhere 1 % of the value, and no coarser than the range's lower end allows.
        assert_eq!(drag_speed(2.0, &(0.0..=10.0), true), 0.02);
        assert_eq!(drag_speed(1e-5, &(1e-5..=10.0), true), 1e-5 * 0.01);
        assert_eq!(drag_speed(5.0, &(-3.0..=3.0), false), 0.02);
    }

    #[test]
    fn numbers_show_short_and_read_back() {
        for (v, text) in [
            (0.01, "0.01"),
            (-5.0, "-5"),
            (1e300, "1e300"),
            (1.5e-7, "1.5e-7"),
            (0.999, "0.999"),
            (123456.0, "123456"),
            (0.1 + 0.2, "0.3"),
        ] {
            assert_eq!(show_number(v), text);
        }
        assert_eq!(parse_number(" −2.5 "), Some(-2.5));
        assert_eq!(parse_number("1e300"), Some(1e300));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1e3x"), None);
        for text in ["nan", "inf", "-inf", "1e400"] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn clamping_and_whole_numbers_say_what_they_did() {
        let check = clamp_to(1.0..=240.0);
        assert_eq!(check(30.0), Check::Accept(30.0));
        assert!(matches!(check(1e6), Check::Clamp(240.0, _)));
        assert!(matches!(check(f64::NAN), Check::Refuse(_)));
        let steps = whole_number(1.0, 100_000.0);
        assert!(matches!(steps(2.5), Check::Refuse(_)));
        assert!(matches!(steps(0.0), Check::Refuse(_)));
        assert!(matches!(steps(1e9), Check::Clamp(100_000.0, _)));
    }
}
