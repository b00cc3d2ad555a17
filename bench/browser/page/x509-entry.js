// The entry esbuild bundles into x509.js (one ES module): @peculiar/x509 and the Reflect metadata
// polyfill it requires (through tsyringe).
import "reflect-metadata";
export * from "@peculiar/x509";
