#!/usr/bin/env bash
# The app's drag benchmark: opens gradscape in a 1280×800 window under Xvfb on a fixed session
# (Rosenbrock, three runs of 500 steps: sgd, momentum, adam), drags the start ball across the
# surface with xdotool, then resets playback to step 0 (R) and plays 200 steps (Space, and Space
# again to pause), closes the window and prints the app's frame statistics (GRADSCAPE_FRAME_STATS:
# launch to first frame, median and p90 frame times while dragging and while playing, with the
# steps the playing frames showed).
# Needs Xvfb and xdotool; run from the repository root after `cargo build --release`.
# BENCH_ANNOTATIONS=off hides the view's axis numbers, colour bar and legend (View menu), to
# measure what the text costs a frame. BENCH_SHOTS=DIR saves screenshots into DIR while the balls
# roll and after playback stops (this disturbs the timings).
set -euo pipefail
bin=${GRADSCAPE_BIN:-target/release/gradscape}
display=${BENCH_DISPLAY:-:97}
work=$(mktemp -d)
xvfb=""
# Xvfb is waited for, so that a next run can take the same display number.
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/config/gradscape" "$work/xdg"
chmod 700 "$work/xdg"
cat > "$work/config/gradscape/session.json" <<'JSON'
{"version":1,"source":"(1 - x)^2 + 100*(y - x^2)^2","good_source":"(1 - x)^2 + 100*(y - x^2)^2",
"preset":"rosenbrock","domain":{"x":[-2.0,2.0],"y":[-1.0,3.0]},
"runs":[{"hyper":{"kind":"sgd","lr":0.0005,"momentum":0.0,"alpha":0.99,"beta1":0.9,"beta2":0.999,"eps":1e-8},"color":[1.0,0.6,0.0,1.0],"muted":false},
{"hyper":{"kind":"momentum","lr":0.0002,"momentum":0.9,"alpha":0.99,"beta1":0.9,"beta2":0.999,"eps":1e-8},"color":[0.1,0.7,0.25,1.0],"muted":false},
{"hyper":{"kind":"adam","lr":0.01,"momentum":0.0,"alpha":0.99,"beta1":0.9,"beta2":0.999,"eps":1e-8},"color":[0.6,0.25,0.85,1.0],"muted":false}],
"start":[-1.5,2.0],"playback":{"playing":false,"step":500,"speed":30.0,"max_steps":500},
"display":{"plane":true,"partials":true,"contours":false,"colormap":"coolwarm","log_scale":false},
"camera":{"yaw_rad":-0.9,"pitch_rad":0.6,"distance":-1.0,"target":[0.0,0.0,0.0]}}
JSON
# BENCH_DATA=SET: the session is the mse of a line (logistic:petal_width on iris) on that data
# set instead, with the Data tab (the scatter and the model's lines) shown beside the surface:
# dragging θ then moves the lines over the data every frame.
if [ -n "${BENCH_DATA:-}" ]; then
    if [ "$BENCH_DATA" = iris ]; then model="logistic:petal_width"; else model="linear:x"; fi
    sed -i "s/\"start\":\[-1.5,2.0\]/\"data\":{\"source\":\"$BENCH_DATA\",\"model\":\"$model\"},\"layout\":{\"left_width\":330.0,\"right_width\":300.0,\"tab\":\"Data\",\"narrow_tab\":\"Controls\"},\"start\":[0.0,0.0]/" \
        "$work/config/gradscape/session.json"
fi
if [ "${BENCH_ANNOTATIONS:-on}" = off ]; then
    sed -i 's/"log_scale":false}/"log_scale":false,"axes":false,"legend":false}/' \
        "$work/config/gradscape/session.json"
fi
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/xdg GRADSCAPE_FRAME_STATS=1
"$bin" > "$work/log" 2>&1 &
app=$!
# The app prints where the start ball is over its first frames; the last line is settled.
sleep 4
if ! read -r x0 y0 < <(sed -n 's/^start ball at \([0-9]*\),\([0-9]*\) px$/\1 \2/p' "$work/log" | tail -1); then
    echo "app_drag: the app never said where the start ball is; its log:" >&2
    cat "$work/log" >&2
    exit 1
fi
xdotool mousemove "$x0" "$y0"
sleep 0.3
xdotool mousedown 1
sleep 0.1
for i in $(seq 1 120); do
    xdotool mousemove $((x0 + i)) $((y0 + i / 2))
    sleep 0.02
done
xdotool mouseup 1
sleep 0.5
# Playback: the pointer is still over the view, which has the keyboard once the window has the
# focus (there is no window manager to give it). 200 steps at the session's 30 steps a second.
win=$(xdotool search --name gradscape | head -1)
xdotool windowfocus --sync "$win"
xdotool key r
sleep 0.5
xdotool key space
if [ -n "${BENCH_SHOTS:-}" ]; then
    sleep 3
    import -window root "$BENCH_SHOTS/playing.png"
    sleep 3.67
else
    sleep 6.67
fi
xdotool key space
sleep 0.5
if [ -n "${BENCH_SHOTS:-}" ]; then
    import -window root "$BENCH_SHOTS/paused.png"
fi
xdotool windowclose "$win"
wait "$app" || true
grep -E "drawing on|launch|frames" "$work/log"
echo "dragged from $x0,$y0"
