"""Configuration: environment, explicit values, base URL forms, GroupId, the hidden key."""

from __future__ import annotations

import pydantic
import pytest

from minimax_core import AuthenticationError, ChatParams, ClientConfig, MiniMaxClient
from minimax_core._config import env_defaults, normalise_base_url

from .support import KEY, FakeServer, Runner, completion, hi, json_reply, make_client


def test_key_region_base_url_and_group_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    monkeypatch.setenv("MINIMAX_REGION", "cn")
    monkeypatch.setenv("MINIMAX_GROUP_ID", "1234567890")
    config = ClientConfig.from_env(api="native")
    assert config.key() == KEY
    assert (
        config.chat_url == "https://api.minimaxi.com/v1/text/chatcompletion_v2?GroupId=1234567890"
    )
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://127.0.0.1:8765")
    assert ClientConfig.from_env().chat_url == "http://127.0.0.1:8765/v1/chat/completions"


def test_explicit_values_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", "sk-from-env-000000")
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://env-host:1")
    monkeypatch.setenv("MINIMAX_REGION", "cn")
    monkeypatch.setenv("MINIMAX_GROUP_ID", "111")
    config = ClientConfig.from_env(
        api_key=KEY, base_url="https://proxy.example/v1", group_id="222", api="native"
    )
    assert config.key() == KEY
    assert config.chat_url == "https://proxy.example/v1/text/chatcompletion_v2?GroupId=222"
    assert ClientConfig.from_env(region="global").region == "global"


def test_an_explicit_region_beats_a_base_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://env-host:1")
    assert ClientConfig.from_env(region="cn").chat_url == (
        "https://api.minimaxi.com/v1/chat/completions"
    )
    # both from the environment: the more specific base URL wins; an explicit base URL always does
    monkeypatch.setenv("MINIMAX_REGION", "cn")
    assert ClientConfig.from_env().host == "http://env-host:1"
    assert (
        ClientConfig.from_env(region="global", base_url="http://given:2").host == "http://given:2"
    )


def test_empty_environment_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", "")
    monkeypatch.setenv("MINIMAX_REGION", "")
    config = ClientConfig.from_env()
    assert config.api_key is None
    assert config.region == "global"


@pytest.mark.parametrize(
    ("value", "region"),
    [("global", "global"), ("intl", "global"), (" International ", "global"), ("CN", "cn")],
)
def test_region_aliases(monkeypatch: pytest.MonkeyPatch, value: str, region: str) -> None:
    assert ClientConfig(region=value).region == region  # type: ignore[arg-type]
    monkeypatch.setenv("MINIMAX_REGION", value)
    assert ClientConfig.from_env().region == region


def test_unknown_region_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        ClientConfig(region="mars")  # type: ignore[arg-type]


def test_region_hosts() -> None:
    assert ClientConfig().chat_url == "https://api.minimax.io/v1/chat/completions"
    assert ClientConfig(region="cn").chat_url == "https://api.minimaxi.com/v1/chat/completions"
    assert ClientConfig(region="cn").embeddings_url == "https://api.minimaxi.com/v1/embeddings"


def test_dashscope_uses_its_own_key_and_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", "sk-minimax-key-0000")
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://minimax-proxy")
    config = ClientConfig.from_env(api="dashscope")
    assert config.api_key is None
    assert config.chat_url == "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-dashscope-1111")
    monkeypatch.setenv(
        "DASHSCOPE_BASE_URL", "https://ws-1.cn-beijing.maas.aliyuncs.com/compatible-mode/v1"
    )
    config = ClientConfig.from_env(api="dashscope")
    assert config.key() == "sk-dashscope-1111"
    assert config.chat_url == (
        "https://ws-1.cn-beijing.maas.aliyuncs.com/compatible-mode/v1/chat/completions"
    )


def test_env_defaults_reports_only_what_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_defaults() == {}
    monkeypatch.setenv("MINIMAX_API_KEY", "k")
    monkeypatch.setenv("DASHSCOPE_API_KEY", "d")
    assert env_defaults("openai") == {"api_key": "k"}
    assert env_defaults("dashscope") == {"api_key": "d"}
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://env-host")
    assert env_defaults("openai", given=["api_key"]) == {"base_url": "http://env-host"}
    assert env_defaults("openai", given=["region"]) == {"api_key": "k"}


# --- base URL forms -------------------------------------------------------------------------

ROUTES = {
    "openai": "/v1/chat/completions",
    "native": "/v1/text/chatcompletion_v2",
}


@pytest.mark.parametrize(
    ("base_url", "prefix"),
    [
        ("https://api.minimax.io", "https://api.minimax.io"),
        ("https://api.minimax.io/", "https://api.minimax.io"),
        ("https://api.minimax.io/v1", "https://api.minimax.io"),
        ("https://api.minimax.io/v1/", "https://api.minimax.io"),
        ("  https://api.minimax.io/v1  ", "https://api.minimax.io"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:8765/some/prefix/v1", "http://127.0.0.1:8765/some/prefix"),
        ("http://127.0.0.1:8765/some/prefix/", "http://127.0.0.1:8765/some/prefix"),
        ("https://api.minimax.io/v1/chat/completions", "https://api.minimax.io"),
        ("https://api.minimax.io/v1/text/chatcompletion_v2", "https://api.minimax.io"),
        ("https://api.minimax.io/v1/embeddings", "https://api.minimax.io"),
    ],
)
@pytest.mark.parametrize("api", ["openai", "native"])
def test_every_base_url_form_reaches_every_route(base_url: str, prefix: str, api: str) -> None:
    config = ClientConfig(base_url=base_url, api=api)  # type: ignore[arg-type]
    assert config.chat_url == prefix + ROUTES[api]
    assert config.embeddings_url == prefix + "/v1/embeddings"


@pytest.mark.parametrize(
    "base_url",
    [
        "https://dashscope.aliyuncs.com",
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "https://dashscope.aliyuncs.com/compatible-mode/v1/",
        "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
    ],
)
def test_dashscope_base_url_forms(base_url: str) -> None:
    config = ClientConfig(base_url=base_url, api="dashscope")
    assert config.chat_url == "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions"


def test_base_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        normalise_base_url("api.minimax.io/v1")
    with pytest.raises(pydantic.ValidationError):
        ClientConfig(base_url="ftp://api.minimax.io")


def test_group_id_only_on_native_chat_and_embeddings() -> None:
    assert "GroupId" not in ClientConfig(group_id="42").chat_url
    assert ClientConfig(group_id="42").embeddings_url.endswith("/v1/embeddings?GroupId=42")
    assert ClientConfig(group_id="42", api="native").chat_url.endswith("?GroupId=42")
    assert "GroupId" not in ClientConfig(group_id="42", api="dashscope").chat_url
    assert "GroupId" not in ClientConfig(api="native").chat_url


# --- the key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "variable"),
    [
        ("openai", "MINIMAX_API_KEY"),
        ("native", "MINIMAX_API_KEY"),
        ("dashscope", "DASHSCOPE_API_KEY"),
    ],
)
def test_missing_key_names_the_variable(api: str, variable: str) -> None:
    config = ClientConfig.from_env(api=api)
    with pytest.raises(AuthenticationError, match=variable):
        config.key()
    with pytest.raises(AuthenticationError, match=variable):
        ClientConfig(api_key="", api=api).key()  # type: ignore[arg-type]


def test_missing_key_fails_at_call_time_not_construction(runner: Runner) -> None:
    server = FakeServer(json_reply(completion("never")))
    client = make_client(server, api_key=None)
    assert client.config.api_key is None
    with pytest.raises(AuthenticationError, match="MINIMAX_API_KEY"):
        runner.chat(client, hi(), ChatParams(model="MiniMax-M2.7"))
    with pytest.raises(AuthenticationError, match="MINIMAX_API_KEY"):
        runner.stream(client, hi(), ChatParams(model="MiniMax-M2.7"))
    with pytest.raises(AuthenticationError):
        runner.embed(client, ["a"])
    assert server.count == 0


def test_a_client_built_from_the_environment_finds_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    assert MiniMaxClient().config.key() == KEY
    assert MiniMaxClient(api_key="sk-explicit-22222").config.key() == "sk-explicit-22222"


def test_the_key_is_never_shown() -> None:
    config = ClientConfig(api_key=KEY, group_id="7")  # type: ignore[arg-type]
    client = MiniMaxClient(config)
    for text in (
        repr(config),
        str(config),
        config.model_dump_json(),
        str(config.model_dump()),
        repr(client),
        str(client),
    ):
        assert KEY not in text
    assert config.key() == KEY


# --- other fields ------------------------------------------------------------------------------


def test_defaults() -> None:
    config = ClientConfig()
    assert (config.api, config.region, config.max_retries) == ("openai", "global", 2)
    assert config.connect_timeout == 10.0
    assert config.timeout is not None
    assert config.timeout >= 300


@pytest.mark.parametrize(
    "bad",
    [
        {"max_retries": -1},
        {"timeout": 0},
        {"connect_timeout": -1},
        {"api": "responses"},
        {"unknown": 1},
        {"region": 1},
    ],
)
def test_invalid_values_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(pydantic.ValidationError):
        ClientConfig(**bad)  # type: ignore[arg-type]


def test_config_is_immutable() -> None:
    with pytest.raises(pydantic.ValidationError):
        ClientConfig().api = "native"
