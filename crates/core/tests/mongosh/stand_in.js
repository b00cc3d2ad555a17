// A STAND-IN for mongosh's `db` object (no MongoDB server runs on the test machines). It keeps the state
// mongod would keep for users in $external and custom roles in admin, refuses what mongod refuses that
// matters here (creating what exists, changing or dropping what does not, a role inheriting a role that
// does not exist), and records every call that changes state.
//
// Usage: node stand_in.js SCRIPT STATE_IN STATE_OUT
//   STATE_IN: {"users": [{user, db, roles}], "roles": [{role, db, privileges, roles}], "builtinRoles": [names]}
//   STATE_OUT: the same shape, plus "calls": [[method, name], ...].
"use strict";
const fs = require("fs");
const vm = require("vm");

const [scriptPath, stateIn, stateOut] = process.argv.slice(2);
const initial = JSON.parse(fs.readFileSync(stateIn, "utf8"));
const users = new Map((initial.users || []).map((u) => [u.user, structuredClone(u)]));
const roles = new Map((initial.roles || []).map((r) => [r.role, structuredClone(r)]));
const builtin = new Set(initial.builtinRoles || []);
const calls = [];

class MongoServerError extends Error {}

function checkRoleRefs(refs, what) {
  for (const r of refs || []) {
    const name = typeof r === "string" ? r : r.role;
    const db = typeof r === "string" ? "admin" : r.db;
    if (builtin.has(name)) continue;
    if (db === "admin" && roles.has(name)) continue;
    throw new MongoServerError(`Could not find role: ${name}@${db} (${what})`);
  }
}

function database(name) {
  return {
    getName: () => name,
    getSiblingDB: (other) => database(other),
    getRole(role, options) {
      if (name !== "admin" || !roles.has(role)) return null;
      const r = structuredClone(roles.get(role));
      if (!(options && options.showPrivileges)) delete r.privileges;
      return { ...r, isBuiltin: false };
    },
    getRoles() {
      return { roles: name === "admin" ? [...roles.values()].map((r) => ({ ...structuredClone(r), isBuiltin: false })) : [], ok: 1 };
    },
    createRole(doc) {
      calls.push(["createRole", doc.role]);
      if (name !== "admin") throw new MongoServerError("stand-in keeps roles in admin only");
      if (roles.has(doc.role)) throw new MongoServerError(`Role "${doc.role}@admin" already exists`);
      checkRoleRefs(doc.roles, doc.role);
      roles.set(doc.role, { role: doc.role, db: "admin", privileges: structuredClone(doc.privileges || []), roles: structuredClone(doc.roles || []) });
    },
    updateRole(role, update) {
      calls.push(["updateRole", role]);
      const r = roles.get(role);
      if (!r) throw new MongoServerError(`Role ${role}@admin not found`);
      if (update.roles) { checkRoleRefs(update.roles, role); r.roles = structuredClone(update.roles); }
      if (update.privileges) r.privileges = structuredClone(update.privileges);
    },
    dropRole(role) {
      calls.push(["dropRole", role]);
      if (!roles.delete(role)) throw new MongoServerError(`Role ${role}@admin not found`);
      for (const other of roles.values()) other.roles = other.roles.filter((x) => !(x.role === role && x.db === "admin"));
      for (const u of users.values()) u.roles = u.roles.filter((x) => !(x.role === role && x.db === "admin"));
    },
    getUser(user) {
      if (name !== "$external" || !users.has(user)) return null;
      const u = structuredClone(users.get(user));
      return { _id: "$external." + user, userId: "stand-in", ...u, mechanisms: ["external"] };
    },
    getUsers() {
      return { users: name === "$external" ? [...users.values()].map((u) => structuredClone(u)) : [], ok: 1 };
    },
    createUser(doc) {
      calls.push(["createUser", doc.user]);
      if (name !== "$external") throw new MongoServerError("stand-in keeps users in $external only");
      if (users.has(doc.user)) throw new MongoServerError(`User "${doc.user}@$external" already exists`);
      checkRoleRefs(doc.roles, doc.user);
      users.set(doc.user, { user: doc.user, db: "$external", roles: structuredClone(doc.roles || []) });
    },
    updateUser(user, update) {
      calls.push(["updateUser", user]);
      const u = users.get(user);
      if (!u) throw new MongoServerError(`User ${user}@$external not found`);
      if (update.roles) { checkRoleRefs(update.roles, user); u.roles = structuredClone(update.roles); }
    },
    dropUser(user) {
      calls.push(["dropUser", user]);
      if (!users.delete(user)) throw new MongoServerError(`User ${user}@$external not found`);
    },
  };
}

const printed = [];
const context = vm.createContext({ db: database("test"), print: (...a) => printed.push(a.join(" ")), console });
vm.runInContext(fs.readFileSync(scriptPath, "utf8"), context, { filename: scriptPath });
fs.writeFileSync(stateOut, JSON.stringify({
  users: [...users.values()],
  roles: [...roles.values()],
  builtinRoles: [...builtin],
  calls,
  printed,
}));
