#!/usr/bin/env bash
# Lopper on a CUDA GPU: the golden parity tests (logits, gradients, fused kernels, bf16 against
# float32) with every array on the GPU, then `lopper bench` in float32 and bf16 beside PyTorch on
# the same GPU.
#
#   scripts/gpu-check.sh [OUT]          # OUT: where bench.json / bench.md go (bench-gpu)
#
# Needs an NVIDIA GPU with its driver, a JDK 17, this repository's Maven dependencies (fetched once
# by ./mvnw) and libtorch 2.7.1 built for CUDA 12.8, which Maven Central does not serve (it is over
# its size limit). Give it as one of:
#   LIBTORCH=/path/to/libtorch     the unpacked libtorch-cxx11-abi-shared-with-deps-2.7.1+cu128.zip
#   PYTHON=/path/to/python         a Python whose torch is 2.7.1+cu128: its torch/lib is libtorch
# The PyTorch peer of the bench runs with $PEER_PYTHON (default: $PYTHON, else python3), which needs
# a CUDA torch of any version.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-bench-gpu}"

if [ -n "${LIBTORCH:-}" ]; then
  lib="$LIBTORCH/lib"
elif [ -n "${PYTHON:-}" ]; then
  lib="$("$PYTHON" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
  version="$("$PYTHON" -c 'import torch; print(torch.__version__)')"
  case "$version" in
    2.7.1+cu12*) ;;
    *) echo "gpu-check: $PYTHON has torch $version; DJL 0.36 needs libtorch 2.7.1+cu128" >&2; exit 2 ;;
  esac
else
  echo "gpu-check: set LIBTORCH (an unpacked libtorch 2.7.1+cu128) or PYTHON (torch 2.7.1+cu128)" >&2
  exit 2
fi
if [ ! -f "$lib/libtorch_cuda.so" ]; then
  echo "gpu-check: $lib has no libtorch_cuda.so: not a CUDA build of libtorch" >&2
  exit 2
fi
command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv

# DJL takes libtorch from here instead of the CPU jar, with the cu128 JNI library that
# pytorch-jni 2.7.1-0.36.0 already carries
export PYTORCH_LIBRARY_PATH="$lib"
export PYTORCH_VERSION=2.7.1
export PYTORCH_FLAVOR=cu128
export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

./mvnw -q -B -DskipTests package
# a clear error (exit 2) when the GPU is not usable, before any test runs on the CPU unnoticed
./lopper init --preset tiny --out "$out/tiny" > /dev/null
./lopper generate --model "$out/tiny" --prompt "The" -n 8 --device cuda --precision bf16

# every manager the tests make goes to DJL's default device, the GPU once libtorch sees one
./mvnw -B test -Dtest='GoldenParityTest,GradientCheckTest,FusedOpsTest,MixedPrecisionTest,FusedHeadLossTest,AdamWTest,DeterminismTest'

peer="${PEER_PYTHON:-${PYTHON:-python3}}"
./lopper bench --device cuda --precision bf16 --peer --python "$peer" --family both \
  --only train,forward --out "$out"
echo "gpu-check: bench figures in $out/bench.md"
