"""Frame sources held in memory or as images: arrays, lists of images, multi-page TIFF."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PIL import Image

from nbannotate.media.video import BadFrameWarning, VideoFrames, open_video


def moving_square(frames: int = 6, size: tuple[int, int] = (12, 16),
                  dtype: str = "uint16") -> np.ndarray:
    stack = np.zeros((frames, *size), dtype=dtype)
    for k in range(frames):
        stack[k, 2:6, k:k + 4] = (1000 if np.dtype(dtype).itemsize > 1 else 100) + k
    return stack


@pytest.mark.parametrize("shape", [(5, 8, 9), (5, 8, 9, 3), (5, 8, 9, 2)])
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int32", "float32", "float64", "bool"])
def test_arrays_keep_their_values_shape_and_dtype(shape, dtype):
    rng = np.random.default_rng(1)
    stack = (rng.random(shape) * 300).astype(dtype)
    video = open_video(stack)
    assert isinstance(video, VideoFrames)
    assert (video.num_frames, video.height, video.width) == shape[:3]
    assert video.channels == (shape[3] if len(shape) == 4 else 1)
    assert video.dtype == np.dtype(dtype) and video.fps == 1.0
    assert video.shape == shape[1:]
    for k in range(shape[0]):
        np.testing.assert_array_equal(video.frame(k), stack[k])
        assert video.frame(k).dtype == np.dtype(dtype)
    got = video.frames(1, 4)
    assert len(got) == 3
    np.testing.assert_array_equal(np.stack(got), stack[1:4])
    assert video.frames(2, 2) == [] and len(video.frames(0, 5)) == 5


def test_frames_are_read_only_and_the_source_is_not_copied_or_changed():
    stack = moving_square()
    video = open_video(stack)
    frame = video.frame(2)
    assert not frame.flags.writeable and np.shares_memory(frame, stack)
    with pytest.raises(ValueError, match="read-only"):
        frame[0, 0] = 1
    assert stack.flags.writeable  # the caller's array is untouched
    assert video.cached_bytes == 0


def test_times_and_frame_at_follow_fps():
    video = open_video(moving_square(10), fps=25)
    assert video.fps == 25.0
    assert [video.time_of(k) for k in (0, 1, 9)] == [0.0, 0.04, 0.36]
    assert all(video.frame_at(video.time_of(k)) == k for k in range(10))
    assert video.frame_at(0.039) == 0 and video.frame_at(0.0401) == 1
    assert video.frame_at(100.0) == 9  # past the end: the last frame
    assert video.duration == pytest.approx(0.4)
    default = open_video(moving_square(3))
    assert default.fps == 1.0 and default.time_of(2) == 2.0 and default.frame_at(1.5) == 1


def test_out_of_range_and_wrong_types_name_k_and_the_range():
    video = open_video(moving_square(6))
    for k in (6, -1, 100):
        with pytest.raises(IndexError, match=rf"frame {k} is out of range: expected 0 <= k < 6"):
            video.frame(k)
    with pytest.raises(IndexError, match="stop frame 7 is out of range: expected 2 <= stop <= 6"):
        video.frames(2, 7)
    with pytest.raises(IndexError, match="stop frame 1"):
        video.frames(2, 1)
    with pytest.raises(TypeError, match=r"must be an int, got 1\.0"):
        video.frame(1.0)
    with pytest.raises(TypeError, match="got True"):
        video.frame(True)
    assert video.frame(np.int64(3)).max() == 1003
    with pytest.raises(IndexError, match=r"frame 6 is out of range"):
        video.time_of(6)
    with pytest.raises(ValueError, match="seconds must be a finite number >= 0, got -1"):
        video.frame_at(-1)
    with pytest.raises(ValueError, match="nan"):
        video.frame_at(float("nan"))
    with pytest.raises(TypeError, match="seconds must be a number"):
        video.frame_at("1")


def test_bad_sources_and_arguments_are_refused_clearly(tmp_path):
    with pytest.raises(ValueError, match=r"\(T, H, W, C\) array, got shape \(4, 4\)"):
        open_video(np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"got shape \(0, 4, 4\)"):
        open_video(np.zeros((0, 4, 4)))
    with pytest.raises(TypeError, match="numeric or bool dtype, got <U1"):
        open_video(np.array([[["a"]]]))
    with pytest.raises(TypeError, match="got dict"):
        open_video({"frames": 1})
    with pytest.raises(TypeError, match="unexpected keyword argument 'fsp'"):
        open_video(np.zeros((1, 2, 2)), fsp=3)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="fps: expected a finite number > 0, got 0"):
        open_video(np.zeros((1, 2, 2)), fps=0)
    with pytest.raises(TypeError, match="fps: expected a number > 0, got '25'"):
        open_video(np.zeros((1, 2, 2)), fps="25")
    with pytest.raises(ValueError, match="cache_bytes: expected an int >= 0, got -1"):
        open_video(np.zeros((1, 2, 2)), cache_bytes=-1)
    with pytest.raises(FileNotFoundError, match=r"no file at .*missing\.mp4"):
        open_video(tmp_path / "missing.mp4")
    with pytest.raises(ValueError, match="empty list"):
        open_video([])


def test_closing_releases_and_later_reads_fail():
    with open_video(moving_square(3)) as video:
        video.frame(0)
    assert video.closed
    with pytest.raises(ValueError, match="array: the video is closed"):
        video.frame(0)
    video.close()  # twice is fine


def save_png(path, array):
    Image.fromarray(array).save(path)
    return path


def test_list_of_arrays_and_paths_reads_files_on_demand_with_their_values(tmp_path):
    stack = moving_square(4)
    paths = [save_png(tmp_path / f"{k}.png", stack[k]) for k in range(4)]
    mixed = [stack[0], paths[1], str(paths[2]), paths[3]]
    video = open_video(mixed, fps=5)
    assert video.num_frames == 4 and video.dtype == np.uint16 and video.fps == 5.0
    assert video.shape == (12, 16) and video.channels == 1
    np.testing.assert_array_equal(np.stack(video.frames(0, 4)), stack)
    assert video.cached_bytes == 3 * stack[0].nbytes  # the files' frames, not the array's
    assert video.bad_frames() == frozenset()
    assert np.shares_memory(video.frame(0), stack) and not video.frame(0).flags.writeable
    rgb = [np.full((3, 4, 3), k, dtype=np.uint8) for k in range(3)]
    video = open_video([save_png(tmp_path / f"rgb{k}.png", a) for k, a in enumerate(rgb)])
    assert video.channels == 3 and video.frame(2)[0, 0].tolist() == [2, 2, 2]


def test_list_errors_name_the_item(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"images\[1\]: no image file at .*nope.png"):
        open_video([np.zeros((2, 2)), tmp_path / "nope.png"])
    with pytest.raises(TypeError, match=r"images\[0\]: expected an array or a path .*got int"):
        open_video([3])
    with pytest.raises(ValueError, match=r"images\[1\]: every image must match the first one"):
        open_video([np.zeros((2, 2), np.uint8), np.zeros((2, 2), np.uint16)])


def test_a_listed_file_that_cannot_be_read_or_differs_is_a_bad_frame_shown_blank(tmp_path):
    stack = np.full((4, 12, 16), 7, dtype=np.uint8)
    paths = [save_png(tmp_path / f"{k}.png", stack[k]) for k in range(4)]
    paths[1].write_bytes(b"not an image at all")
    save_png(paths[2], np.full((5, 5), 7, dtype=np.uint8))
    video = open_video(paths)
    with pytest.warns(BadFrameWarning) as caught:
        frames = video.frames(0, 4)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1  # one warning a read
    assert "images: frames 1-2 could not be decoded (" in messages[0]
    assert "not a readable" in messages[0]
    causes = video.bad_frame_causes()
    assert list(causes) == [1, 2] and "not a readable" in causes[1]
    assert "2.png is (5, 5) uint8, expected (12, 16) uint8" in causes[2]
    assert [int(f.max()) for f in frames] == [7, 0, 0, 7]
    assert frames[2].shape == (12, 16)
    assert video.bad_frames() == frozenset({1, 2})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # cached: no second warning
        assert video.frame(1).max() == 0


def save_tiff(path, pages):
    images = [Image.fromarray(p) for p in pages]
    images[0].save(path, save_all=True, append_images=images[1:])
    return path


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32"])
def test_multipage_tiff_pages_are_frames_with_their_values(tmp_path, dtype):
    stack = moving_square(5, dtype=dtype)
    path = save_tiff(tmp_path / "stack.tiff", stack)
    with open_video(path) as video:
        assert (video.num_frames, video.shape, video.dtype) == (5, (12, 16), np.dtype(dtype))
        for k in (4, 0, 2, 3, 1):
            np.testing.assert_array_equal(video.frame(k), stack[k])
        np.testing.assert_array_equal(np.stack(video.frames(0, 5)), stack)
    with pytest.raises(ValueError, match="closed"):
        video.frame(0)


def test_rgb_tiff_and_mismatched_pages(tmp_path):
    rgb = np.zeros((3, 6, 7, 3), dtype=np.uint8)
    rgb[:, :, :, 1] = np.arange(3)[:, None, None]
    video = open_video(save_tiff(tmp_path / "rgb.tif", rgb))
    assert video.channels == 3 and video.frame(2)[0, 0].tolist() == [0, 2, 0]
    pages = [Image.new("L", (4, 4), 9), Image.new("L", (5, 4), 9), Image.new("L", (4, 4), 9)]
    pages[0].save(tmp_path / "odd.tif", save_all=True, append_images=pages[1:])
    odd = open_video(tmp_path / "odd.tif")
    with pytest.warns(BadFrameWarning, match="page 1 is"):
        assert odd.frame(1).max() == 0
    assert odd.frame(2).max() == 9 and odd.bad_frames() == {1}


def test_the_cache_of_file_frames_stays_within_its_bound(tmp_path):
    stack = moving_square(20, size=(32, 32))  # 2 KiB a frame
    path = save_tiff(tmp_path / "long.tif", stack)
    video = open_video(path, cache_bytes=5 * 2048)
    for k in range(20):
        video.frame(k)
        assert video.cached_bytes <= 5 * 2048
    assert video.cached_bytes == 5 * 2048
    none = open_video(path, cache_bytes=0)
    np.testing.assert_array_equal(none.frame(7), stack[7])
    assert none.cached_bytes == 0


def test_memory_mapped_stacks_stay_on_disk_and_open_videos_pass_through(tmp_path):
    stack = np.lib.format.open_memmap(tmp_path / "stack.npy", mode="w+", dtype=np.uint16,
                                      shape=(50, 64, 64))
    stack[17] = 1234
    stack.flush()
    on_disk = np.load(tmp_path / "stack.npy", mmap_mode="r")
    video = open_video(on_disk, fps=10)
    frame = video.frame(17)
    assert np.shares_memory(frame, on_disk) and frame.max() == 1234 and video.cached_bytes == 0
    assert open_video(video) is video
    with pytest.raises(ValueError, match=r"fps: an open video keeps its rate \(10 fps\)"):
        open_video(video, fps=5)
    video.close()
    with pytest.raises(ValueError, match="the video is closed"):
        open_video(video)
