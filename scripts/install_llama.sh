#!/usr/bin/env bash
# Build llama-cpp-python 0.3.36 for portable x86-64 CPUs and install it into the venv.
# The default build (GGML_NATIVE=ON) enables AMX on CPUs that report it and segfaults at the first token;
# we build with native detection off, AMX/AVX-512 off and AVX2/FMA/F16C on. Only what we use is built: the
# text library (libllama, libggml*); not the multimodal mtmd library (LLAVA_BUILD=OFF: llama_cpp imports it
# only for image chat handlers), nor llama.cpp's tools, server, tests and examples, nor HTTPS support for model
# downloads (LLAMA_OPENSSL=OFF: we load local GGUF files). The wheel is cached per flag set under
# ~/.cache/quant-tutor/wheels (QT_WHEEL_CACHE) so a second venv installs it in seconds.
set -euo pipefail
PY=${1:-.venv/bin/python}
VERSION=0.3.36
FLAGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF \
-DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF \
-DGGML_AMX_BF16=OFF -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF \
-DGGML_BUILD_TESTS=OFF -DGGML_BUILD_EXAMPLES=OFF"
TAG=$(printf '%s' "$VERSION $FLAGS" | sha1sum | cut -c1-12)
CACHE="${QT_WHEEL_CACHE:-$HOME/.cache/quant-tutor/wheels}/llama-$TAG"
if "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('llama-cpp-python') != '$VERSION')" 2>/dev/null \
   && [ -f "$("$PY" -c 'import sys; print(sys.prefix)')/.llama-$TAG" ]; then
  exit 0
fi
if ! ls "$CACHE"/llama_cpp_python-*.whl >/dev/null 2>&1; then
  echo "Building llama-cpp-python $VERSION (portable CPU flags; takes several minutes once)..."
  mkdir -p "$CACHE"
  CMAKE_ARGS="$FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$PY" -m pip wheel --no-cache-dir --no-deps -w "$CACHE" "llama-cpp-python==$VERSION"
fi
"$PY" -m pip install --no-deps --force-reinstall "$CACHE"/llama_cpp_python-*.whl
touch "$("$PY" -c 'import sys; print(sys.prefix)')/.llama-$TAG"
