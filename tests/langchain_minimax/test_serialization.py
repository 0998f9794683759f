"""ChatMiniMax and MiniMaxEmbeddings serialise, round-trip and pickle without the key."""

from __future__ import annotations

import pickle

from langchain_core.load import dumpd, dumps, load, loads

from langchain_minimax import ChatMiniMax, MiniMaxEmbeddings

SECRET = "sk-live-DO-NOT-LEAK-4242"


def test_dumps_replaces_the_key_with_a_secret_reference() -> None:
    llm = ChatMiniMax(model="MiniMax-M3", api_key=SECRET, temperature=0.3, thinking="disabled")  # type: ignore[arg-type]
    text = dumps(llm)
    assert SECRET not in text
    assert dumpd(llm)["kwargs"]["api_key"] == {"lc": 1, "type": "secret", "id": ["MINIMAX_API_KEY"]}


def test_round_trip_with_an_explicit_allow_list(monkeypatch) -> None:
    monkeypatch.setenv("MINIMAX_API_KEY", SECRET)
    llm = ChatMiniMax(model="MiniMax-M3", region="cn", temperature=0.3, max_tokens=2048)  # type: ignore[call-arg]
    revived = loads(
        dumps(llm),
        valid_namespaces=["langchain_minimax"],
        allowed_objects=[ChatMiniMax],
        secrets_from_env=True,
    )
    assert isinstance(revived, ChatMiniMax)
    assert revived.model_dump() == llm.model_dump()
    assert revived.api_key is not None
    assert revived.api_key.get_secret_value() == SECRET
    assert (
        load(
            dumpd(llm),
            valid_namespaces=["langchain_minimax"],
            allowed_objects=[ChatMiniMax],
            secrets_map={"MINIMAX_API_KEY": "other"},
        ).api_key.get_secret_value()
        == "other"
    )


def test_repr_str_and_dumps_never_show_the_key() -> None:
    for obj in (ChatMiniMax(api_key=SECRET), MiniMaxEmbeddings(api_key=SECRET)):  # type: ignore[arg-type]
        for text in (repr(obj), str(obj), obj.model_dump_json(), repr(obj.model_dump())):
            assert SECRET not in text


def test_models_pickle_with_their_settings() -> None:
    llm = ChatMiniMax(model="MiniMax-M2.5", api_key=SECRET, base_url="http://127.0.0.1:9/v1")  # type: ignore[arg-type]
    clone = pickle.loads(pickle.dumps(llm))
    assert clone.model_name == "MiniMax-M2.5"
    assert clone.api_key is not None
    assert clone.api_key.get_secret_value() == SECRET
    assert clone.base_url == "http://127.0.0.1:9"  # stored as used (the /v1 is normalised)
    assert clone._client.config.chat_url == "http://127.0.0.1:9/v1/chat/completions"
    emb = pickle.loads(pickle.dumps(MiniMaxEmbeddings(api_key=SECRET, batch_size=7)))  # type: ignore[arg-type]
    assert emb.batch_size == 7


def test_a_model_with_its_own_http_client_pickles_without_it() -> None:
    import httpx

    with httpx.Client() as own:
        llm = ChatMiniMax(model="MiniMax-M2.5", api_key=SECRET, http_client=own)  # type: ignore[arg-type]
        clone = pickle.loads(pickle.dumps(llm))
    assert clone.http_client is None  # a client cannot cross processes: the clone opens its own
    assert clone.model_name == "MiniMax-M2.5"
    assert clone.api_key is not None
    assert clone.api_key.get_secret_value() == SECRET
