"""Video files through PyAV: every container, frame-accurate seeking, the cache, bad input.

Every video is generated here with PyAV (moving shapes, the frame number drawn in binary).
"""

from __future__ import annotations

import itertools
import random
import threading
import warnings

import av
import numpy as np
import pytest

from nbannotate.media.video import BadFrameWarning, open_video

from .video_fixtures import CONTAINERS, frame_number, make_video

FRAMES = 75


@pytest.fixture(scope="module", params=sorted(CONTAINERS))
def clip(request, tmp_path_factory):
    suffix = request.param
    path = tmp_path_factory.mktemp("videos") / f"clip.{suffix}"
    return make_video(path, frames=FRAMES, size=(96, 64), fps=25, gop=16)


@pytest.fixture(scope="module")
def bframes(tmp_path_factory):
    """H.264 with B-frames: decode order differs from presentation order."""
    path = tmp_path_factory.mktemp("videos") / "bframes.mp4"
    return make_video(path, frames=FRAMES, size=(96, 64), gop=20,
                      options={"preset": "medium", "bf": "3"})


@pytest.fixture(scope="module", params=["mp4", "mkv"])
def open_gop(request, tmp_path_factory):
    """Open groups of pictures: B-frames after a keyframe (in decoding order) that are
    shown before it, and refer to the group before."""
    path = tmp_path_factory.mktemp("videos") / f"open_gop.{request.param}"
    return make_video(path, frames=FRAMES, size=(96, 64), gop=24, options={
        "preset": "medium", "bf": "3",
        "x264-params": "open-gop=1:keyint=24:min-keyint=24:scenecut=0"})


def test_every_container_opens_with_its_size_rate_and_frames_in_order(clip):
    with open_video(clip) as video:
        assert (video.num_frames, video.fps, video.shape) == (FRAMES, 25.0, (64, 96, 3))
        assert (video.height, video.width, video.channels) == (64, 96, 3)
        assert video.dtype == np.uint8
        frames = video.frames(0, FRAMES)
        assert [frame_number(f) for f in frames] == list(range(FRAMES))
        assert video.seeks == 1 and video.bad_frames() == frozenset()
        # MP4, MOV and AVI carry an index of every frame; WebM's frames are scanned
        webm = clip.suffix == ".webm"
        assert video.indexed_by == ("packet scan" if webm else "container index")
        assert video.time_of(50) == pytest.approx(2.0)
        assert video.frame_at(2.0) == 50 and video.frame_at(1.999) == 49


def check_random_access(path):
    with open_video(path) as video:
        sequential = video.frames(0, FRAMES)
    order = list(range(FRAMES)) * 2
    random.Random(7).shuffle(order)
    with open_video(path, cache_bytes=0) as video:  # no cache: every read decodes
        for k in order:
            got = video.frame(k)
            assert got.shape == (64, 96, 3) and not got.flags.writeable
            np.testing.assert_array_equal(got, sequential[k], err_msg=f"frame {k}")
        assert video.seeks > FRAMES  # random access really did seek
        np.testing.assert_array_equal(np.stack(video.frames(33, 47)),
                                      np.stack(sequential[33:47]))


def test_random_frames_equal_a_sequential_decode_exactly(clip):
    check_random_access(clip)


def test_random_frames_equal_a_sequential_decode_with_b_frames(bframes):
    check_random_access(bframes)


def test_random_frames_equal_a_sequential_decode_with_open_gops(open_gop):
    with av.open(str(open_gop)) as container:
        stream = container.streams.video[0]
        order = [(p.pts, p.is_keyframe) for p in container.demux(stream) if p.size]
    # a keyframe followed, in decoding order, by frames shown before it: an open GOP
    assert any(key and later < pts for (pts, key), (later, _) in itertools.pairwise(order))
    check_random_access(open_gop)


def test_sequential_reads_do_not_seek_again(bframes):
    with open_video(bframes, cache_bytes=0) as video:
        assert video.indexed_by == "packet scan"  # reordered frames: pts from the packets
        for k in range(FRAMES):
            assert frame_number(video.frame(k)) == k
        assert video.seeks == 1
        video.frame(10)  # backwards: one seek
        assert video.seeks == 2
        video.frame(12)  # a little ahead, same group of pictures: decodes on
        assert video.seeks == 2
        video.frames(13, 30)
        assert video.seeks == 2


def test_the_cache_stays_within_its_bound_whatever_the_length(tmp_path):
    path = make_video(tmp_path / "long.mp4", frames=200, size=(64, 48), gop=25)
    one = 64 * 48 * 3
    with open_video(path, cache_bytes=10 * one + 5) as video:
        for k in list(range(200)) + random.Random(1).sample(range(200), 60):
            video.frame(k)
            assert video.cached_bytes <= 10 * one + 5
        assert video.cached_bytes == 10 * one
        video.frames(0, 200)
        assert video.cached_bytes == 10 * one
        seeks = video.seeks
        video.frame(199)  # among the ten most recent: from the cache, no decoding
        assert video.seeks == seeks
    assert video.cached_bytes == 0  # closing drops the frames


def test_fps_given_replaces_the_file_timing(clip):
    with open_video(clip, fps=10) as video:
        assert video.fps == 10.0 and video.time_of(5) == 0.5 and video.frame_at(0.55) == 5


def test_variable_frame_rate_indexes_frames_by_timestamp(tmp_path):
    stamps = [0, 40, 80, 200, 220, 240, 500, 520, 540, 560]  # milliseconds
    path = make_video(tmp_path / "vfr.mkv", frames=10, timestamps=stamps)
    with open_video(path) as video:
        assert video.num_frames == 10
        assert [video.time_of(k) for k in range(10)] == [t / 1000 for t in stamps]
        assert video.fps == pytest.approx(9 / 0.56)
        assert video.frame_at(0.3) == 5 and video.frame_at(0.5) == 6 and video.frame_at(0.19) == 2
        assert [frame_number(f) for f in video.frames(0, 10)] == list(range(10))
        assert frame_number(video.frame(7)) == 7 and frame_number(video.frame(3)) == 3


def test_files_that_are_not_videos_are_refused_naming_the_path_and_cause(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("hello, not a video")
    with pytest.raises(ValueError, match=r"notes\.mp4: PyAV cannot open it as a video \(Invalid"):
        open_video(text)
    audio = tmp_path / "speech.m4a"
    with av.open(str(audio), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=8000)
        samples = av.AudioFrame.from_ndarray(np.zeros((1, 1024), dtype=np.float32),
                                             format="fltp", layout="mono")
        samples.sample_rate, samples.pts = 8000, 0
        for packet in [*stream.encode(samples), *stream.encode()]:
            container.mux(packet)
    with pytest.raises(ValueError, match=r"speech\.m4a: the file has no video stream "
                                         r"\(streams: audio\)"):
        open_video(audio)
    with av.open(str(tmp_path / "song.m4a"), "w", format="mp4") as container:
        sound = container.add_stream("aac", rate=8000)
        cover = container.add_stream("mjpeg", rate=1)
        cover.width, cover.height, cover.pix_fmt = 32, 32, "yuvj420p"
        cover.disposition = av.stream.Disposition.attached_pic
        still = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
        for packet in [*cover.encode(still), *cover.encode()]:
            container.mux(packet)
        samples.sample_rate, samples.pts = 8000, 0
        for packet in [*sound.encode(samples), *sound.encode()]:
            container.mux(packet)
    with pytest.raises(ValueError, match=r"song\.m4a: the file has no video stream \(streams: "
                                         r"audio, video \(cover picture\)\)"):
        open_video(tmp_path / "song.m4a")
    empty = make_video(tmp_path / "empty.avi", frames=0)
    with pytest.raises(ValueError, match=r"empty\.avi: the video stream has zero frames"):
        open_video(empty)


def corrupt(path, frame, out):
    """Overwrite the payload of the packet holding ``frame`` with noise."""
    with av.open(str(path)) as container:
        packets = [(p.pts, p.pos, p.size) for p in container.demux(container.streams.video[0])
                   if p.size]
    _, pos, size = sorted(packets)[frame]
    data = bytearray(path.read_bytes())
    noise = np.random.default_rng(0).integers(0, 256, size - 8, dtype=np.uint8)
    data[pos + 8:pos + size] = noise.tobytes()
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("suffix", ["avi", "mp4", "webm"])
@pytest.mark.parametrize("damaged", [30, 40])  # a predicted frame, a keyframe
def test_a_corrupt_frame_is_marked_and_shown_blank_never_hanging(tmp_path, suffix, damaged):
    clean = make_video(tmp_path / f"clean.{suffix}", frames=60, size=(96, 64), gop=20)
    path = corrupt(clean, damaged, tmp_path / f"damaged.{suffix}")
    warned = rf"frames? {damaged}\b.* could not be decoded"
    with open_video(path) as video, pytest.warns(BadFrameWarning, match=warned):
        frames = video.frames(0, 60)
    assert damaged in video.bad_frames()
    assert frames[damaged].shape == (64, 96, 3) and frames[damaged].max() == 0
    assert [frame_number(f) for f in frames[:damaged]] == list(range(damaged))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BadFrameWarning)
        with open_video(path, cache_bytes=0) as video:  # found again by seeking to it
            assert video.frame(damaged).max() == 0 and damaged in video.bad_frames()
            assert frame_number(video.frame(damaged - 3)) == damaged - 3
            assert video.frame(59).shape == (64, 96, 3)  # the end is reached, whatever it holds


def test_threads_reading_at_once_get_the_right_frames(clip):
    with open_video(clip) as video:
        expected = [f.copy() for f in video.frames(0, FRAMES)]
    errors: list[str] = []
    with open_video(clip, cache_bytes=4 * 64 * 96 * 3) as video:
        def read(seed):
            for k in random.Random(seed).sample(range(FRAMES), 30):
                if not np.array_equal(video.frame(k), expected[k]):
                    errors.append(f"frame {k}")
        threads = [threading.Thread(target=read, args=(seed,)) for seed in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []


def test_closed_videos_refuse_reads(clip):
    video = open_video(clip)
    video.frame(3)
    video.close()
    with pytest.raises(ValueError, match=r"clip\.\w+: the video is closed"):
        video.frame(3)
    with pytest.raises(IndexError, match=rf"frame {FRAMES} is out of range: expected "
                                         rf"0 <= k < {FRAMES}"):
        video.frame(FRAMES)


def test_frames_kept_by_the_caller_are_never_overwritten(tmp_path):
    path = make_video(tmp_path / "reuse.mp4", frames=40, size=(64, 48), gop=10)
    with open_video(path, cache_bytes=3 * 64 * 48 * 3) as video:
        kept = {k: video.frame(k) for k in (0, 5, 17)}
        copies = {k: f.copy() for k, f in kept.items()}
        for k in range(40):  # evicts the kept frames many times over
            assert frame_number(video.frame(k)) == k
        for k, frame in kept.items():
            np.testing.assert_array_equal(frame, copies[k])
            assert frame_number(frame) == k
