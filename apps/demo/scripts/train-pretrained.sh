#!/bin/sh
# Trains the demo's pretrained generators with the gankit trainer and exports them into public/generators/.
# Run from the repository root:  sh apps/demo/scripts/train-pretrained.sh [mnist-cgan fashion-cgan …]
# Each run's folder (samples, report.html, metrics) stays in runs/pretrained/<id>/. The image-to-image generators
# (translators.json) are exported in float16: half the bytes, outputs within 0.002 of float32's.
set -e
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/apps/demo/public/generators"
mkdir -p "$out"
ids="${*:-mnist-cgan fashion-cgan mnist-dcgan fashion-dcgan}"
for id in $ids; do
  echo "== $id"
  npx -y pnpm@10.34.9 -s gankit train --config "$here/pretrained/$id.json" --out "$root/runs/pretrained/$id" --force
  case "$id" in
    *-pix2pix | *-inpaint | *-srgan-*) half=--float16 ;;
    *) half= ;;
  esac
  npx -y pnpm@10.34.9 -s gankit export "$root/runs/pretrained/$id" --out "$root/runs/pretrained/$id/export" $half --force
  cp "$root/runs/pretrained/$id/export/generator.safetensors" "$out/$id.safetensors"
  # a grown generator (ProGAN) also ships its run's last grid at each resolution: the view's growth strip
  for f in "$root/runs/pretrained/$id/samples"/res-*.png; do
    if [ -e "$f" ]; then cp "$f" "$out/$id-$(basename "$f")"; fi
  done
done
