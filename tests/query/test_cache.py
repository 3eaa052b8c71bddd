"""Answers kept per write generation, and identical queries in flight sharing one evaluation."""

from __future__ import annotations

import asyncio
import threading

import pytest

from kgraph.query.cache import Flights


def run(coro):
    """Run ``coro`` on a fresh event loop in its own thread (whatever loop this thread has)."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed to the test's thread
            out["error"] = exc

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_a_failure_reaches_every_waiter_and_is_not_kept():
    calls = []

    async def failing():
        calls.append(1)
        await asyncio.sleep(0.01)
        raise ValueError("boom")

    async def main():
        f = Flights()
        out = await asyncio.gather(*(f.run("k", failing) for _ in range(3)), return_exceptions=True)
        again = await f.run("k", lambda: asyncio.sleep(0, result="fine"))
        return out, again

    out, again = run(main())
    assert [type(e) for e in out] == [ValueError] * 3 and len(calls) == 1 and again == "fine"


def test_a_waiter_asks_again_when_the_one_answering_is_cancelled():
    calls = []

    async def slow():
        calls.append(1)
        await asyncio.sleep(0.05)
        return len(calls)

    async def main():
        f = Flights()
        leader = asyncio.create_task(f.run("k", slow))
        await asyncio.sleep(0.01)
        waiter = asyncio.create_task(f.run("k", slow))
        await asyncio.sleep(0.01)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        return await waiter

    assert run(main()) == 2 and len(calls) == 2


def test_different_keys_run_apart():
    calls = []

    async def work(k):
        calls.append(k)
        await asyncio.sleep(0.01)
        return k

    async def main():
        f = Flights()
        return await asyncio.gather(f.run(1, lambda: work(1)), f.run(2, lambda: work(2)), f.run(1, lambda: work(1)))

    assert run(main()) == [1, 2, 1] and sorted(calls) == [1, 2]
