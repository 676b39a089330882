from chalicelib.domain.roles import ADMINS
from chalicelib.lazy import lazy
from chalicelib.schemas.base import ApiKeyId, RecordId
from chalicelib.schemas.common import PageQuery
from chalicelib.schemas.users import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPage,
    AuditPage,
    AuditQuery,
    PasswordReset,
    RevealQuery,
    UserCreate,
    UserListQuery,
    UserOut,
    UserPage,
    UserUpdate,
)
from chalicelib.web import api
from chalicelib.web.access import Access, Caller, body_field, query_field

api_keys = lazy("chalicelib.usecases.api_keys")
audit = lazy("chalicelib.usecases.audit")
users = lazy("chalicelib.usecases.users")

resource = api.Resource(__name__, tag="accounts")


def _user_scope(parts):
    return users.scope_of_user(parts.path["user_id"])


def _key_scope(parts):
    return api_keys.scope_of_key(parts.path["key_id"])


ADMIN_OF_USER = Access(roles=ADMINS, scope=_user_scope)


@resource.post("/users", summary="Create a user within one's scope", body=UserCreate,
               response=UserOut, status=201,
               access=Access(roles=ADMINS, scope=body_field("scope_code")),
               answers={409: "Another user has this phone"})
def create_user(body: UserCreate, caller: Caller) -> UserOut:
    return users.create_user(caller, body)


@resource.get("/users", summary="Users of one's subtree", query=UserListQuery,
              response=UserPage, access=Access(roles=ADMINS, scope=query_field("scope")))
def list_users(query: UserListQuery, caller: Caller) -> UserPage:
    return users.list_users(caller, query.scope, limit=query.limit, cursor=query.cursor)


@resource.get("/users/{user_id}", summary="A user; ?reveal=true unmasks the phone (audited)",
              query=RevealQuery, response=UserOut, access=ADMIN_OF_USER)
def get_user(user_id: RecordId, query: RevealQuery, caller: Caller) -> UserOut:
    return users.get_user(caller, user_id, reveal=query.reveal)


@resource.patch("/users/{user_id}", summary="Rename, change role or scope, disable or enable",
                body=UserUpdate, response=UserOut, access=ADMIN_OF_USER,
                answers={409: "Changed by someone else since it was read: reload and retry"})
def update_user(user_id: RecordId, body: UserUpdate, caller: Caller) -> UserOut:
    return users.update_user(caller, user_id, body)


@resource.post("/users/{user_id}/password-reset",
               summary="Set a new initial password; the user must change it at next login",
               body=PasswordReset, response=UserOut, access=ADMIN_OF_USER,
               answers={409: "Changed by someone else since it was read: reload and retry"})
def reset_password(user_id: RecordId, body: PasswordReset, caller: Caller) -> UserOut:
    return users.reset_password(caller, user_id, body)


@resource.post("/api-keys", summary="Create an API key for a machine client (shown once)",
               body=ApiKeyCreate, response=ApiKeyCreated, status=201,
               access=Access(roles=ADMINS, scope=body_field("scope_code")))
def create_api_key(body: ApiKeyCreate, caller: Caller) -> ApiKeyCreated:
    return api_keys.create_key(caller, body)


@resource.get("/api-keys", summary="API keys of one's subtree", query=PageQuery,
              response=ApiKeyPage, access=Access(roles=ADMINS))
def list_api_keys(query: PageQuery, caller: Caller) -> ApiKeyPage:
    return api_keys.list_keys(caller, limit=query.limit, cursor=query.cursor)


@resource.delete("/api-keys/{key_id}", summary="Revoke an API key", status=204,
                 access=Access(roles=ADMINS, scope=_key_scope))
def revoke_api_key(key_id: ApiKeyId, caller: Caller) -> None:
    api_keys.revoke_key(caller, key_id)


@resource.get("/audit", summary="The audit log of one's subtree, newest first",
              query=AuditQuery, response=AuditPage,
              access=Access(roles=ADMINS, scope=query_field("scope")))
def list_audit(query: AuditQuery, caller: Caller) -> AuditPage:
    return audit.list_entries(caller, query)
