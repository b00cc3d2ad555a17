"""Turns benchmark results into the markdown tables of docs/benchmarks.md (used by scripts/bench).

    report.py core CRITERION_DIR BUNDLE_FILE       the criterion run of crates/core/benches/inspect.rs
    report.py load TARGET_P99_MS RATE JSON...      oha runs (--output-format json), one row each; a
                                                   file NAME.json has its row label in NAME.label
    report.py first-load DIST_DIR TARGET_BYTES     gzip -9 sizes of the release UI

Standard library only.
"""

import glob
import json
import os
import subprocess
import sys

BUNDLE_TARGET_MS = 2.5


def estimates(criterion_dir):
    """{(group, function): (median ns, elements per iteration)} of a criterion output folder."""
    found = {}
    for bench in glob.glob(os.path.join(criterion_dir, "**", "new", "benchmark.json"), recursive=True):
        with open(bench) as f:
            meta = json.load(f)
        with open(os.path.join(os.path.dirname(bench), "estimates.json")) as f:
            est = json.load(f)
        elements = (meta.get("throughput") or {}).get("Elements") or 1
        function = meta.get("function_id") or meta.get("value_str") or ""
        if meta.get("value_str") and meta.get("function_id") is None:
            function = meta["value_str"]
        found[(meta["group_id"], function)] = (est["median"]["point_estimate"], elements)
    return found


def duration(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


def ratio(a, b):
    return f"{a / b:.1f}×" if b else "–"


def core(criterion_dir, bundle_file):
    e = estimates(criterion_dir)
    get = lambda group, name: e.get((group, name))
    core_bundle = get("bundle", "access-core inspect_bundle")
    if core_bundle is None:
        sys.exit("report.py: no criterion result for bundle/access-core inspect_bundle")
    core_ns, n = core_bundle
    size = os.path.getsize(bundle_file)
    out = []
    out.append(f"Input: `{bundle_file}`, {n} certificates, {size:,} bytes. Medians of criterion's samples.\n")
    out.append("**The bundle**\n")
    out.append("| what | per bundle | per certificate | vs access-core |")
    out.append("|---|---|---|---|")
    out.append(f"| access-core `inspect_bundle` | {duration(core_ns)} | {duration(core_ns / n)} | 1× |")
    other = "bundle, other tools"
    rows = [
        ("python cryptography, in process", "Python `cryptography`, in process (after start and import)"),
        ("python cryptography, whole process", "Python `cryptography`, whole process (start, import, read, print)"),
        ("openssl crl2pkcs7 | pkcs7 -print_certs", "openssl `crl2pkcs7 \\| pkcs7 -print_certs` (2 processes; subject, issuer)"),
        ("openssl crl2pkcs7 | pkcs7 -print_certs -text", "openssl `crl2pkcs7 \\| pkcs7 -print_certs -text` (2 processes; everything)"),
    ]
    for key, label in rows:
        found = get(other, key)
        if found:
            out.append(f"| {label} | {duration(found[0])} | {duration(found[0] / n)} | {ratio(found[0], core_ns)} |")
    x509_one = get("one certificate, other tools", "openssl x509")
    if x509_one:
        loop = x509_one[0] * n
        out.append(
            f"| openssl `x509`, one process per certificate ({n} × one, below) | {duration(loop)} | "
            f"{duration(x509_one[0])} | {ratio(loop, core_ns)} |"
        )
    met = "met" if core_ns / 1e6 <= BUNDLE_TARGET_MS else "missed"
    out.append("")
    out.append(
        f"Target: the bundle in {BUNDLE_TARGET_MS} ms natively — **{met}** ({duration(core_ns)})."
    )
    out.append("")

    one = get("one certificate", "access-core inspect_bundle")
    out.append("**One certificate** (the bundle's first)\n")
    out.append("| what | time | vs access-core |")
    out.append("|---|---|---|")
    if one:
        out.append(f"| access-core `inspect_bundle` | {duration(one[0])} | 1× |")
    for key, label in [
        ("python cryptography, in process", "Python `cryptography`, in process"),
        ("openssl crl2pkcs7 | pkcs7 -print_certs", "openssl `crl2pkcs7 \\| pkcs7 -print_certs` (2 processes)"),
        ("openssl crl2pkcs7 | pkcs7 -print_certs -text", "openssl `crl2pkcs7 \\| pkcs7 -print_certs -text` (2 processes)"),
        ("openssl x509", "openssl `x509` (1 process)"),
        ("openssl version (process start only)", "openssl `version` (process start, nothing read)"),
    ]:
        found = get("one certificate, other tools", key)
        if found and one:
            out.append(f"| {label} | {duration(found[0])} | {ratio(found[0], one[0])} |")
    out.append("")
    for option in ["", " -text"]:
        key = "openssl crl2pkcs7 | pkcs7 -print_certs" + option
        pipe_all = get(other, key)
        pipe_one = get("one certificate, other tools", key)
        if pipe_all and pipe_one and n > 1:
            per = (pipe_all[0] - pipe_one[0]) / (n - 1)
            out.append(
                f"openssl's own cost per certificate with `-print_certs{option}`, process start taken out "
                f"((bundle − one certificate) / {n - 1}): **{duration(per)}**, "
                f"{ratio(per, core_ns / n)} access-core's {duration(core_ns / n)}.  "
            )
    out.append("")

    out.append("**`parse_dn`** (parse, canonicalise, DER) on the bundle's subjects\n")
    out.append("| input | per name |")
    out.append("|---|---|")
    for key in ["as openssl prints them", "as people type them"]:
        found = get("parse_dn", key)
        if found:
            out.append(f"| {key} | {duration(found[0] / found[1])} |")
    print("\n".join(out))


# The runs with a target (issue 19), by file name.
TARGETS = {
    "list-fixed.json": "list (SQLite)",
    "events-fixed.json": "activity feed (SQLite)",
    "pg-list-fixed.json": "list (PostgreSQL)",
    "pg-events-fixed.json": "activity feed (PostgreSQL)",
}


def load(target_p99_ms, rate, files):
    out = ["| run | requests | answers | throughput | p50 | p90 | p99 | max |", "|---|---|---|---|---|---|---|---|"]
    verdicts = []
    for path in files:
        label_path = os.path.splitext(path)[0] + ".label"
        with open(label_path) as f:
            label = f.read().strip()
        with open(path) as f:
            d = json.load(f)
        lat = d["latencyPercentiles"]
        summary = d["summary"]
        codes = d.get("statusCodeDistribution") or {}
        errors = d.get("errorDistribution") or {}
        answers = ", ".join(f"{n:,} × {code}" for code, n in sorted(codes.items()))
        if errors:
            answers += "; " + ", ".join(f"{n:,} {what}" for what, n in errors.items())
        total = sum(codes.values())
        ms = lambda s: "–" if s is None else f"{s * 1000:.2f} ms"
        out.append(
            f"| {label} | {total:,} | {answers} | {summary['requestsPerSec']:,.0f}/s | {ms(lat.get('p50'))} | "
            f"{ms(lat.get('p90'))} | {ms(lat.get('p99'))} | {ms(summary.get('slowest'))} |"
        )
        what = TARGETS.get(os.path.basename(path))
        if what:
            p99 = lat.get("p99")
            held = summary["requestsPerSec"] >= 0.95 * rate
            met = p99 is not None and p99 * 1000 <= target_p99_ms and held
            verdicts.append(
                f"Target: {what} p99 ≤ {target_p99_ms:g} ms at {rate:,} requests/s — **{'met' if met else 'missed'}** "
                f"(p99 {ms(p99)} at {summary['requestsPerSec']:,.0f} requests/s{'' if held else ', the rate not held'})."
            )
    print("\n".join(out))
    print()
    print("  \n".join(verdicts))


def first_load(dist, target):
    rows = []
    first = 0
    later = 0
    for path in sorted(glob.glob(os.path.join(dist, "**", "*"), recursive=True)):
        if not os.path.isfile(path) or path.endswith(".gz"):
            continue  # a .gz is the file beside it, compressed (scripts/precompress)
        name = os.path.relpath(path, dist)
        size = len(subprocess.run(["gzip", "-9", "-c", path], check=True, capture_output=True).stdout)
        # Fetched only when needed: the signature worker when a client certificate is dropped, the pages
        # module when a page other than Database Users (or a user dialog) is opened. config.json is read
        # at start. tests/tests/browser/first_load.rs checks the same split in Chromium.
        if name.startswith("signature-worker"):
            when = "on demand (client certificate dropped)"
        elif name.startswith("access-console-pages"):
            when = "on demand (other pages, user dialog)"
        else:
            when = "first load"
        if when == "first load":
            first += size
        else:
            later += size
        rows.append((name, size, when))
    print("| file | gzip -9 bytes | loaded |")
    print("|---|---|---|")
    for name, size, when in rows:
        print(f"| `{name}` | {size:,} | {when} |")
    print(f"| **first load** | **{first:,}** | |")
    print(f"| on demand | {later:,} | |")
    print()
    met = "met" if first <= target else "missed"
    print(f"Target: first load ≤ {target // 1000} KB gzip — **{met}** ({first / 1000:.0f} KB, {first / target:.2f}× the target).")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    what = sys.argv[1]
    if what == "core" and len(sys.argv) == 4:
        core(sys.argv[2], sys.argv[3])
    elif what == "load" and len(sys.argv) >= 5:
        load(float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
    elif what == "first-load" and len(sys.argv) == 4:
        first_load(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)


main()
