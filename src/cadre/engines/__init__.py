"""Engines that turn a topic-scoped turn into a reply.

An OpenAI-compatible LLM in a tool loop, the offline engine, and scripted models for tests.
"""

from cadre.engines.loop import LoopResult, ToolOutcome, ToolRunner, run_tool_loop
from cadre.engines.messages import ChatMessage, ModelResponse, ToolCall, ToolDefinition, Usage
from cadre.engines.model import ChatModel, ModelUnavailable

__all__ = [
    "ChatMessage",
    "ChatModel",
    "LoopResult",
    "ModelResponse",
    "ModelUnavailable",
    "ToolCall",
    "ToolDefinition",
    "ToolOutcome",
    "ToolRunner",
    "Usage",
    "run_tool_loop",
]
