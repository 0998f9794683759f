"""Client configuration — key, route ("api"), region, base URL, timeouts, retries — resolved in
one place for the core client and every adapter class.

Explicit arguments win over environment variables: the route's key and host variables
(``MINIMAX_API_KEY`` / ``MINIMAX_BASE_URL``, or ``DASHSCOPE_API_KEY`` / ``DASHSCOPE_BASE_URL`` for
the DashScope route; see the dialect table), ``MINIMAX_REGION`` and ``MINIMAX_GROUP_ID``. An
explicit ``region`` also keeps the environment's host out (both name the host). The key is held
as a :class:`pydantic.SecretStr` and never printed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, field_validator

from minimax_core._dialects import APIS, DIALECTS, Api, Dialect
from minimax_core.errors import AuthenticationError, InvalidInputError

__all__ = [
    "REGION_HOSTS",
    "Api",
    "ClientConfig",
    "Region",
    "RegionName",
    "env_defaults",
    "normalise_base_url",
    "normalise_region",
]

Region = Literal["global", "cn"]

REGION_HOSTS: dict[str, str] = {
    "global": "https://api.minimax.io",
    "cn": "https://api.minimaxi.com",
}
EMBEDDINGS_PATH = "/v1/embeddings"

_REGION_ALIASES = {"global": "global", "intl": "global", "international": "global", "cn": "cn"}
#: What a route's path starts with (the base URL an SDK of that protocol is given).
_ROUTE_BASES = ("/anthropic/v1", "/anthropic", "/compatible-mode/v1", "/api/v1", "/v1")


def _tail(path: str) -> str:
    for base in _ROUTE_BASES:
        if path.startswith(base + "/"):
            return path.removeprefix(base)
    return path


_ROUTE_PATHS = "|".join(
    re.escape(_tail(path)) for path in [*(d.path for d in DIALECTS.values()), EMBEDDINGS_PATH]
)
_BASES = "|".join(re.escape(base) for base in _ROUTE_BASES)
_SUFFIXES = re.compile(rf"({_BASES})?({_ROUTE_PATHS})?/*$")


def normalise_base_url(url: str) -> str:
    """Strip a trailing route base (``/v1``, ``/compatible-mode/v1``, ``/anthropic``,
    ``/anthropic/v1``) or route path: what is left is the prefix every route path is appended to."""
    url = url.strip()
    if not re.match(r"^https?://", url):
        raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
    return _SUFFIXES.sub("", url.rstrip("/"))


def normalise_region(value: object) -> object:
    """``"intl"``, ``" CN "`` … → ``"global"`` / ``"cn"`` (anything else is left to validation)."""
    if isinstance(value, str):
        return _REGION_ALIASES.get(value.strip().lower(), value)
    return value


#: A region as a field type: aliases accepted, validated to ``"global"`` / ``"cn"``.
RegionName = Annotated[Region, BeforeValidator(normalise_region)]


def dialect(api: str) -> Dialect:
    try:
        return DIALECTS[api]
    except KeyError:
        raise InvalidInputError(f"api must be one of {list(APIS)}, got {api!r}") from None


def env_defaults(api: str = "openai", given: Collection[str] = ()) -> dict[str, str]:
    """Config values found in the environment for the fields not ``given`` explicitly, by field
    name (only the variables that are set).

    An explicit ``region`` also keeps the host variable out: both name the host, and an argument
    wins over the environment (``region="cn"`` must not be sent to a host from the env).
    """
    route = dialect(api)
    names = {
        "api_key": route.key_env,
        "base_url": route.base_url_env,
        "region": "MINIMAX_REGION",
        "group_id": "MINIMAX_GROUP_ID",
    }
    skip = set(given) | ({"base_url"} if "region" in given else set())
    return {
        field: os.environ[var]
        for field, var in names.items()
        if field not in skip and os.environ.get(var)
    }


class ClientConfig(BaseModel):
    """Everything needed to reach MiniMax. Immutable; ``api_key`` is never shown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr | None = None
    api: Api = "openai"
    region: RegionName = "global"
    base_url: str | None = None
    group_id: str | None = None
    #: Seconds to wait for each read/write (thinking can be silent for minutes).
    timeout: float | None = Field(default=300.0, gt=0)
    connect_timeout: float = Field(default=10.0, gt=0)
    max_retries: int = Field(default=2, ge=0)
    #: Extra round trips when MiniMax answers a forced tool choice in text (0: none).
    tool_choice_repairs: int = Field(default=1, ge=0)
    default_headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return normalise_base_url(value) if value else None

    @classmethod
    def from_env(
        cls,
        *,
        api_key: str | SecretStr | None = None,
        api: str = "openai",
        region: str | None = None,
        base_url: str | None = None,
        group_id: str | None = None,
        **rest: Any,
    ) -> ClientConfig:
        """Build a config, filling what was not given from the environment."""
        given = {"api_key": api_key, "region": region, "base_url": base_url, "group_id": group_id}
        explicit = {k: v for k, v in given.items() if v is not None}
        values: dict[str, object] = {"api": api, **env_defaults(api, explicit), **rest}
        values.update(explicit)
        return cls.model_validate(values)

    @property
    def dialect(self) -> Dialect:
        return DIALECTS[self.api]

    @property
    def host(self) -> str:
        return self.base_url or self.dialect.host or REGION_HOSTS[self.region]

    @property
    def chat_url(self) -> str:
        url = self.host + self.dialect.path
        if self.dialect.group_id and self.group_id:
            url += f"?GroupId={self.group_id}"
        return url

    @property
    def embeddings_url(self) -> str:
        if not self.dialect.embeddings:
            served = [name for name, d in DIALECTS.items() if d.embeddings]
            raise InvalidInputError(
                f"Embeddings are MiniMax's own endpoint; the {self.dialect.title} route serves "
                f"chat only. Use api={' or '.join(repr(n) for n in served)}."
            )
        url = self.host + EMBEDDINGS_PATH
        if self.group_id:
            url += f"?GroupId={self.group_id}"
        return url

    def key(self) -> str:
        """The API key, or a clear error naming where to put it (raised before any request)."""
        if self.api_key is None or not self.api_key.get_secret_value():
            raise AuthenticationError(
                f"No API key: pass api_key=... or set {self.dialect.key_env}. For an offline "
                "try-out, start `minimax-emulator` and set MINIMAX_BASE_URL=http://127.0.0.1:8765 "
                "with any key."
            )
        return self.api_key.get_secret_value()

    def headers(self, *, stream: bool) -> Mapping[str, str]:
        """Every header of a request: authentication (the route's way), content negotiation and
        the user's ``default_headers``."""
        return {
            **self.dialect.auth(self.key()),
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
            **(dict(self.dialect.stream_headers) if stream else {}),
            **self.default_headers,
        }
