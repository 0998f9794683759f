"""Connection settings shared by every adapter class (a pydantic mixin).

LangChain's and LlamaIndex's model classes are pydantic models; each MiniMax class mixes this in,
so the key, route, region, base URL, timeouts, retries and custom HTTP clients mean the same thing
everywhere, are read from the same environment variables, and build the core client in one place.
The API key is a :class:`~pydantic.SecretStr`: never shown in ``repr``, ``str`` or dumps.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, Field, PrivateAttr, SecretStr, model_validator

from minimax_core._client import MiniMaxClient
from minimax_core._config import Api, ClientConfig, Region, env_defaults

__all__ = ["ClientSettings"]

_ALIASES = {
    "api_key": ("api_key", "minimax_api_key"),
    "base_url": ("base_url", "minimax_api_host", "minimax_api_base"),
    "region": ("region",),
    "group_id": ("group_id", "minimax_group_id"),
}
_REGIONS = {"global": "global", "intl": "global", "international": "global", "cn": "cn"}


class ClientSettings(BaseModel):
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("api_key", "minimax_api_key"),
        exclude=True,  # never in model_dump / to_dict / to_json; re-read from the environment
        description="API key (env MINIMAX_API_KEY; DASHSCOPE_API_KEY for api='dashscope').",
    )
    region: Region = Field(
        default="global",
        description="'global' (api.minimax.io) or 'cn' (api.minimaxi.com); env MINIMAX_REGION.",
    )
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("base_url", "minimax_api_host", "minimax_api_base"),
        description="Host override (env MINIMAX_BASE_URL); a trailing /v1 is accepted.",
    )
    group_id: str | None = Field(
        default=None,
        validation_alias=AliasChoices("group_id", "minimax_group_id"),
        description="Legacy GroupId (native route and embeddings; env MINIMAX_GROUP_ID).",
    )
    timeout: float | None = Field(
        default=None, gt=0, description="Read/write timeout in seconds (None: 300 s)."
    )
    max_retries: int = Field(
        default=2, ge=0, description="Retries of rate limits, overloads and connection errors."
    )
    default_headers: dict[str, str] | None = Field(
        default=None, description="Extra HTTP headers sent with every request."
    )
    http_client: Any = Field(
        default=None, exclude=True, description="Your own httpx.Client (proxies, TLS)."
    )
    http_async_client: Any = Field(
        default=None, exclude=True, description="Your own httpx.AsyncClient."
    )

    _client: MiniMaxClient = PrivateAttr()

    @model_validator(mode="before")
    @classmethod
    def _settings_from_env(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        values = dict(values)
        api = values.get("api")
        given = [
            field
            for field, names in _ALIASES.items()
            if any(values.get(name) is not None for name in names)
        ]
        values.update(env_defaults(api if isinstance(api, str) else "openai", given))
        region = values.get("region")
        if isinstance(region, str):
            values["region"] = _REGIONS.get(region.strip().lower(), region)
        return values

    @model_validator(mode="after")
    def _settings_build_client(self) -> Any:
        self._build_client()
        return self

    def _build_client(self) -> None:
        config = ClientConfig(
            api_key=self.api_key,
            api=self._route(),
            region=self.region,
            base_url=self.base_url,
            group_id=self.group_id,
            timeout=self.timeout or 300.0,
            max_retries=self.max_retries,
            default_headers=self.default_headers or {},
        )
        self._client = MiniMaxClient(
            config, http_client=self.http_client, http_async_client=self.http_async_client
        )

    # -- pickling (worker processes: Ray, Dask, ProcessPoolExecutor) -----------------------
    # A pickle keeps the key (a model built with api_key=... must work in a worker without
    # MINIMAX_API_KEY; a pickle is a transport, never a display form). It leaves out what cannot
    # or must not cross processes: a user's own httpx clients and the connection pool, which each
    # process opens for itself.

    def __getstate__(self) -> dict[Any, Any]:
        state = dict(super().__getstate__())
        fields = state.get("__dict__")
        if isinstance(fields, dict):
            state["__dict__"] = {
                k: v for k, v in fields.items() if k not in ("http_client", "http_async_client")
            }
        private = state.get("__pydantic_private__")
        if isinstance(private, dict):
            state["__pydantic_private__"] = {k: v for k, v in private.items() if k != "_client"}
        fields_set = state.get("__pydantic_fields_set__")
        if isinstance(fields_set, set):
            state["__pydantic_fields_set__"] = fields_set - {"http_client", "http_async_client"}
        return state

    def __setstate__(self, state: dict[Any, Any]) -> None:
        fields = state.get("__dict__")
        if isinstance(fields, dict):
            fields.setdefault("http_client", None)
            fields.setdefault("http_async_client", None)
        super().__setstate__(state)
        self._build_client()

    def _route(self) -> Api:
        api = getattr(self, "api", "openai")
        if api == "native":
            return "native"
        if api == "dashscope":
            return "dashscope"
        return "openai"
