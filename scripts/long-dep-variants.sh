#!/bin/sh
# The LSTM family side by side (docs/demos.md, "The LSTM family side by side"), from the long-dep-CELL models in
# models/: prints the Markdown tables (accuracy by gap bucket + multi-episode + parameters, then the gradient by
# gap) and writes the pictures (PNG) to docs/images/long-dep-variants/ (or the folder given), replacing earlier ones.
# A model not in models/ yet is left out with a note. The tables are also saved in runs/demos/long-dep-variants.md.
#   sh scripts/long-dep-variants.sh [PICTURE_DIR]
set -e
cd "$(dirname "$0")/.."
DIR=${1:-docs/images/long-dep-variants}
MODELS=""
for cell in lstm gru rnn lstm-peephole lstm-coupled lstm-no-forget; do
  if [ -f "models/long-dep-$cell.safetensors" ]; then MODELS="$MODELS${MODELS:+,}long-dep-$cell"
  else echo "models/long-dep-$cell.safetensors is not there yet: left out" >&2; fi
done
[ -n "$MODELS" ] || { echo "no long-dep-CELL model in models/" >&2; exit 1; }
mkdir -p runs/demos
TABLES=runs/demos/long-dep-variants.md
ST="npx tsx src/bin/storyteller.ts"
{
  echo "<!-- $ST demo long-dependency --models $MODELS --markdown --heatmaps $DIR --force --out $DIR/long-dependency -->"
  $ST demo long-dependency --models "$MODELS" --markdown --heatmaps "$DIR" --force --out "$DIR/long-dependency"
  echo
  echo "<!-- $ST demo gradients --models $MODELS --markdown --out $DIR/gradients -->"
  $ST demo gradients --models "$MODELS" --markdown --out "$DIR/gradients"
} | tee "$TABLES"
# docs/ keeps the PNGs: each heatmap's SVG is about 0.7 MB.
rm -f "$DIR"/stream-*.svg "$DIR"/long-dependency-*.svg "$DIR"/gradients.svg
echo "tables: $TABLES; pictures: $DIR/*.png" >&2
