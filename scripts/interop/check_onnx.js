#!/usr/bin/env node
// `make interop`: myelin's exported ONNX models run in ONNX Runtime (not run in CI).
//
//   MYELIN_ONNX_EXPORT_DIR=DIR build/tests/myelin_tests --gtest_filter='EveryLayerKind/OnnxExport.*'
//   NODE_PATH=ORT_PREFIX/node_modules node scripts/interop/check_onnx.js DIR
//
// The export test writes every case as DIR/NAME.onnx with an input and myelin's output in
// DIR/NAME.io.safetensors; each model runs here in onnxruntime-node (CPU) on that input. Prints
// the largest difference per case; exits 1 when one exceeds 1e-5 + 1e-5 |y|.
const fs = require("fs");
const path = require("path");
const ort = require("onnxruntime-node");

const TOLERANCE = 1e-5;

// safetensors: an 8-byte little-endian header length, the JSON header, then the data.
function loadSafetensors(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8"));
  const tensors = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (info.dtype !== "F32") throw new Error(`${file}: ${name} is ${info.dtype}, expected F32`);
    const [begin, end] = info.data_offsets;
    const data = bytes.subarray(8 + headerLength + begin, 8 + headerLength + end);
    const values = new Float32Array(new Uint8Array(data).buffer);
    tensors[name] = { shape: info.shape, values };
  }
  return tensors;
}

// myelin's inputs are float; a graph input declared INT64 (token ids) gets them as integers.
function feed(session, input) {
  const meta = session.inputMetadata ? session.inputMetadata[0] : null;
  const int64 = meta && meta.type === "int64";
  if (int64) return new ort.Tensor("int64", BigInt64Array.from(input.values, (v) => BigInt(v)), input.shape);
  return new ort.Tensor("float32", input.values, input.shape);
}

async function main() {
  const dir = process.argv[2];
  const names = fs.readdirSync(dir).filter((f) => f.endsWith(".onnx")).map((f) => f.slice(0, -5)).sort();
  if (names.length === 0) throw new Error(`${dir}: no .onnx models (run the export test with MYELIN_ONNX_EXPORT_DIR)`);
  let failures = 0;
  for (const name of names) {
    const io = loadSafetensors(path.join(dir, name + ".io.safetensors"));
    let session, result;
    try {
      session = await ort.InferenceSession.create(path.join(dir, name + ".onnx"), { logSeverityLevel: 4 });
      result = await session.run({ [session.inputNames[0]]: feed(session, io.input) });
    } catch (e) {
      failures++;
      console.log(`FAIL ${name}: onnxruntime: ${e.message.split("\n")[0]}`);
      continue;
    }
    const got = result[session.outputNames[0]];
    const want = io.output;
    let worst = 0;
    let ok = JSON.stringify(got.dims.map(Number)) === JSON.stringify(want.shape);
    for (let i = 0; ok && i < want.values.length; ++i) {
      const d = Math.abs(got.data[i] - want.values[i]);
      worst = Math.max(worst, d);
      if (!(d <= TOLERANCE + TOLERANCE * Math.abs(want.values[i]))) ok = false;
    }
    if (!ok) failures++;
    console.log(`${ok ? "ok  " : "FAIL"} ${name}: max |onnxruntime - myelin| = ${worst.toExponential(1)}` +
                (ok ? "" : ` (shape ${got.dims} vs ${want.shape})`));
  }
  console.log(`${names.length - failures} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
