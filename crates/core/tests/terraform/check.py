"""Parses Access Console's Terraform export with python-hcl2 and checks it against the mongodbatlas
provider's arguments: every resource has its required arguments, identifiers are unique, depends_on
names resources of the file, and the values are what they must be for self-managed X.509.

Usage: python check.py FILE.tf  -> prints JSON {"errors": [...], "users": {...}, "roles": {...}, "cas": str|null}
"""
import json
import re
import sys

import hcl2

REQUIRED = {
    "mongodbatlas_x509_authentication_database_user": ["project_id", "customer_x509_cas"],
    "mongodbatlas_database_user": ["project_id", "username", "auth_database_name", "x509_type", "roles"],
    "mongodbatlas_custom_db_role": ["project_id", "role_name"],
}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def unquote(value):
    """hcl2 8.x keeps a string's quotes and escapes: undo them as Terraform would."""
    if not isinstance(value, str):
        return value
    if value.startswith('"<<-') or value.startswith('"<<'):
        body = value[1:-1]
        lines = body.split("\n")[1:-1]
        indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
        return "\n".join(l[indent:] for l in lines) + "\n"
    if not (value.startswith('"') and value.endswith('"')):
        return value
    out, i, s = [], 0, value[1:-1]
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "u":
                out.append(chr(int(s[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(ESCAPES.get(n, n))
            i += 2
        elif s.startswith("$${", i) or s.startswith("%%{", i):
            out.append(c + "{")
            i += 3
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main(path):
    with open(path) as f:
        doc = hcl2.load(f)
    errors = []
    variables = [unquote(k) for v in doc.get("variable", []) for k in v]
    if "project_id" not in variables:
        errors.append("no variable project_id")
    seen = set()
    resources = []
    for block in doc.get("resource", []):
        for rtype, named in block.items():
            rtype = unquote(rtype)
            for name, body in named.items():
                name = unquote(name)
                if not IDENTIFIER.match(name):
                    errors.append(f"{rtype}.{name}: not a valid identifier")
                if (rtype, name) in seen:
                    errors.append(f"{rtype}.{name}: identifier used twice")
                seen.add((rtype, name))
                resources.append((rtype, name, body))
    users, roles, cas = {}, {}, None
    for rtype, name, body in resources:
        where = f"{rtype}.{name}"
        for arg in REQUIRED.get(rtype, []):
            if arg not in body:
                errors.append(f"{where}: missing required argument {arg}")
        if rtype not in REQUIRED:
            errors.append(f"{where}: unexpected resource type")
        if body.get("project_id") != "${var.project_id}":
            errors.append(f"{where}: project_id is not var.project_id")
        for dep in body.get("depends_on", []):
            target = dep.strip("${}").split(".")
            if (target[0], target[1]) not in seen:
                errors.append(f"{where}: depends_on names {dep}, which the file does not define")
        if rtype == "mongodbatlas_x509_authentication_database_user":
            cas = unquote(body.get("customer_x509_cas"))
        elif rtype == "mongodbatlas_database_user":
            if unquote(body.get("auth_database_name")) != "$external":
                errors.append(f"{where}: auth_database_name is not $external")
            if unquote(body.get("x509_type")) != "CUSTOMER":
                errors.append(f"{where}: x509_type is not CUSTOMER")
            user_roles = []
            for r in body.get("roles", []):
                for arg in ("role_name", "database_name"):
                    if arg not in r:
                        errors.append(f"{where}: a roles block lacks {arg}")
                user_roles.append([unquote(r.get("role_name")), unquote(r.get("database_name")),
                                   unquote(r.get("collection_name"))])
            users[unquote(body.get("username"))] = {
                "roles": user_roles,
                "scopes": [[unquote(s.get("name")), unquote(s.get("type"))] for s in body.get("scopes", [])],
                "labels": [[unquote(l.get("key")), unquote(l.get("value"))] for l in body.get("labels", [])],
            }
        elif rtype == "mongodbatlas_custom_db_role":
            actions = []
            for a in body.get("actions", []):
                if "action" not in a or not a.get("resources"):
                    errors.append(f"{where}: an actions block lacks action or resources")
                actions.append([unquote(a.get("action")), [
                    {k: unquote(v) for k, v in r.items() if k != "__is_block__"} for r in a.get("resources", [])]])
            inherited = []
            for r in body.get("inherited_roles", []):
                for arg in ("role_name", "database_name"):
                    if arg not in r:
                        errors.append(f"{where}: an inherited_roles block lacks {arg}")
                inherited.append([unquote(r.get("role_name")), unquote(r.get("database_name"))])
            roles[unquote(body.get("role_name"))] = {"actions": actions, "inherited": inherited,
                                                     "depends_on": body.get("depends_on", [])}
    print(json.dumps({"errors": errors, "users": users, "roles": roles, "cas": cas}))


if __name__ == "__main__":
    main(sys.argv[1])
