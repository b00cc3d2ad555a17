// Times access-core's inspect_bundle (Wasm) and @peculiar/x509 on the same PEM bundle, in this page,
// and leaves the figures in `window.__bench` (status "done" or "error") for the runner. pkg/ is the
// Wasm built in release (opt-level 3), pkg-ui/ the same code built as the UI ships its Wasm (opt "z").
// Query: ?bundle=URL (default bundle.pem), wasm=RUNS, js=RUNS, stages=RUNS.
import init, { inspect, sha256_fingerprints, prepare, run_stage, stage_names } from "./pkg/browser_bench.js";
import * as shipped from "./pkg-ui/browser_bench.js";
import * as x509 from "./x509.js";

window.__bench = { status: "running" };
const params = new URLSearchParams(location.search);
const runs = (name, fallback) => Math.max(1, Number(params.get(name)) || fallback);
const WARMUP = 5;

const hex = (buffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join(":").toUpperCase();

// @peculiar/x509 reading the fields the console shows: subject, issuer, validity, serial, SHA-256
// fingerprint (WebCrypto, asynchronous), basic constraints.
async function peculiar(text, withFingerprints = true) {
  const certificates = x509.PemConverter.decode(text).map((der) => new x509.X509Certificate(der));
  return Promise.all(
    certificates.map(async (c) => {
      const constraints = c.getExtension(x509.BasicConstraintsExtension);
      return {
        subject: c.subject,
        issuer: c.issuer,
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        serial: c.serialNumber,
        sha256: withFingerprints ? hex(await c.getThumbprint("SHA-256")) : null,
        ca: constraints ? constraints.ca : false,
        pathLength: constraints ? constraints.pathLength : undefined,
      };
    }),
  );
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

async function time(n, body) {
  for (let i = 0; i < WARMUP; i++) await body();
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return stats(times);
}

function timeSync(n, body) {
  for (let i = 0; i < WARMUP; i++) body();
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  return stats(times);
}

async function main() {
  await init();
  await shipped.default();
  const text = await (await fetch(params.get("bundle") || "bundle.pem")).text();
  const now = Date.now() / 1000;

  // Same certificates, same fingerprints, before anything is timed.
  const wasmFingerprints = sha256_fingerprints(text, now).split("\n").filter(Boolean);
  const jsFingerprints = (await peculiar(text)).map((c) => c.sha256);
  if (wasmFingerprints.length !== jsFingerprints.length) {
    throw new Error(`Wasm read ${wasmFingerprints.length} certificates, @peculiar/x509 ${jsFingerprints.length}`);
  }
  const differ = wasmFingerprints.findIndex((f, i) => f !== jsFingerprints[i]);
  if (differ >= 0) {
    throw new Error(`certificate ${differ + 1}: Wasm ${wasmFingerprints[differ]}, @peculiar/x509 ${jsFingerprints[differ]}`);
  }

  let checksum = 0;
  const wasm = timeSync(runs("wasm", 200), () => { checksum = inspect(text, now); });
  let shippedChecksum = 0;
  const wasmShipped = timeSync(runs("wasm", 200), () => { shippedChecksum = shipped.inspect(text, now); });
  if (shippedChecksum !== checksum) {
    throw new Error(`the two Wasm builds disagree: checksum ${checksum} vs ${shippedChecksum}`);
  }
  let kept = 0;
  const js = await time(runs("js", 40), async () => { kept += (await peculiar(text)).length; });
  const jsParseOnly = await time(runs("js", 40), async () => { kept += (await peculiar(text, false)).length; });

  const certificates = prepare(text, now);
  const names = stage_names().split("\n");
  const stages = names.map((name, stage) => {
    let sink = 0;
    const figures = timeSync(runs("stages", 200), () => { sink += run_stage(stage); });
    return { name, sink, ...figures };
  });

  return {
    status: "done",
    certificates: wasmFingerprints.length,
    bundleBytes: new TextEncoder().encode(text).length,
    preparedCertificates: certificates,
    checksum,
    kept,
    wasm,
    wasmShipped,
    js,
    jsParseOnly,
    stages,
    crossOriginIsolated: self.crossOriginIsolated,
    userAgent: navigator.userAgent,
  };
}

function show(results) {
  const rows = [
    ["Wasm: inspect_bundle (access-core)", results.wasm],
    ["Wasm as the UI ships it (opt-level z)", results.wasmShipped],
    ["@peculiar/x509, fields + SHA-256 (WebCrypto)", results.js],
    ["@peculiar/x509, fields without SHA-256", results.jsParseOnly],
    ...results.stages.map((s) => [`Wasm stage: ${s.name}`, s]),
  ];
  const body = document.querySelector("#results tbody");
  for (const [what, s] of rows) {
    const tr = document.createElement("tr");
    for (const cell of [what, s.runs, s.median.toFixed(3), s.min.toFixed(3), s.max.toFixed(3)]) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.append(td);
    }
    body.append(tr);
  }
  document.querySelector("#results").hidden = false;
  document.querySelector("#status").textContent =
    `${results.certificates} certificates; @peculiar/x509 / Wasm = ${(results.js.median / results.wasm.median).toFixed(1)}×`;
}

main().then(
  (results) => { window.__bench = results; show(results); },
  (error) => {
    window.__bench = { status: "error", message: String(error && error.stack || error) };
    document.querySelector("#status").textContent = `Failed: ${error}`;
  },
);
