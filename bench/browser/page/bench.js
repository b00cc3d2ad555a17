// Times access-core's inspect_bundle (Wasm) and @peculiar/x509 on the same PEM bundle, in this page,
// and leaves the figures in `window.__bench` (status "done" or "error") for the runner. pkg/ is the
// Wasm built in release (opt-level 3), pkg-ui/ the same code built as the UI ships its Wasm (opt "z").
// Query: ?bundle=URL (default bundle.pem), wasm=RUNS, js=RUNS, stages=RUNS.
import init, { inspect, receive, sha256_fingerprints, prepare, run_stage, stage_names } from "./pkg/browser_bench.js";
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

// Times each body `runs` times (after WARMUP calls), in rounds: every round calls each body its share of
// its runs, in turn, so that all bodies meet the same load on a shared machine. Bodies marked `async`
// are awaited inside their timing; the others run with no await around them.
async function interleaved(rounds, bodies) {
  const times = new Map(bodies.map((b) => [b.name, []]));
  for (const b of bodies) for (let i = 0; i < WARMUP; i++) b.async ? await b.run() : b.run();
  for (let round = 0; round < rounds; round++) {
    for (const b of bodies) {
      const perRound = Math.ceil(b.runs / rounds);
      const own = times.get(b.name);
      for (let i = 0; i < perRound && own.length < b.runs; i++) {
        const start = performance.now();
        if (b.async) await b.run(); else b.run();
        own.push(performance.now() - start);
      }
    }
  }
  return Object.fromEntries([...times].map(([name, t]) => [name, stats(t)]));
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
  let shippedChecksum = 0;
  let kept = 0;
  const wasmRuns = runs("wasm", 200);
  const jsRuns = runs("js", 40);
  const main = await interleaved(jsRuns, [
    { name: "wasm", runs: wasmRuns, run: () => { checksum = inspect(text, now); } },
    { name: "wasmShipped", runs: wasmRuns, run: () => { shippedChecksum = shipped.inspect(text, now); } },
    { name: "wasmReceive", runs: wasmRuns, run: () => { kept += receive(text); } },
    { name: "wasmShippedReceive", runs: wasmRuns, run: () => { kept += shipped.receive(text); } },
    { name: "js", runs: jsRuns, async: true, run: async () => { kept += (await peculiar(text)).length; } },
    { name: "jsParseOnly", runs: jsRuns, async: true, run: async () => { kept += (await peculiar(text, false)).length; } },
  ]);
  if (shippedChecksum !== checksum) {
    throw new Error(`the two Wasm builds disagree: checksum ${checksum} vs ${shippedChecksum}`);
  }

  const certificates = prepare(text, now);
  shipped.prepare(text, now);
  const names = stage_names().split("\n");
  const stageRuns = runs("stages", 200);
  let sink = 0;
  const byStage = await interleaved(stageRuns, names.flatMap((name, stage) => [
    { name: `release ${stage}`, runs: stageRuns, run: () => { sink += run_stage(stage); } },
    { name: `shipped ${stage}`, runs: stageRuns, run: () => { sink += shipped.run_stage(stage); } },
  ]));
  const stages = names.map((name, stage) => ({ name, ...byStage[`release ${stage}`] }));
  const stagesShipped = names.map((name, stage) => ({ name, ...byStage[`shipped ${stage}`] }));
  const { wasm, wasmShipped, wasmReceive, wasmShippedReceive, js, jsParseOnly } = main;

  return {
    status: "done",
    certificates: wasmFingerprints.length,
    bundleBytes: new TextEncoder().encode(text).length,
    preparedCertificates: certificates,
    checksum,
    kept,
    sink,
    wasm,
    wasmShipped,
    wasmReceive,
    wasmShippedReceive,
    js,
    jsParseOnly,
    stages,
    stagesShipped,
    crossOriginIsolated: self.crossOriginIsolated,
    userAgent: navigator.userAgent,
  };
}

function show(results) {
  const rows = [
    ["Wasm: inspect_bundle (access-core)", results.wasm],
    ["Wasm as the UI ships it (opt-level z)", results.wasmShipped],
    ["Wasm: passing the text in only", results.wasmReceive],
    ["Wasm as shipped: passing the text in only", results.wasmShippedReceive],
    ["@peculiar/x509, fields + SHA-256 (WebCrypto)", results.js],
    ["@peculiar/x509, fields without SHA-256", results.jsParseOnly],
    ...results.stages.map((s) => [`Wasm stage: ${s.name}`, s]),
    ...results.stagesShipped.map((s) => [`Wasm as shipped, stage: ${s.name}`, s]),
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
