"""Loudness of short clips (ITU-R BS.1770 K-weighting and gating) and their true peak.

Clips are seconds long, so we filter in the frequency domain (one FFT per clip)
instead of running the two K-weighting biquads sample by sample in Python.
The filters are designed for the clip's own sample rate from the standard's
analog parameters, as the 48 kHz coefficients in the standard do not apply at 22050 Hz.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

BLOCK = 0.4  # gating block length, seconds (BS.1770)
HOP = 0.1  # 75% overlap
ABSOLUTE_GATE = -70.0  # LUFS
RELATIVE_GATE = -10.0  # LU below the absolute-gated loudness
OVERSAMPLE = 4  # true peak: peak of the 4x oversampled signal, as BS.1770 annex 2
INTERPOLATOR_TAPS = 12  # per phase, as the annex's 48-tap filter
_PAD = 0.5  # seconds of silence around a clip so the high-pass filter's tail does not wrap round


def _biquad_response(b: tuple[float, float, float], a: tuple[float, float, float], z: np.ndarray) -> np.ndarray:
    """The response at z = e^-jw of the filter with these coefficients."""
    return (b[0] + z * (b[1] + z * b[2])) / (a[0] + z * (a[1] + z * a[2]))


def k_weighting(sample_rate: int, frequencies: np.ndarray) -> np.ndarray:
    """The complex response of the K-weighting filter (high shelf, then high pass) at these frequencies."""
    z = np.exp(-2j * math.pi * frequencies.astype(np.float32) / sample_rate).astype(np.complex64)
    # Stage 1: +4 dB high shelf at 1.5 kHz, as the head's acoustic effect.
    gain, q, f0 = 4.0, 1 / math.sqrt(2), 1500.0
    big_a = 10 ** (gain / 40)
    w0 = 2 * math.pi * f0 / sample_rate
    alpha = math.sin(w0) / (2 * q)
    cos0, root = math.cos(w0), 2 * math.sqrt(big_a) * alpha
    shelf = _biquad_response(
        (big_a * ((big_a + 1) + (big_a - 1) * cos0 + root), -2 * big_a * ((big_a - 1) + (big_a + 1) * cos0),
         big_a * ((big_a + 1) + (big_a - 1) * cos0 - root)),
        ((big_a + 1) - (big_a - 1) * cos0 + root, 2 * ((big_a - 1) - (big_a + 1) * cos0),
         (big_a + 1) - (big_a - 1) * cos0 - root),
        z,
    )
    # Stage 2: the RLB high pass at 38 Hz.
    q, f0 = 0.5, 38.0
    w0 = 2 * math.pi * f0 / sample_rate
    alpha = math.sin(w0) / (2 * q)
    cos0 = math.cos(w0)
    high_pass = _biquad_response(((1 + cos0) / 2, -(1 + cos0), (1 + cos0) / 2), (1 + alpha, -2 * cos0, 1 - alpha), z)
    return shelf * high_pass


def fft_size(n: int) -> int:
    """The smallest size >= n of the form 2^k times 1, 5/4, 3/2 or 15/8.

    pocketfft is fast on such sizes (many times slower on large primes), and
    few distinct sizes keep the filter responses cached below few.
    """
    power = 1 << max(0, n - 1).bit_length()
    for eighths in (8, 10, 12, 15):
        size = power * eighths // 16
        if size >= n and size * 16 == power * eighths:
            return size
    return power


@lru_cache(maxsize=48)  # every size fft_size gives for clips up to a minute (4 per octave): no misses
def _k_weighting_at(sample_rate: int, size: int) -> np.ndarray:
    return k_weighting(sample_rate, np.fft.rfftfreq(size, 1 / sample_rate))


def k_weighted(samples: np.ndarray, sample_rate: int, tail: int = 0) -> np.ndarray:
    """The signal through the K-weighting filter, with `tail` samples of its ringing after the end.

    float32 FFT: plenty for a level measurement.
    """
    size = fft_size(samples.size + max(tail, int(_PAD * sample_rate)))  # room for the filter's tail, no wrap-round
    spectrum = np.fft.rfft(samples.astype(np.float32), size)
    return np.fft.irfft(spectrum * _k_weighting_at(sample_rate, size), size)[: samples.size + tail]


def block_powers(weighted: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mean square of a K-weighted signal in each gating block (one block if it is shorter)."""
    block, hop = int(BLOCK * sample_rate), int(HOP * sample_rate)
    if weighted.size <= block:
        return np.array([np.mean(np.square(weighted, dtype=np.float64))]) if weighted.size else np.zeros(1)
    hops = weighted.size // hop
    energies = np.square(weighted[: hops * hop], dtype=np.float32).reshape(hops, hop).sum(axis=1, dtype=np.float64)
    return powers_from_hops(energies, sample_rate)


def powers_from_hops(energies: np.ndarray, sample_rate: int) -> np.ndarray:
    """Block powers from the K-weighted energy of each hop: a block is four consecutive hops."""
    return np.convolve(energies, np.ones(round(BLOCK / HOP)), mode="valid") / int(BLOCK * sample_rate)


def _lufs(power: float) -> float:
    return -0.691 + 10 * math.log10(power) if power > 0 else -math.inf


def gated_loudness(powers: np.ndarray) -> float:
    """Integrated loudness in LUFS from block powers: absolute then relative gate; -inf for silence."""
    loud = powers[powers > 10 ** ((ABSOLUTE_GATE + 0.691) / 10)]
    if loud.size == 0:
        return -math.inf
    gate = _lufs(float(np.mean(loud))) + RELATIVE_GATE
    return _lufs(float(np.mean(loud[loud > 10 ** ((gate + 0.691) / 10)])))


def integrated_loudness(samples: np.ndarray, sample_rate: int) -> float:
    """Gated loudness of a mono signal in LUFS, -inf for silence."""
    return gated_loudness(block_powers(k_weighted(samples, sample_rate), sample_rate))


def loudest_block(powers: np.ndarray) -> float:
    """The loudness (LUFS) of the loudest gating block: momentary loudness at its highest, as a
    listener hears a short sound (a bell's strike, a tick) however short or long its tail."""
    return _lufs(float(np.max(powers))) if powers.size else -math.inf


def lufs_of(power: float) -> float:
    """The loudness (LUFS) of a K-weighted mean square."""
    return _lufs(power)


def hop_energies(samples: np.ndarray, sample_rate: int, stretch: int = 100) -> np.ndarray:
    """K-weighted energy of each whole gating hop of a long signal, worked out `stretch` hops at a time
    (the filter warmed up on what came before each stretch): memory does not grow with the signal."""
    hop = int(HOP * sample_rate)
    warm = int(_PAD * sample_rate)
    step = stretch * hop
    energies = [np.zeros(0)]
    for first in range(0, samples.size // hop * hop, step):
        count = min(step, samples.size // hop * hop - first)
        lead = min(first, warm)
        weighted = k_weighted(samples[first - lead : first + count], sample_rate)[lead:]
        energies.append(np.square(weighted, dtype=np.float32).reshape(-1, hop).sum(axis=1, dtype=np.float64))
    return np.concatenate(energies)


def _interpolators() -> np.ndarray:
    """Kaiser-windowed sinc filters for the points 1/4, 2/4 and 3/4 of the way to the next sample."""
    taps = np.arange(-INTERPOLATOR_TAPS // 2 + 1, INTERPOLATOR_TAPS // 2 + 1)
    window = np.kaiser(INTERPOLATOR_TAPS, 6.0)
    filters = [np.sinc(taps - phase / OVERSAMPLE) * window for phase in range(1, OVERSAMPLE)]
    return np.array([f / f.sum() for f in filters], dtype=np.float32)


_INTERPOLATORS = _interpolators()


def peak_envelope(samples: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of the signal from there to the next sample (4x oversampled).

    Its maximum is the true peak; a limiter that keeps it under a ceiling keeps
    the peaks between samples (which a decoder reconstructs) under it too.
    Polyphase interpolation, as BS.1770's true-peak meter: a few times cheaper
    than upsampling with an FFT.
    """
    samples = np.asarray(samples, dtype=np.float32)
    envelope = np.abs(samples)
    for interpolator in _INTERPOLATORS:
        # between[n] = sum over k of samples[n + k] * interpolator[k + offset]: the point just after sample n
        between = np.convolve(samples, interpolator[::-1], mode="same")
        np.maximum(envelope, np.abs(between, out=between), out=envelope)
    return envelope


def peak_envelope_near(samples: np.ndarray, floor: float) -> np.ndarray:
    """peak_envelope where the signal comes near a ceiling, cheaply: the peaks between samples are worked
    out only beside samples above `floor` (elsewhere the sample's magnitude). A point between two samples
    under half a ceiling passes it only in contrived signals, so floor = ceiling / 2 misses nothing real."""
    samples = np.asarray(samples, dtype=np.float32)
    envelope = np.abs(samples)
    near = envelope > floor
    near[1:] |= near[:-1].copy()  # the points on either side of a loud sample
    at = np.flatnonzero(near)
    if at.size == 0:
        return envelope
    reach = INTERPOLATOR_TAPS // 2
    # As peak_envelope's convolutions, at these samples only: between[n] = sum over j of samples[n - reach + j] * filter[j]
    windows = np.pad(samples, reach)[at[:, None] + np.arange(INTERPOLATOR_TAPS)]
    between = np.max([np.abs(windows @ phase) for phase in _INTERPOLATORS], axis=0)  # matrix-vector: BLAS is fastest so
    envelope[at] = np.maximum(envelope[at], between)
    return envelope


def true_peak(samples: np.ndarray, stretch: int = 1 << 20) -> float:
    """Largest magnitude of the signal between samples too (4x oversampled), as a linear value.
    A stretch at a time (overlapping by the interpolator's reach), so a long file costs little memory."""
    peak, reach = 0.0, INTERPOLATOR_TAPS
    for first in range(0, samples.size, stretch):
        lo = max(0, first - reach)
        envelope = peak_envelope(samples[lo : first + stretch + reach])[first - lo : first - lo + stretch]
        peak = max(peak, float(envelope.max(initial=0.0)))
    return peak
