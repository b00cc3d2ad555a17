"""The Python side of crates/core/benches/inspect.rs: what `inspect_bundle` reports of each certificate
(subject and issuer as RFC 4514 strings, validity, serial, SHA-256 fingerprint), with `cryptography`.

    python python_inspect.py FILE ITERS   reads FILE, then times ITERS runs; prints the nanoseconds
    python python_inspect.py FILE print   prints the fields of each certificate once
"""

import sys
import time
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes


def fields(pem):
    rows = []
    for cert in x509.load_pem_x509_certificates(pem):
        rows.append(
            (
                cert.subject.rfc4514_string(),
                cert.issuer.rfc4514_string(),
                cert.not_valid_before_utc.isoformat(),
                cert.not_valid_after_utc.isoformat(),
                format(cert.serial_number, "X"),
                cert.fingerprint(hashes.SHA256()).hex(":").upper(),
            )
        )
    return rows


def main():
    # One CA of the system bundle has a negative serial number; cryptography warns about it each time.
    warnings.simplefilter("ignore")
    path, what = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        pem = f.read()
    if what == "print":
        for row in fields(pem):
            print("\n".join(row))
        return
    iters = int(what)
    start = time.perf_counter_ns()
    for _ in range(iters):
        fields(pem)
    print(time.perf_counter_ns() - start)


main()
