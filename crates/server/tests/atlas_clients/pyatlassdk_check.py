"""Drives Access Console with pyatlassdk (PyPI), unchanged: only its base URL and API keys are ours.

    python pyatlassdk_check.py BASE_URL PUBLIC_KEY PRIVATE_KEY GROUP_ID CA_PEM_FILE

Prints one `ok <step>` line per step; exits 1 at the first failure, printing why.
"""

import json
import sys

from pyatlassdk import AtlasAdminClient
from pyatlassdk.admin._errors import AtlasApiError
from pyatlassdk.admin.models.cloud_database_user import CloudDatabaseUser
from pyatlassdk.admin.models.create_atlas_project_api_key import CreateAtlasProjectApiKey
from pyatlassdk.admin.models.database_user_role import DatabaseUserRole
from pyatlassdk.admin.models.db_user_tlsx509_settings import DBUserTLSX509Settings
from pyatlassdk.admin.models.update_atlas_project_api_key import UpdateAtlasProjectApiKey
from pyatlassdk.admin.models.update_custom_db_role import UpdateCustomDBRole
from pyatlassdk.admin.models.user_custom_db_role import UserCustomDBRole
from pyatlassdk.admin.models.user_security import UserSecurity


def check(condition, what):
    if not condition:
        print(f"FAILED {what}", flush=True)
        sys.exit(1)
    print(f"ok {what}", flush=True)


def delete(call, *args, **kwargs):
    """Runs a delete method. pyatlassdk 0.1.0 parses every answer as JSON, also the empty body of the
    204 that Atlas (and this server) answers a DELETE with: its JSONDecodeError, raised only after the
    status was found below 400, means the DELETE succeeded."""
    try:
        call(*args, **kwargs)
    except json.JSONDecodeError:
        pass


def main():
    base_url, public_key, private_key, group_id, ca_file = sys.argv[1:6]
    with open(ca_file, encoding="utf-8") as f:
        ca_pem = f.read()
    with AtlasAdminClient(public_key=public_key, private_key=private_key, base_url=base_url) as atlas:
        # X.509: write the project's CAs, read them back.
        written = atlas.ldap_configuration.update_group_user_security(
            group_id, UserSecurity(customer_x509=DBUserTLSX509Settings(cas=ca_pem))
        )
        check(written.customer_x509 is not None and "BEGIN CERTIFICATE" in (written.customer_x509.cas or ""),
              "x509 write (PATCH userSecurity)")
        read = atlas.ldap_configuration.get_group_user_security(group_id)
        check(read.customer_x509.cas.strip() == ca_pem.strip(), "x509 read (GET userSecurity)")

        # Custom roles.
        role = UserCustomDBRole.model_validate({
            "roleName": "pyatlassdkReader",
            "actions": [{"action": "FIND", "resources": [{"cluster": False, "db": "sales", "collection": "orders"}]}],
        })
        created = atlas.custom_database_roles.create_group_custom_db_role_role(group_id, role)
        check(created.role_name == "pyatlassdkReader", "custom role create")
        roles = atlas.custom_database_roles.list_group_custom_db_role_roles(group_id)
        check([r.role_name for r in roles] == ["pyatlassdkReader"], "custom role list")
        got = atlas.custom_database_roles.get_group_custom_db_role_role(group_id, "pyatlassdkReader")
        check(got.actions[0].action == "FIND", "custom role get")
        update = UpdateCustomDBRole.model_validate({
            "actions": [{"action": "INSERT", "resources": [{"cluster": False, "db": "sales", "collection": "orders"}]}],
        })
        updated = atlas.custom_database_roles.update_group_custom_db_role_role(group_id, "pyatlassdkReader", update)
        check([a.action for a in updated.actions] == ["INSERT"], "custom role update")

        # Database users (self-managed X.509, in $external).
        username = "CN=pyatlassdk,OU=Clients,O=Example"
        user = CloudDatabaseUser.model_validate({
            "groupId": group_id,
            "databaseName": "$external",
            "username": username,
            "x509Type": "CUSTOMER",
            "roles": [{"databaseName": "sales", "roleName": "read"}],
        })
        created = atlas.database_users.create_group_database_user(group_id, user)
        check(created.username == username and created.x509_type == "CUSTOMER", "database user create")
        users = atlas.database_users.list_group_database_users(group_id)
        check([u.username for u in users.results] == [username], "database user list")
        got = atlas.database_users.get_group_database_user(group_id=group_id, database_name="$external", username=username)
        check(got.roles[0].role_name == "read", "database user get")
        change = CloudDatabaseUser.model_validate({
            "groupId": group_id,
            "databaseName": "$external",
            "username": username,
            "x509Type": "CUSTOMER",
            "roles": [{"databaseName": "sales", "roleName": "readWrite"}],
        })
        updated = atlas.database_users.update_group_database_user(group_id=group_id, database_name="$external", username=username, body=change)
        check(updated.roles[0].role_name == "readWrite", "database user update")
        delete(atlas.database_users.delete_group_database_user, group_id=group_id, database_name="$external", username=username)
        try:
            atlas.database_users.get_group_database_user(group_id=group_id, database_name="$external", username=username)
            check(False, "database user delete")
        except AtlasApiError as error:
            check(error.status_code == 404, "database user delete")

        delete(atlas.custom_database_roles.delete_group_custom_db_role_role, group_id=group_id, role_name="pyatlassdkReader")
        check(atlas.custom_database_roles.list_group_custom_db_role_roles(group_id) == [], "custom role delete")

        # X.509 off again.
        off = atlas.x509_authentication.disable_group_user_security_customer_x509(group_id)
        check(off.customer_x509 is None or not off.customer_x509.cas, "x509 disable (DELETE userSecurity/customerX509)")

    # Programmatic API keys of the project, managed with the same client (the key used is an owner's).
    with AtlasAdminClient(public_key=public_key, private_key=private_key, base_url=base_url) as atlas:
        made = atlas.programmatic_api_keys.create_group_api_key(
            group_id, CreateAtlasProjectApiKey(desc="made by pyatlassdk", roles=["GROUP_READ_ONLY"])
        )
        check(made.public_key and len(made.private_key or "") == 36, "api key create (private key shown once)")
        listed = atlas.programmatic_api_keys.list_group_api_keys(group_id)
        shown = [k for k in listed.results if k.id == made.id]
        check(len(shown) == 1 and shown[0].private_key.startswith("********-"), "api key list (private key masked)")
        changed = atlas.programmatic_api_keys.update_group_api_key_roles(
            api_user_id=made.id, group_id=group_id,
            body=UpdateAtlasProjectApiKey(roles=["GROUP_DATABASE_ACCESS_ADMIN"]),
        )
        check([r.role_name for r in changed.roles] == ["GROUP_DATABASE_ACCESS_ADMIN"], "api key update roles")
        with AtlasAdminClient(public_key=made.public_key, private_key=made.private_key, base_url=base_url) as new:
            check(new.database_users.list_group_database_users(group_id).results == [], "new api key used")
            # Taken out of the project, the key stays its organization's: the project is not disclosed.
            delete(atlas.programmatic_api_keys.remove_group_api_key, api_user_id=made.id, group_id=group_id)
            try:
                new.database_users.list_group_database_users(group_id)
                check(False, "api key taken out of the project (404 there afterwards)")
            except AtlasApiError as error:
                check(error.status_code == 404, "api key taken out of the project (404 there afterwards)")
            # The organization's keys, and deleting the key there: refused afterwards.
            project = atlas.projects.get_group(group_id)
            check(atlas.projects.get_group_by_name(project.name).id == group_id, "project by name")
            org_keys = atlas.programmatic_api_keys.list_org_api_keys(project.org_id)
            check(any(k.id == made.id for k in org_keys.results), "organization api keys list")
            delete(atlas.programmatic_api_keys.delete_org_api_key, api_user_id=made.id, org_id=project.org_id)
            try:
                new.database_users.list_group_database_users(group_id)
                check(False, "api key delete (key refused afterwards)")
            except AtlasApiError as error:
                check(error.status_code == 401, "api key delete (key refused afterwards)")

    # A wrong private key is refused.
    with AtlasAdminClient(public_key=public_key, private_key="not-the-key", base_url=base_url) as wrong:
        try:
            wrong.database_users.list_group_database_users(group_id)
            check(False, "wrong private key refused")
        except AtlasApiError as error:
            check(error.status_code == 401, "wrong private key refused")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - print any failure for the Rust test
        print(f"FAILED {type(error).__name__}: {error}", flush=True)
        sys.exit(1)
