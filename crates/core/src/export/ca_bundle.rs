//! The CA bundle as a PEM file for `net.tls.CAFile`, and the `mongod.conf` snippet that uses it, with the
//! steps of a CA rotation.

use super::{ExportError, ProjectAccess};

/// Where the snippet expects the bundle.
pub const CA_FILE_PATH: &str = "/etc/mongodb/ca.pem";

/// The stored bundle, ending with one newline.
pub fn pem(project: &ProjectAccess<'_>) -> Result<String, ExportError> {
    let bundle = project
        .ca_bundle
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .ok_or(ExportError::NoCaBundle)?;
    Ok(format!("{bundle}\n"))
}

/// The `mongod.conf` snippet and the rotation steps (as YAML comments). Refused when there is no bundle,
/// since `net.tls.CAFile` would name a file nobody can write.
pub fn mongod_conf(project: &ProjectAccess<'_>) -> Result<String, ExportError> {
    pem(project)?;
    let certificates = project
        .ca_bundle
        .map(|b| b.matches("-----BEGIN CERTIFICATE-----").count())
        .unwrap_or(0);
    Ok(format!(
        "# Access Console: TLS and X.509 client authentication for mongod (merge into mongod.conf).\n\
         # {CA_FILE_PATH}: the project's CA bundle ({certificates} certificate(s)), exported with --format ca-bundle.\n\
         net:\n  tls:\n    mode: requireTLS\n    certificateKeyFile: /etc/mongodb/server.pem   # this member's certificate and key\n    CAFile: {CA_FILE_PATH}\n\
         security:\n  authorization: enabled\n\
         #\n\
         # Rotating a CA without downtime (MongoDB 5.0+):\n\
         # 1. Write a bundle holding the old and the new CAs to {CA_FILE_PATH} on every member\n\
         #    (save both in Access Console first, then export --format ca-bundle).\n\
         # 2. On each member: mongosh ... --eval 'db.adminCommand({{rotateCertificates: 1}})'\n\
         #    (mongod rereads the file; no restart, open connections stay).\n\
         # 3. Issue client certificates from the new CA and move every client to them.\n\
         # 4. Remove the old CA from the bundle in Access Console, export it again, write it to every member\n\
         #    and run rotateCertificates once more.\n"
    ))
}
