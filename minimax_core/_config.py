"""Client configuration: key, route ("api"), region, base URL, timeouts, retries.

Explicit arguments win over environment variables: ``MINIMAX_API_KEY``, ``MINIMAX_BASE_URL``,
``MINIMAX_REGION``, ``MINIMAX_GROUP_ID`` (and ``DASHSCOPE_API_KEY`` / ``DASHSCOPE_BASE_URL`` for
the DashScope route). The key is held as a :class:`pydantic.SecretStr` and never printed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from minimax_core.errors import AuthenticationError

__all__ = [
    "API_PATHS",
    "REGION_HOSTS",
    "Api",
    "ClientConfig",
    "Region",
    "env_defaults",
    "normalise_base_url",
]

Api = Literal["openai", "native", "dashscope"]
Region = Literal["global", "cn"]

REGION_HOSTS: dict[str, str] = {
    "global": "https://api.minimax.io",
    "cn": "https://api.minimaxi.com",
}
DASHSCOPE_HOST = "https://dashscope.aliyuncs.com"

API_PATHS: dict[str, str] = {
    "openai": "/v1/chat/completions",
    "native": "/v1/text/chatcompletion_v2",
    "dashscope": "/compatible-mode/v1/chat/completions",
}
EMBEDDINGS_PATH = "/v1/embeddings"

_REGION_ALIASES = {"global": "global", "intl": "global", "international": "global", "cn": "cn"}
_SUFFIXES = re.compile(
    r"(/(compatible-mode/)?v1)?(/chat/completions|/text/chatcompletion_v2|/embeddings)?/*$"
)


def normalise_base_url(url: str) -> str:
    """Strip a trailing ``/v1``, ``/compatible-mode/v1`` or route path: the prefix to append to."""
    url = url.strip()
    if not re.match(r"^https?://", url):
        raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
    return _SUFFIXES.sub("", url.rstrip("/"))


def env_defaults(api: str = "openai", given: Collection[str] = ()) -> dict[str, str]:
    """Config values found in the environment for the fields not ``given`` explicitly, by field
    name (only the variables that are set).

    An explicit ``region`` also keeps ``MINIMAX_BASE_URL`` out: both name the host, and an
    argument wins over the environment (``region="cn"`` must not be sent to a host from the env).
    """
    dashscope = api == "dashscope"
    names = {
        "api_key": "DASHSCOPE_API_KEY" if dashscope else "MINIMAX_API_KEY",
        "base_url": "DASHSCOPE_BASE_URL" if dashscope else "MINIMAX_BASE_URL",
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
    region: Region = "global"
    base_url: str | None = None
    group_id: str | None = None
    #: Seconds to wait for each read/write (thinking can be silent for minutes).
    timeout: float | None = Field(default=300.0, gt=0)
    connect_timeout: float = Field(default=10.0, gt=0)
    max_retries: int = Field(default=2, ge=0)
    default_headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        if isinstance(value, str):
            return _REGION_ALIASES.get(value.strip().lower(), value)
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return normalise_base_url(value) if value else None

    @classmethod
    def from_env(
        cls,
        *,
        api_key: str | SecretStr | None = None,
        api: Api = "openai",
        region: str | None = None,
        base_url: str | None = None,
        group_id: str | None = None,
        **rest: object,
    ) -> ClientConfig:
        """Build a config, filling what was not given from the environment."""
        given = {"api_key": api_key, "region": region, "base_url": base_url, "group_id": group_id}
        explicit = {k: v for k, v in given.items() if v is not None}
        values: dict[str, object] = {"api": api, **env_defaults(api, explicit), **rest}
        values.update(explicit)
        return cls.model_validate(values)

    @property
    def host(self) -> str:
        if self.base_url:
            return self.base_url
        return DASHSCOPE_HOST if self.api == "dashscope" else REGION_HOSTS[self.region]

    @property
    def chat_url(self) -> str:
        url = self.host + API_PATHS[self.api]
        if self.api == "native" and self.group_id:
            url += f"?GroupId={self.group_id}"
        return url

    @property
    def embeddings_url(self) -> str:
        url = self.host + EMBEDDINGS_PATH
        if self.group_id:
            url += f"?GroupId={self.group_id}"
        return url

    def key(self) -> str:
        """The API key, or a clear error naming where to put it (raised before any request)."""
        if self.api_key is None or not self.api_key.get_secret_value():
            var = "DASHSCOPE_API_KEY" if self.api == "dashscope" else "MINIMAX_API_KEY"
            raise AuthenticationError(
                f"No API key: pass api_key=... or set {var}. For an offline try-out, start "
                "`minimax-emulator` and set MINIMAX_BASE_URL=http://127.0.0.1:8765 with any key."
            )
        return self.api_key.get_secret_value()
