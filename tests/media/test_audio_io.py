"""Audio input: arrays and WAV files are validated and kept compact (int16 or float32)."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from nbannotate import AudioAnnotator
from nbannotate.media.audio import load_audio, wav_bytes


def pcm_wav(frames: bytes, *, width: int, channels: int, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return out.getvalue()


def test_int16_and_float32_mono_are_kept_without_a_copy():
    ints = np.arange(-50, 50, dtype=np.int16)
    clip = load_audio(ints, 100)
    assert clip.samples.dtype == np.int16 and clip.samples.shape == (1, 100)
    assert np.shares_memory(clip.samples, ints)
    assert clip.peak == 50 / 32768
    floats = np.linspace(-0.5, 0.25, 7, dtype=np.float32)
    clip = load_audio(floats, 7)
    assert np.shares_memory(clip.samples, floats) and clip.peak == 0.5


def test_float64_and_int32_become_float32_in_full_scale_units():
    clip = load_audio(np.array([0.0, 0.5, -1.0]), 3)
    assert clip.samples.dtype == np.float32
    np.testing.assert_array_equal(clip.samples, [[0.0, 0.5, -1.0]])
    clip = load_audio(np.array([0, 2**30, -(2**31)], dtype=np.int32), 3)
    assert clip.samples.dtype == np.float32
    np.testing.assert_allclose(clip.samples, [[0.0, 0.5, -1.0]])


def test_two_d_arrays_are_samples_by_channels():
    audio = np.stack([np.zeros(10), np.ones(10) * 0.5], axis=1).astype(np.float32)
    clip = load_audio(audio, 10)
    assert clip.channels == 2 and clip.num_samples == 10 and clip.duration == 1.0
    np.testing.assert_array_equal(clip.samples[1], np.full(10, 0.5))
    assert clip.samples.flags.c_contiguous


@pytest.mark.parametrize(("audio", "rate", "error", "match"), [
    (np.array([0.0, np.nan, 1.0]), 10, ValueError, r"audio contains NaN samples \(first at "
                                                   r"flat index 1\)"),
    (np.array([0.0, 0.1, np.inf], dtype=np.float32), 10, ValueError, "infinite"),
    (np.zeros(0, dtype=np.float32), 10, ValueError, "audio is empty"),
    (np.zeros((0, 2)), 10, ValueError, "audio is empty"),
    (np.zeros((4, 2, 2)), 10, ValueError, r"1-D \(mono\) or 2-D .* got 3-D"),
    (np.zeros((2, 1000)), 10, ValueError, r"looks like channels × samples; pass audio.T"),
    (np.zeros(10), 0, ValueError, "sample_rate must be a positive number.*got 0"),
    (np.zeros(10), -8000, ValueError, "sample_rate must be a positive number"),
    (np.zeros(10), float("nan"), ValueError, "sample_rate must be a positive number"),
    (np.zeros(10), None, TypeError, "sample_rate is required"),
    (np.zeros(10), "8000", TypeError, "sample_rate must be a positive number"),
    (np.zeros(10), True, TypeError, "sample_rate"),
    (np.zeros(10, dtype=np.uint8), 10, ValueError, "dtype int16, int32, float32 or float64, "
                                                  "got uint8"),
    ({"not": "audio"}, 10, TypeError, "audio must be a numpy array, a path or the bytes"),
])
def test_bad_input_names_the_problem(audio, rate, error, match):
    with pytest.raises(error, match=match):
        AudioAnnotator(audio, sample_rate=rate, labels=["a"])


@pytest.mark.parametrize("channels", [1, 2])
def test_wav_bytes_and_path_round_trip_16_bit(tmp_path, channels):
    rng = np.random.default_rng(channels)
    samples = rng.integers(-32768, 32767, size=(1001, channels), dtype=np.int16)
    data = wav_bytes(samples, 22050)
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    for source in (data, path, str(path)):
        clip = load_audio(source)
        assert clip.sample_rate == 22050.0 and clip.samples.dtype == np.int16
        np.testing.assert_array_equal(clip.samples, samples.T)


def test_wav_8_24_and_32_bit_pcm_are_read_as_full_scale_floats():
    values = np.array([-1.0, -0.5, 0.0, 0.5])
    eight = pcm_wav(np.array([0, 64, 128, 192], dtype=np.uint8).tobytes(), width=1, channels=1,
                    rate=8000)
    np.testing.assert_allclose(load_audio(eight).samples[0], values)
    ints24 = (values * 2**23).astype(np.int64)
    raw24 = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints24)
    clip = load_audio(pcm_wav(raw24, width=3, channels=1, rate=8000))
    np.testing.assert_allclose(clip.samples[0], values)
    raw32 = (values * 2**31).astype("<i4").tobytes()
    clip = load_audio(pcm_wav(raw32, width=4, channels=1, rate=8000))
    assert clip.samples.dtype == np.float32
    np.testing.assert_allclose(clip.samples[0], values)


def test_wav_sample_rate_must_match_when_given():
    data = wav_bytes(np.zeros(10), 8000)
    assert load_audio(data, 8000).sample_rate == 8000
    with pytest.raises(ValueError, match=r"sample_rate=16000 does not match the file's rate "
                                         r"\(8000 Hz\)"):
        load_audio(data, 16000)


def test_an_unreadable_file_names_the_file_and_the_supported_formats(tmp_path):
    path = tmp_path / "song.flac"
    path.write_bytes(b"fLaC\x00\x00\x00\x22" + bytes(40))  # a broken FLAC header
    with pytest.raises(ValueError, match=r"audio \(song.flac\): not a readable audio file .*"
                                         r"supported formats: WAV .*FLAC, OGG/Vorbis, MP3"):
        AudioAnnotator(path, labels=["a"])


def _tone(rate: int, channels: int, seconds: float = 0.25) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.stack([left, -left][:channels], axis=1).astype(np.float32)


@pytest.mark.parametrize(("fmt", "subtype", "tolerance"), [
    ("WAV", "PCM_U8", 1 / 100), ("WAV", "PCM_16", 1 / 30000), ("WAV", "PCM_24", 1e-6),
    ("WAV", "PCM_32", 1e-6), ("WAV", "FLOAT", 0), ("WAV", "DOUBLE", 1e-7),
    ("WAV", "ULAW", 0.02), ("WAV", "ALAW", 0.02), ("WAV", "IMA_ADPCM", None),
    ("FLAC", "PCM_16", 1 / 30000), ("FLAC", "PCM_24", 1e-6), ("OGG", "VORBIS", None),
    ("MP3", "MPEG_LAYER_III", None),
])
@pytest.mark.parametrize("channels", [1, 2])
def test_every_wav_subtype_flac_ogg_and_mp3_load_at_native_rate_and_channels(
        tmp_path, fmt, subtype, tolerance, channels):
    import soundfile

    if fmt not in soundfile.available_formats():
        pytest.fail(f"the installed libsndfile cannot write {fmt}")
    rate = 22050 if fmt != "MP3" else 44100
    tone = _tone(rate, channels)
    path = tmp_path / f"tone.{fmt.lower()}"
    soundfile.write(path, tone, rate, format=fmt, subtype=subtype)
    for source in (path, path.read_bytes()):
        clip = load_audio(source)
        assert clip.sample_rate == rate and clip.channels == channels
        got = clip.samples.astype(np.float32)
        if clip.samples.dtype == np.int16:
            got = got / 32768
        if tolerance is None:  # lossy: the tone's level and length survive
            assert abs(clip.num_samples - len(tone)) <= 2048
            assert 0.4 < float(np.abs(got).max()) < 0.6
        else:
            assert clip.num_samples == len(tone)
            assert np.abs(got.T - tone).max() <= tolerance + 1e-6
    assert (clip.samples.dtype == np.int16) == (subtype == "PCM_16")


def test_missing_and_empty_files():
    with pytest.raises(FileNotFoundError, match="no audio file at"):
        load_audio("/nonexistent/clip.wav")
    with pytest.raises(ValueError, match="empty"):
        load_audio(b"")
