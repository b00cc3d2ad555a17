// Drives Access Console with mongodb-atlas-api-client (npm), unchanged: only its base URL and API keys
// are ours.
//
//   node mongodb_atlas_api_client_check.js BASE_URL PUBLIC_KEY PRIVATE_KEY GROUP_ID
//
// Prints one `ok <step>` line per step; exits 1 at the first failure, printing why.
//
// The client has no userSecurity (X.509) calls, and its database user get/update/delete put the user in
// the `admin` database (`.../databaseUsers/admin/{username}`), where no certificate user lives: those
// three are called with the username `../$external/<DN>`, which the URL parser of Node resolves to
// `.../databaseUsers/$external/<DN>` (a workaround through the client's own arguments, not a change).
"use strict";

const getClient = require("mongodb-atlas-api-client");

function check(condition, what, detail) {
  if (!condition) {
    console.log(`FAILED ${what}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
    process.exit(1);
  }
  console.log(`ok ${what}`);
}

async function main() {
  const [baseUrl, publicKey, privateKey, projectId] = process.argv.slice(2);
  const atlas = getClient({ publicKey, privateKey, baseUrl, projectId });

  // Custom roles.
  const role = {
    roleName: "npmClientReader",
    actions: [{ action: "FIND", resources: [{ db: "sales", collection: "orders" }] }],
  };
  let answer = await atlas.customDbRole.create(role);
  check(answer.roleName === "npmClientReader", "custom role create", answer);
  answer = await atlas.customDbRole.getAll();
  check(Array.isArray(answer) && answer.length === 1 && answer[0].roleName === "npmClientReader", "custom role list", answer);
  answer = await atlas.customDbRole.get("npmClientReader");
  check(answer.actions && answer.actions[0].action === "FIND", "custom role get", answer);
  answer = await atlas.customDbRole.update("npmClientReader", {
    actions: [{ action: "INSERT", resources: [{ db: "sales", collection: "orders" }] }],
  });
  check(answer.actions && answer.actions[0].action === "INSERT", "custom role update", answer);

  // Database users (self-managed X.509, in $external).
  const username = "CN=npm client,O=Example";
  answer = await atlas.user.create({
    databaseName: "$external",
    username,
    x509Type: "CUSTOMER",
    roles: [{ databaseName: "admin", roleName: "npmClientReader" }],
  });
  check(answer.username === username && answer.x509Type === "CUSTOMER", "database user create", answer);
  answer = await atlas.user.getAll();
  check(answer.results && answer.results.length === 1 && answer.results[0].username === username, "database user list", answer);
  const inExternal = `../$external/${encodeURIComponent(username)}`;
  answer = await atlas.user.get(inExternal);
  check(answer.username === username, "database user get", answer);
  answer = await atlas.user.update(inExternal, { roles: [{ databaseName: "sales", roleName: "read" }] });
  check(answer.roles && answer.roles[0].roleName === "read", "database user update", answer);
  await atlas.user.delete(inExternal);
  answer = await atlas.user.getAll();
  check(answer.results && answer.results.length === 0, "database user delete", answer);

  await atlas.customDbRole.delete("npmClientReader");
  answer = await atlas.customDbRole.getAll();
  check(Array.isArray(answer) && answer.length === 0, "custom role delete", answer);

  // A wrong private key is refused.
  const wrong = getClient({ publicKey, privateKey: "not-the-key", baseUrl, projectId });
  answer = await wrong.user.getAll();
  check(answer.error === 401 && answer.errorCode === "API_KEY_UNAUTHORIZED", "wrong private key refused", answer);
}

main().catch((error) => {
  console.log(`FAILED ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
