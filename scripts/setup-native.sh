#!/usr/bin/env bash
# Build the native TF.js backend (@tensorflow/tfjs-node, or -gpu) without storage.googleapis.com.
#
#   scripts/setup-native.sh [cpu|gpu]      (npm run setup:native  /  npm run setup:native -- gpu)
#
# tfjs-node's install script downloads libtensorflow and a prebuilt binding from Google's bucket,
# which these machines cannot reach, so npm drops the optional package. The same C library ships on
# Maven Central inside TensorFlow Java: org.tensorflow:tensorflow-core-api:0.5.0 (TensorFlow 2.10.1;
# classifier linux-x86_64, or linux-x86_64-gpu built for CUDA 11.2 / cuDNN 8.1). Its
# libtensorflow_cc.so.2 exports the full C and eager C API the binding calls, with no Python inside.
# The C headers come from the tensorflow-cpu 2.10.1 wheel on PyPI (only include/tensorflow/c and
# ctstring are kept). tfjs-node 4.x was built against 2.9.1; the C API is stable across 2.x and the
# binding is compiled here against the 2.10.1 headers, so the pair is consistent.
#
# Steps: fetch both (cached in ~/.cache/micstream), install the npm package without its scripts,
# drop the library into its deps/ (its installer skips the download when deps/lib/libtensorflow.so.2.9.1
# exists), rebuild the binding from source with node-gyp against this Node's own headers, then load it.
# Linux x86_64 only. Needs mvn, pip (python3), a C++ compiler and make.
set -euo pipefail

kind=${1:-cpu}
case "$kind" in cpu) pkg=@tensorflow/tfjs-node classifier=linux-x86_64 ;;
                gpu) pkg=@tensorflow/tfjs-node-gpu classifier=linux-x86_64-gpu ;;
                *) echo "usage: $0 [cpu|gpu]" >&2; exit 2 ;; esac

tfjava_version=0.5.0
tf_version=2.10.1
expected_name=2.9.1 # the file name tfjs-node's installer checks for; see deps-constants.js
root=$(cd "$(dirname "$0")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/micstream"
lib="$cache/libtensorflow-$tf_version-$kind"
log() { echo "setup-native: $*" >&2; }
need() { command -v "$1" >/dev/null || { log "$1 is required: $2"; exit 1; }; }

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { log "only Linux x86_64 is supported (have $(uname -s)-$(uname -m))"; exit 1; }
need mvn "libtensorflow comes from Maven Central"
need python3 "the C headers come from PyPI via pip"
need make "node-gyp compiles the binding"
need g++ "node-gyp compiles the binding"

fetch_library() {
  [ -f "$lib/.complete" ] && return
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  log "fetching org.tensorflow:tensorflow-core-api:$tfjava_version:$classifier (TensorFlow $tf_version) from Maven Central"
  mvn -q -B dependency:copy -Dartifact="org.tensorflow:tensorflow-core-api:$tfjava_version:jar:$classifier" \
    -DoutputDirectory="$tmp" -Dmdep.stripVersion=false >&2
  log "fetching the TensorFlow $tf_version C headers from the tensorflow-cpu wheel on PyPI"
  python3 -m pip download -q "tensorflow-cpu==$tf_version" --no-deps --only-binary=:all: \
    --python-version 3.10 --platform manylinux2014_x86_64 -d "$tmp" >&2
  rm -rf "$lib" && mkdir -p "$lib/lib" "$lib/include"
  (cd "$tmp" && python3 - "$lib" <<'PY'
import glob, os, sys, zipfile
dest = sys.argv[1]
jar = glob.glob('tensorflow-core-api-*.jar')[0]
with zipfile.ZipFile(jar) as z:
    for n in z.namelist():
        base = os.path.basename(n)
        if base.startswith(('libtensorflow_cc.so', 'libtensorflow_framework.so')):
            with open(os.path.join(dest, 'lib', base), 'wb') as f:
                f.write(z.read(n))
wheel = glob.glob('tensorflow_cpu-*.whl')[0]
prefix = 'tensorflow/include/'
with zipfile.ZipFile(wheel) as z:
    for n in z.namelist():
        if not n.startswith(prefix) or n.endswith('/'):
            continue
        rel = n[len(prefix):]
        if rel.startswith('tensorflow/c/') or os.path.basename(rel).startswith('ctstring'):
            out = os.path.join(dest, 'include', rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, 'wb') as f:
                f.write(z.read(n))
PY
  )
  [ -f "$lib/lib/libtensorflow_cc.so.2" ] || { log "libtensorflow_cc.so.2 missing from the jar"; exit 1; }
  [ -f "$lib/include/tensorflow/c/eager/c_api.h" ] || { log "C headers missing from the wheel"; exit 1; }
  chmod 755 "$lib"/lib/*.so.*
  (cd "$lib/lib" && ln -sf libtensorflow_cc.so.2 libtensorflow.so && ln -sf libtensorflow_cc.so.2 "libtensorflow.so.$expected_name" \
    && ln -sf libtensorflow_framework.so.2 libtensorflow_framework.so \
    && ln -sf libtensorflow_framework.so.2 "libtensorflow_framework.so.$expected_name")
  touch "$lib/.complete"
}

fetch_library
cd "$root"
if [ ! -f "node_modules/$pkg/package.json" ]; then
  log "installing $pkg (optional dependency) without its install script"
  npm install --ignore-scripts --no-audit --no-fund --no-save >&2
fi
[ -f "node_modules/$pkg/package.json" ] || { log "npm did not install $pkg"; exit 1; }
if [ "$kind" = cpu ] && [ -d node_modules/@tensorflow/tfjs-node-gpu ] && [ ! -d node_modules/@tensorflow/tfjs-node-gpu/deps/lib ]; then
  # Unbuilt, it would only add a skipped 'node-gpu' line to every backend selection.
  rm -rf node_modules/@tensorflow/tfjs-node-gpu
fi
deps="node_modules/$pkg/deps"
rm -rf "$deps" && mkdir -p "$deps"
cp -a "$lib/lib" "$lib/include" "$deps/"
# node-gyp would download Node's headers from nodejs.org; this Node ships its own.
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
[ -f "$node_prefix/include/node/node_api.h" ] || { log "Node headers not found under $node_prefix/include/node"; exit 1; }
log "building the $pkg binding against TensorFlow $tf_version"
# Not `npm rebuild`: the -gpu package's install script always downloads (install.js gpu download).
(cd "node_modules/$pkg" && npm_config_nodedir="$node_prefix" node "$root/node_modules/@mapbox/node-pre-gyp/bin/node-pre-gyp" rebuild --build-from-source >&2)
node -e "
  const tf = require('$pkg');
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const got = Array.from(tf.matMul(a, a).dataSync());
  if (tf.getBackend() !== 'tensorflow' || got.join() !== '7,10,15,22') { console.error('bad backend', tf.getBackend(), got); process.exit(1); }
  const gpu = '$kind' === 'gpu' ? (tf.backend().isUsingGpuDevice ? ', GPU device found' : ', but no GPU device is visible here: it runs on the CPU until it has a driver, CUDA 11.2 and cuDNN 8.1') : '';
  console.log('setup-native: $pkg ready, backend tensorflow, tfjs-node ' + tf.version['tfjs-node'] + ' binding over libtensorflow $tf_version' + gpu);
" 2> >(grep -v -e cpu_feature_guard -e 'rebuild TensorFlow with' >&2)
