#!/usr/bin/env bash
# Weights cross the language border both ways, for each of the three networks:
#  1. unetlab trains a few steps and saves weights; PyTorch loads them into the course's
#     network with load_state_dict(strict=True), runs the same images in eval mode and must
#     give the same probabilities as `unetlab predict`.
#  2. PyTorch saves a freshly initialised state_dict; `unetlab predict` must load it.
# and the same for the seeds' vessel networks (SA-UNet, seed 001's Keras U-Net, seed 002's UNet,
# DACRSE-UNet with its 1-output head)
# through `train --data vessels` / `predict`, against their twins in Fixtures/seed_networks.py.
set -euo pipefail
BIN=${1:-.build/release/unetlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for model in unet shallow add; do
  "$BIN" train --solutions --model "$model" --epochs 1 --steps 2 --batch 2 --size 32 --seed 3 --out "$tmp/$model" > "$tmp/$model.log"
  "$BIN" predict --solutions --weights "$tmp/$model/$model.safetensors" --seed 5 --count 2 --out "$tmp/$model/predict" > /dev/null
  python3 Fixtures/check_weights.py "$tmp/$model/$model.safetensors" --model "$model" \
    --prediction "$tmp/$model/predict/prediction.safetensors"
  python3 Fixtures/check_weights.py --export-from-torch "$tmp/$model-torch.safetensors" --model "$model" --seed 1
  "$BIN" predict --solutions --weights "$tmp/$model-torch.safetensors" --seed 5 --count 1 --size 32 --out "$tmp/$model/from-torch"
done
for model in sa-unet keras-unet octa-unet dacrse-unet; do
  "$BIN" train --data vessels --model "$model" --base 4 --size 64 --patch 64 --epochs 1 --steps 2 --batch 2 --seed 3 \
    --out "$tmp/$model" > "$tmp/$model.log"
  "$BIN" predict --weights "$tmp/$model/best.safetensors" --seed 5 --count 2 --size 64 --patch 64 \
    --out "$tmp/$model/predict" > /dev/null
  python3 Fixtures/check_vessel_weights.py "$tmp/$model/best.safetensors" --prediction "$tmp/$model/predict/prediction.safetensors"
  python3 Fixtures/check_vessel_weights.py --export-from-torch "$tmp/$model-torch.safetensors" --model "$model" --width 4
  "$BIN" predict --weights "$tmp/$model-torch.safetensors" --seed 5 --count 1 --size 64 --patch 64 \
    --out "$tmp/$model/from-torch" > /dev/null
done
echo "weights round-trip between unetlab and PyTorch: OK"
