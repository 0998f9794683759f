"""The deterministic rule-based "model": same request, same reply; no randomness.

Rules, in order:
1. Tools offered, ``tool_choice`` not "none" and the last message is the user's → call a tool:
   every tool named in the last user message when it names two or more (parallel calls), else the
   tool named in the conversation (system + user messages, latest first), else the first tool.
   Arguments come from the tool's JSON schema filled with the last user message
   (:mod:`.schema_fill`). ``tool_choice`` "required"/named is not enforced (as on MiniMax).
   The ``ignore_forcing=true`` fault skips this rule: the reply is text even when a tool is forced.
2. Last message is a tool result → "Based on the tool results: <contents>."
3. ``response_format`` json_schema on a model that enforces it (MiniMax-Text-01) → a JSON object
   filled from that schema.
4. The system/last user text mentions JSON → a JSON object: the last JSON schema literal (an
   object with "properties") in the prompt filled, else the single-quoted words as keys, else
   ``{"answer": …}``.
5. The prompt carries a context (the word "context", as RAG prompts do) → "From the context:
   <the context sentence sharing most words with the question>" (the question is the last user
   message, or its "Query:"/"Question:" line); so retrieval-augmented demos answer sensibly.
6. Otherwise ``Echo: <last user text>``, cut at the first ``stop`` sequence.

Answers of rules 3-6 open with a sentence citing a made-up search result when DashScope's native
``enable_search`` is on and the question calls for it (:mod:`.web_search`).

Thinking models also produce a few sentences of reasoning (with non-ASCII characters).
``max_tokens`` is a real budget: reasoning counts against it (``finish_reason: "length"``).
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from . import web_search
from .options import Faults
from .schema_fill import fill_schema, integers_in, strings_in
from .tokens import content_text, count_tokens
from .validation import ChatRequest, Tool

_SPACES = re.compile(r"\s+")
_QUOTED = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)'")
_MAX_SCHEMA_SCAN = 100_000


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text


@dataclass
class Reply:
    reasoning: str = ""
    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str = "stop"
    reasoning_complete: bool = True
    # explicit chunking (benchmark mode); None: the framer chooses coarse chunks
    reasoning_pieces: list[str] | None = None
    content_pieces: list[str] | None = None
    # DashScope native web search (``enable_search``): the made-up results the answer cites
    search_results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reasoning_tokens(self) -> int:
        return count_tokens(self.reasoning)

    @property
    def completion_tokens(self) -> int:
        tokens = self.reasoning_tokens + count_tokens(self.content)
        for call in self.tool_calls:
            tokens += count_tokens(call.name) + count_tokens(call.arguments)
        return tokens


def _snippet(text: str, limit: int = 120) -> str:
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content")).strip()
    return ""


def _mentions(tools: list[Tool], text: str) -> list[Tool]:
    found: list[tuple[int, Tool]] = []
    for tool in tools:
        match = re.search(rf"(?<!\w){re.escape(tool.name)}(?!\w)", text)
        if match:
            found.append((match.start(), tool))
    found.sort(key=lambda item: item[0])
    return [tool for _, tool in found]


def _choose_tools(req: ChatRequest, user_text: str) -> list[Tool]:
    named = _mentions(req.tools, user_text)
    if len(named) >= 2:
        return named
    if named:
        return named[:1]
    for message in reversed(req.messages):
        if message.get("role") in {"system", "user"}:
            named = _mentions(req.tools, content_text(message.get("content")))
            if named:
                return named[:1]
    return req.tools[:1]


def _call_id_base(req: ChatRequest) -> str:
    seed = json.dumps(req.messages, sort_keys=True, ensure_ascii=False).encode()
    return f"{zlib.crc32(seed) % 10_000_000_000:010d}"


def _tool_reply(req: ChatRequest, user_text: str) -> tuple[Reply, str]:
    chosen = _choose_tools(req, user_text)
    numbers = iter(integers_in(user_text))
    strings = iter(strings_in(user_text))
    base = _call_id_base(req)
    calls = [
        ToolCall(
            id=f"call_function_{base}_{n}",
            name=tool.name,
            arguments=json.dumps(
                fill_schema(tool.parameters, user_text, numbers, strings), ensure_ascii=False
            ),
        )
        for n, tool in enumerate(chosen, start=1)
    ]
    names = ", ".join(call.name for call in calls)
    reasoning = (
        f"The user asks: «{_snippet(user_text)}». The tool {names} fits this request → I will "
        "call it with arguments taken from the message. Précis et déterministe — 调用工具。"
    )
    visible = "\n" if req.thinks else ""
    return Reply(
        reasoning=reasoning, content=visible, tool_calls=calls, finish_reason="tool_calls"
    ), names


def _tool_results(messages: list[dict[str, Any]]) -> list[str]:
    results: list[str] = []
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        results.append(content_text(message.get("content")).strip())
    results.reverse()
    return results


def _schema_in(text: str) -> dict[str, Any] | None:
    """The last JSON object literal with "properties" found in ``text``."""
    if "properties" not in text or len(text) > _MAX_SCHEMA_SCAN:
        return None
    decoder = json.JSONDecoder()
    found: dict[str, Any] | None = None
    position = text.find("{")
    attempts = 0
    while position != -1 and attempts < 500:
        attempts += 1
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict) and isinstance(value.get("properties"), dict):
            found = value
        position = text.find("{", end)
    return found


def _json_answer(req: ChatRequest, user_text: str) -> str | None:
    texts = [user_text] + [
        content_text(m.get("content")) for m in req.messages if m.get("role") == "system"
    ]
    schema_format = req.response_format or {}
    if req.model.enforces_json_schema and schema_format.get("type") == "json_schema":
        spec = schema_format.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if isinstance(schema, dict):
            return json.dumps(fill_schema(schema, user_text), ensure_ascii=False)
    if not any("json" in text.lower() for text in texts):
        return None
    for text in texts:
        found = _schema_in(text)
        if found is not None:
            return json.dumps(fill_schema(found, user_text), ensure_ascii=False)
    keys: list[str] = []
    for text in texts:
        for key in _QUOTED.findall(text):
            if key not in keys:
                keys.append(key)
    if keys:
        return json.dumps(dict.fromkeys(keys, user_text), ensure_ascii=False)
    return json.dumps({"answer": user_text}, ensure_ascii=False)


_WORD = re.compile(r"[\w][\w.-]*")
_QUESTION = re.compile(r"(?im)^\s*(?:query|question)\s*:\s*(.+?)\s*$")
_PARAGRAPH = re.compile(r"\n\s*\n|\n-{3,}\n?|\n#+ ")
_SENTENCE = re.compile(r"(?<=[.!?:])\s+")
_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "does",
        "did",
        "are",
        "was",
        "were",
        "this",
        "that",
        "these",
        "those",
        "from",
        "into",
        "about",
        "must",
        "should",
        "could",
        "would",
        "can",
        "will",
        "have",
        "has",
        "had",
        "not",
        "but",
        "you",
        "your",
        "they",
        "them",
        "their",
        "its",
        "our",
        "any",
        "all",
        "only",
        "used",
        "use",
        "be",
        "is",
        "of",
        "to",
        "in",
        "on",
    ]
)


def _words(text: str) -> set[str]:
    words = {w.strip(".-").lower() for w in _WORD.findall(text)}
    return {w for w in words if len(w) > 2 and w not in _STOPWORDS}


def _context_answer(req: ChatRequest, user_text: str) -> str | None:
    texts = [
        content_text(m.get("content")) for m in req.messages if m.get("role") in {"system", "user"}
    ]
    if not any("context" in text.lower() for text in texts):
        return None
    found = _QUESTION.search(user_text)
    question = found.group(1) if found else user_text
    wanted = _words(question)
    best, best_score = None, 0
    paragraphs = [" ".join(p.split()) for text in texts for p in _PARAGRAPH.split(text)]
    for paragraph in paragraphs:
        for sentence in _SENTENCE.split(paragraph):
            sentence = sentence.strip(" \t-#*>")
            if not sentence or question in sentence or "context" in sentence.lower():
                continue
            score = len(wanted & _words(sentence))
            if score > best_score:
                best, best_score = sentence, score
    return f"From the context: {best}" if best else None


def _cut_at_stop(text: str, stops: list[str]) -> str:
    cut = len(text)
    for stop in stops:
        index = text.find(stop)
        if index != -1:
            cut = min(cut, index)
    return text[:cut]


def _benchmark_pieces(reply: Reply, faults: Faults, thinks: bool, user_text: str) -> None:
    if faults.chunks is not None and not reply.tool_calls:
        lead = f"Echo: {_snippet(user_text, 40)} "
        pieces = [f"part {i}: the quick brown fox jumps. " for i in range(faults.chunks)]
        pieces[0] = lead + pieces[0]
        reply.content_pieces = pieces
        reply.content = "".join(pieces)
    if faults.reasoning_chunks is not None and thinks:
        pieces = [f"Step {i} → café 思考, réfléchir. " for i in range(faults.reasoning_chunks)]
        reply.reasoning_pieces = pieces
        reply.reasoning = "".join(pieces)


def _search(reply: Reply, req: ChatRequest, user_text: str) -> None:
    """DashScope native ``enable_search``: open the answer with the search result it cites."""
    if req.messages[-1].get("role") != "user" or not web_search.wanted(user_text, req.search):
        return
    reply.search_results = web_search.results(user_text)
    opening = web_search.lead(reply.search_results[0])
    reply.content = opening + reply.content
    if reply.content_pieces:
        reply.content_pieces[0] = opening + reply.content_pieces[0]


def _truncate(text: str, tokens: int) -> str:
    return text.encode("utf-8")[: max(tokens, 0) * 4].decode("utf-8", "ignore")


def _apply_budget(reply: Reply, req: ChatRequest, faults: Faults) -> None:
    if faults.finish == "length":
        if reply.reasoning:
            reply.reasoning = reply.reasoning[: max(1, len(reply.reasoning) * 2 // 3)]
            reply.reasoning_complete = False
            reply.content = ""
        else:
            reply.content = reply.content[: len(reply.content) // 2]
        reply.tool_calls = []
        reply.reasoning_pieces = reply.content_pieces = None
        reply.finish_reason = "length"
        return
    budget = req.max_tokens
    if budget is None or reply.completion_tokens <= budget:
        return
    reasoning_tokens = reply.reasoning_tokens
    if reply.reasoning and budget <= reasoning_tokens:
        reply.reasoning = _truncate(reply.reasoning, budget)
        reply.reasoning_complete = False
        reply.content = ""
    else:
        reply.content = _truncate(reply.content, budget - reasoning_tokens)
    reply.tool_calls = []
    reply.reasoning_pieces = reply.content_pieces = None
    reply.finish_reason = "length"


def respond(req: ChatRequest, faults: Faults) -> Reply:
    """Compute the reply to a validated chat request."""
    user_text = _last_user_text(req.messages)
    last_role = req.messages[-1].get("role")
    calls_tool = bool(req.tools) and req.tool_choice != "none" and not faults.ignore_forcing
    if calls_tool and last_role == "user":
        reply, _ = _tool_reply(req, user_text)
    elif last_role == "tool":
        results = _tool_results(req.messages)
        joined = "; ".join(results)
        reply = Reply(
            reasoning=(
                f"The tool results are in: «{_snippet(joined)}». I will answer with them → a "
                "concise summary. Résumé: 结果已收到。"
            ),
            content=f"Based on the tool results: {joined}.",
        )
    else:
        answer = _json_answer(req, user_text)
        if answer is not None:
            reasoning = (
                f"The user asks: «{_snippet(user_text)}». The answer must be a JSON object → I "
                "will fill its fields from the request. Vérifié: 格式正确。"
            )
            reply = Reply(reasoning=reasoning, content=answer)
        elif (grounded := _context_answer(req, user_text)) is not None:
            reply = Reply(
                reasoning=(
                    f"The user asks: «{_snippet(user_text)}». The context holds the answer → I "
                    "will quote the sentence that fits. Trouvé: 在上下文中。"
                ),
                content=_cut_at_stop(grounded, req.stop),
            )
        else:
            shown = user_text or "Hello! How can I help you today?"
            reply = Reply(
                reasoning=(
                    f"The user asks: «{_snippet(shown)}». I will answer directly → a short, précis "
                    "reply. Réponse: 好的，我明白了。"
                ),
                content=_cut_at_stop(f"Echo: {shown}", req.stop),
            )
        _benchmark_pieces(reply, faults, req.thinks, user_text)
        _search(reply, req, user_text)
    if not req.thinks:
        reply.reasoning = ""
        reply.reasoning_pieces = None
    _apply_budget(reply, req, faults)
    return reply
