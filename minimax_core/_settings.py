"""Connection settings shared by every adapter class (a pydantic mixin).

LangChain's and LlamaIndex's model classes are pydantic models; each MiniMax class mixes this in,
so the key, route, region, base URL, timeouts, retries and custom HTTP clients mean the same thing
everywhere, are read from the same environment variables, and build the core client in one place.
The API key is a :class:`~pydantic.SecretStr`: never shown in ``repr``, ``str`` or dumps.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AliasChoices, BaseModel, Field, PrivateAttr, SecretStr, model_validator

from minimax_core._client import MiniMaxClient
from minimax_core._config import Api, ClientConfig, RegionName

__all__ = ["ClientSettings"]


class ClientSettings(BaseModel):
    #: What the class calls: ``"chat"`` or ``"embeddings"`` (a route that cannot serve it is
    #: refused when the object is built).
    _minimax_service: ClassVar[str] = "chat"

    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("api_key", "minimax_api_key"),
        exclude=True,  # never in model_dump / to_dict / to_json; re-read from the environment
        description="API key (env MINIMAX_API_KEY; DASHSCOPE_API_KEY on the Model Studio routes).",
    )
    api: Api = Field(
        default="openai",
        description="Route: 'openai' (/v1/chat/completions, the default), 'native' "
        "(/v1/text/chatcompletion_v2), 'anthropic' (/anthropic/v1/messages), or Alibaba Model "
        "Studio's 'dashscope' (OpenAI-compatible mode) and 'dashscope-native' (chat only).",
    )
    region: RegionName = Field(
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
    tool_choice_repairs: int = Field(
        default=1,
        ge=0,
        description="Extra round trips when MiniMax answers a forced tool choice in text "
        "(it does not enforce tool_choice); 0 raises ToolChoiceError at once.",
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

    @model_validator(mode="after")
    def _settings_resolve(self) -> Any:
        """Resolve the connection settings once (``ClientConfig.from_env``: environment, region,
        URL normalisation), keep the resolved values in the fields, and build the client."""
        config = ClientConfig.from_env(
            api=self.api,
            api_key=self.api_key,
            region=self.region if "region" in self.model_fields_set else None,
            base_url=self.base_url,
            group_id=self.group_id,
            **self._config_rest(),
        )
        if self._minimax_service == "embeddings":
            _ = config.embeddings_url  # a route without embeddings is refused here, clearly
        # The resolved values, not the raw ones, are what the object shows and uses.
        fields = self.__dict__
        fields["api_key"] = config.api_key
        fields["region"] = config.region
        fields["base_url"] = config.base_url
        fields["group_id"] = config.group_id
        self._client = MiniMaxClient(
            config, http_client=self.http_client, http_async_client=self.http_async_client
        )
        return self

    def _config_rest(self) -> dict[str, Any]:
        return {
            "timeout": self.timeout or 300.0,
            "max_retries": self.max_retries,
            "tool_choice_repairs": self.tool_choice_repairs,
            "default_headers": self.default_headers or {},
        }

    def _build_client(self) -> None:
        config = ClientConfig(
            api_key=self.api_key,
            api=self.api,
            region=self.region,
            base_url=self.base_url,
            group_id=self.group_id,
            **self._config_rest(),
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
