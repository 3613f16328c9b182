// TensorFlow's own TFLite runtime (the WASM interpreter of @tensorflow/tfjs-tflite 0.0.1-alpha.10) as the
// independent reference for the C# TFLite → ONNX converter (src/SignNotebooks/Pose/Tflite).
// Usage: node tflite_reference.js REF_DIR MODEL.tflite INPUT.f32 OUT_DIR
//   REF_DIR: where `npm install` put @tensorflow/tfjs-tflite, tfjs-core and tfjs-backend-cpu (environment/setup.sh --test).
//   INPUT.f32: little-endian float32 values of the model's one input, in its NHWC shape.
//   Writes OUT_DIR/<i>.f32 per output in the model's output order and OUT_DIR/outputs.json ([name, shape] each).
const [ref, modelPath, inputPath, outDir] = process.argv.slice(2);
const path = require('path'), fs = require('fs'), vm = require('vm');

// The loader runs in a page or a web worker; under node it takes the worker path, so give it what a worker has:
// `self`, `location`, `importScripts`, and a fetch that reads local files.
globalThis.self = globalThis;
self.location = { origin: '', href: 'file:///' };
globalThis.importScripts = (file) => vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
delete globalThis.SharedArrayBuffer;   // pick the single-threaded WASM build: no pthread workers under node
const webFetch = globalThis.fetch;
globalThis.fetch = async (u, o) => typeof u === 'string' && u.startsWith('/')
  ? new Response(fs.readFileSync(u), { headers: { 'Content-Type': 'application/wasm' } }) : webFetch(u, o);

const nm = path.join(ref, 'node_modules', '@tensorflow');
const tf = require(path.join(nm, 'tfjs-core'));
require(path.join(nm, 'tfjs-backend-cpu'));
const tflite = require(path.join(nm, 'tfjs-tflite'));

(async () => {
  await tf.setBackend('cpu');
  tflite.setWasmPath(path.join(nm, 'tfjs-tflite', 'wasm') + '/');
  const bytes = fs.readFileSync(modelPath);
  const model = await tflite.loadTFLiteModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { numThreads: 1 });
  const raw = fs.readFileSync(inputPath);
  const input = tf.tensor(new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4), model.inputs[0].shape, 'float32');
  let out = model.predict(input);
  const names = model.outputs.map(o => o.name);
  const list = out instanceof tf.Tensor ? [out] : names.map(n => out[n]);
  fs.mkdirSync(outDir, { recursive: true });
  list.forEach((t, i) => { const d = Float32Array.from(t.dataSync()); fs.writeFileSync(path.join(outDir, `${i}.f32`), Buffer.from(d.buffer)); });
  fs.writeFileSync(path.join(outDir, 'outputs.json'), JSON.stringify(model.outputs.map(o => [o.name, o.shape])));
})().catch(e => { console.error(`tflite_reference: ${e && e.stack || e}`); process.exit(1); });
