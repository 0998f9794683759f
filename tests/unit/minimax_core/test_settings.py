"""The adapters' shared connection settings mixin: same names, same environment, hidden key.

The mixin's only product is the core client it builds (``_client``); it is read, never patched.
"""

from __future__ import annotations

import httpx
import pytest

from minimax_core import MiniMaxClient
from minimax_core._dialects import APIS as ROUTE_NAMES
from minimax_core._settings import ClientSettings

from .support import KEY


class Model(ClientSettings):
    """An adapter class as the frameworks define them: a pydantic model mixing in the settings
    (``api`` among them)."""

    model: str = "MiniMax-M2.7"


def client_of(settings: ClientSettings) -> MiniMaxClient:
    client = settings._client
    assert isinstance(client, MiniMaxClient)
    return client


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://127.0.0.1:8765/v1")
    monkeypatch.setenv("MINIMAX_GROUP_ID", "99")
    config = client_of(Model(api="native")).config
    assert config.key() == KEY
    assert config.chat_url == "http://127.0.0.1:8765/v1/text/chatcompletion_v2?GroupId=99"


@pytest.mark.parametrize(
    "given",
    [
        {"api_key": "sk-explicit-0000", "base_url": "https://a.example", "group_id": "1"},
        {
            "minimax_api_key": "sk-explicit-0000",
            "minimax_api_host": "https://a.example",
            "minimax_group_id": "1",
        },
        {
            "api_key": "sk-explicit-0000",
            "minimax_api_base": "https://a.example/v1",
            "group_id": "1",
        },
    ],
    ids=["names", "legacy-aliases", "api-base-alias"],
)
def test_explicit_values_and_their_aliases_beat_the_environment(
    monkeypatch: pytest.MonkeyPatch, given: dict[str, str]
) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://env-host")
    monkeypatch.setenv("MINIMAX_GROUP_ID", "2")
    config = client_of(Model(api="native", **given)).config  # type: ignore[arg-type]
    assert config.key() == "sk-explicit-0000"
    assert config.chat_url == "https://a.example/v1/text/chatcompletion_v2?GroupId=1"


def test_an_explicit_region_beats_a_base_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINIMAX_BASE_URL", "http://env-host")
    assert client_of(Model(region="cn")).config.host == "https://api.minimaxi.com"
    assert client_of(Model()).config.host == "http://env-host"
    assert client_of(Model(region="cn", base_url="http://given")).config.host == "http://given"


@pytest.mark.parametrize(
    ("value", "host"), [("cn", "https://api.minimaxi.com"), ("INTL", "https://api.minimax.io")]
)
def test_region_and_its_aliases(monkeypatch: pytest.MonkeyPatch, value: str, host: str) -> None:
    assert client_of(Model(region=value)).config.host == host  # type: ignore[arg-type]
    monkeypatch.setenv("MINIMAX_REGION", value)
    assert client_of(Model()).config.host == host


@pytest.mark.parametrize(
    ("api", "route"),
    [
        ("openai", "openai"),
        ("native", "native"),
        ("dashscope", "dashscope"),
    ],
)
def test_route_follows_the_api_field(api: str, route: str) -> None:
    assert client_of(Model(api=api)).config.api == route  # type: ignore[arg-type]


def test_an_unknown_route_is_refused_when_the_object_is_built() -> None:
    # Before, an unknown api= silently became the OpenAI route.
    with pytest.raises(ValueError, match=r"(?s)api.*Input should be") as refused:
        Model(api="anything-else")  # type: ignore[arg-type]
    # the message names every route there is
    assert all(repr(route) in str(refused.value) for route in ROUTE_NAMES)


def test_dashscope_reads_its_own_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-dashscope-0000")
    assert client_of(Model(api="dashscope")).config.key() == "sk-dashscope-0000"


def test_timeouts_retries_headers_and_clients_reach_the_core_client() -> None:
    sync_client = httpx.Client()
    async_client = httpx.AsyncClient()
    settings = Model(
        timeout=30,
        max_retries=5,
        default_headers={"MM-API-Source": "x"},
        http_client=sync_client,
        http_async_client=async_client,
    )
    client = client_of(settings)
    assert (client.config.timeout, client.config.max_retries) == (30, 5)
    assert client.config.default_headers == {"MM-API-Source": "x"}
    assert client.http_client is sync_client
    assert client.http_async_client is async_client
    defaults = client_of(Model()).config
    assert defaults.timeout == 300.0
    assert defaults.default_headers == {}
    sync_client.close()


def test_the_key_is_never_dumped_or_shown() -> None:
    settings = Model(api_key=KEY)  # type: ignore[arg-type]
    assert "api_key" not in settings.model_dump()
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert KEY not in text
    assert client_of(settings).config.key() == KEY


def test_a_model_instance_validates_as_itself() -> None:
    settings = Model(api_key=KEY)  # type: ignore[arg-type]
    assert Model.model_validate(settings) is settings


def test_bad_values_are_refused() -> None:
    with pytest.raises(ValueError):
        Model(max_retries=-1)
    with pytest.raises(ValueError):
        Model(region="mars")  # type: ignore[arg-type]
