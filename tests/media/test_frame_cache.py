"""The frame cache: least recently used out first, never above its byte bound."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbannotate.media._frame_cache import FrameCache


def test_eviction_order_is_least_recently_used():
    cache = FrameCache(300)
    for k in range(3):
        cache.put(k, np.full(100, k, dtype=np.uint8))
    assert cache.get(0)[0] == 0  # 0 becomes the most recent
    cache.put(3, np.zeros(100, dtype=np.uint8))
    assert sorted(cache) == [0, 2, 3] and cache.get(1) is None
    cache.put(2, np.zeros(250, dtype=np.uint8))  # replacing grows it: evicts 0 and 3
    assert sorted(cache) == [2] and cache.nbytes == 250
    cache.put(9, np.zeros(301, dtype=np.uint8))  # larger than the bound: not kept
    assert 9 not in cache and cache.nbytes == 250
    cache.clear()
    assert len(cache) == 0 and cache.nbytes == 0


def test_bad_bounds_are_refused():
    with pytest.raises(TypeError, match=r"cache_bytes: expected an int >= 0, got 1\.5"):
        FrameCache(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="got -3"):
        FrameCache(-3)


@given(bound=st.integers(0, 2000),
       ops=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 700)), max_size=60))
def test_the_bound_holds_and_bytes_are_counted_exactly(bound, ops):
    cache = FrameCache(bound)
    for index, size in ops:
        cache.put(index, np.zeros(size, dtype=np.uint8))
        held = [cache.get(k) for k in list(cache)]
        assert cache.nbytes == sum(a.nbytes for a in held) <= bound
        if size <= bound:
            assert index in cache


def test_evicted_frames_are_reused_only_when_nothing_else_holds_them():
    cache = FrameCache(100)
    held = np.zeros(100, dtype=np.uint8)
    cache.put(0, held)
    cache.put(1, np.zeros(100, dtype=np.uint8))  # evicts the frame still held here
    assert cache.spare((100,), np.dtype(np.uint8)) is None
    cache.put(2, np.zeros(100, dtype=np.uint8))  # evicts frame 1, which nothing holds
    spare = cache.spare((100,), np.dtype(np.uint8))
    assert spare is not None and spare.flags.writeable and spare is not held
    assert cache.spare((100,), np.dtype(np.uint8)) is None  # handed out once
    cache.put(3, np.zeros(100, dtype=np.uint8))
    assert cache.spare((50,), np.dtype(np.uint8)) is None  # another shape: not reused
