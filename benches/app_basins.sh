#!/usr/bin/env bash
# The app with the basin map shown: opens gradscape in a 1280×800 window under Xvfb on Himmelblau
# with one sgd run and basins of attraction on (256² starts × 100 steps, on the GPU), drags the
# start ball (the map stays, the frame must stay light), then drags the run's learning-rate slider
# (every new lr recomputes the map), closes the window and prints the app's frame statistics and
# how long each basin map took from request to the whole map (GRADSCAPE_FRAME_STATS).
# Needs Xvfb and xdotool; run from the repository root after `cargo build --release`.
set -euo pipefail
bin=${GRADSCAPE_BIN:-target/release/gradscape}
display=${BENCH_DISPLAY:-:96}
work=$(mktemp -d)
xvfb=""
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/config/gradscape" "$work/xdg"
chmod 700 "$work/xdg"
cat > "$work/config/gradscape/session.json" <<'JSON'
{"version":1,"source":"(x^2 + y - 11)^2 + (x + y^2 - 7)^2","good_source":"(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
"preset":"himmelblau","domain":{"x":[-5.0,5.0],"y":[-5.0,5.0]},
"runs":[{"hyper":{"kind":"sgd","lr":0.01,"momentum":0.9,"alpha":0.99,"beta1":0.9,"beta2":0.999,"eps":1e-8},"color":[1.0,0.6,0.0,1.0],"muted":false}],
"start":[-2.0,-2.0],"playback":{"playing":false,"step":200,"speed":30.0,"max_steps":200},
"display":{"plane":true,"partials":true,"contours":false,"colormap":"coolwarm","log_scale":false},
"camera":{"yaw_rad":-0.9,"pitch_rad":0.6,"distance":-1.0,"target":[0.0,0.0,0.0]},
"swarm":{"basins":true,"basin_side":256,"basin_steps":100}}
JSON
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display XDG_CONFIG_HOME=$work/config XDG_RUNTIME_DIR=$work/xdg GRADSCAPE_FRAME_STATS=1
"$bin" > "$work/log" 2>&1 &
app=$!
sleep 4
if ! read -r x0 y0 < <(sed -n 's/^start ball at \([0-9]*\),\([0-9]*\) px$/\1 \2/p' "$work/log" | tail -1); then
    echo "app_basins: the app never said where the start ball is; its log:" >&2
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
# The first run's learning-rate slider, where the app says it is (the last line is settled):
# 60 small moves, each a new lr.
if ! read -r sx sy < <(sed -n 's/^lr slider at \([0-9]*\),\([0-9]*\) px$/\1 \2/p' "$work/log" | tail -1); then
    echo "app_basins: the app never said where the lr slider is; its log:" >&2
    cat "$work/log" >&2
    exit 1
fi
xdotool mousemove "$sx" "$sy"
sleep 0.2
xdotool mousedown 1
for i in $(seq 1 60); do
    xdotool mousemove $((sx + i)) "$sy"
    sleep 0.05
done
xdotool mouseup 1
sleep 1
xdotool windowclose "$(xdotool search --name gradscape | head -1)"
wait "$app" || true
grep -E "drawing on|launch|frames|basin maps" "$work/log"
echo "dragged the start from $x0,$y0 and the lr slider from $sx,$sy"
