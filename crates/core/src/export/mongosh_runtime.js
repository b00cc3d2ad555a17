// ---- What follows applies the lists above; nothing below needs editing. ----
function accessConsoleApply() {
  const admin = db.getSiblingDB("admin");
  const external = db.getSiblingDB("$external");
  const listOf = (answer, key) =>
    Array.isArray(answer) ? answer : answer && Array.isArray(answer[key]) ? answer[key] : [];
  const resourceOf = (r) =>
    r && r.cluster === true ? { cluster: true }
      : r && r.anyResource === true ? { anyResource: true }
        : { db: (r && r.db) || "", collection: (r && r.collection) || "" };
  const samePrivileges = (a, b) => canonicalPrivileges(a) === canonicalPrivileges(b);
  function canonicalPrivileges(privileges) {
    const byResource = new Map();
    for (const p of privileges || []) {
      const key = JSON.stringify(resourceOf(p.resource));
      if (!byResource.has(key)) byResource.set(key, new Set());
      for (const a of p.actions || []) byResource.get(key).add(a);
    }
    return JSON.stringify([...byResource.keys()].sort()
      .filter((k) => byResource.get(k).size > 0)
      .map((k) => [k, [...byResource.get(k)].sort()]));
  }
  const roleKey = (r) => typeof r === "string" ? r + "@admin" : r.role + "@" + r.db;
  const sameRoles = (a, b) =>
    JSON.stringify((a || []).map(roleKey).sort()) === JSON.stringify((b || []).map(roleKey).sort());

  const wantedRoleNames = new Set(wantedRoles.map((r) => r.role));
  const wantedUserNames = new Set(wantedUsers.map((u) => u.user));
  let changes = 0;

  for (const want of wantedRoles) {
    const have = admin.getRole(want.role, { showPrivileges: true });
    if (!have) {
      admin.createRole({ role: want.role, privileges: want.privileges, roles: want.roles });
      print("created role " + want.role);
      changes++;
    } else if (!samePrivileges(have.privileges, want.privileges) || !sameRoles(have.roles, want.roles)) {
      admin.updateRole(want.role, { privileges: want.privileges, roles: want.roles });
      print("updated role " + want.role);
      changes++;
    }
  }
  for (const want of wantedUsers) {
    const have = external.getUser(want.user);
    if (!have) {
      external.createUser({ user: want.user, roles: want.roles });
      print("created user " + want.user);
      changes++;
    } else if (!sameRoles(have.roles, want.roles)) {
      external.updateUser(want.user, { roles: want.roles });
      print("updated user " + want.user);
      changes++;
    }
  }

  const extraUsers = listOf(external.getUsers(), "users")
    .map((u) => u.user)
    .filter((name) => !wantedUserNames.has(name));
  const extraRoles = listOf(admin.getRoles({ showBuiltinRoles: false }), "roles")
    .filter((r) => !r.isBuiltin && (r.db === undefined || r.db === "admin"))
    .map((r) => r.role)
    .filter((name) => !wantedRoleNames.has(name));
  for (const name of extraUsers) {
    if (prune) {
      external.dropUser(name);
      print("dropped user " + name + " (not in the project)");
      changes++;
    } else {
      print("// not in the project: user " + name + " (set prune = true to remove it)");
    }
  }
  for (const name of extraRoles) {
    if (prune) {
      admin.dropRole(name);
      print("dropped role " + name + " (not in the project)");
      changes++;
    } else {
      print("// not in the project: role " + name + " (set prune = true to remove it)");
    }
  }
  print(changes === 0 ? "already up to date" : changes + " change(s) made");
}
accessConsoleApply();
