#!/usr/bin/env python3
"""Reference values for the engine's seeded PRNG (src/core/engine/rng.ts), written from the
published algorithms, not from the TypeScript: FNV-1a (32-bit) of the stream name, SplitMix32
(golden-ratio increment 0x9e3779b9, the MurmurHash3 finalizer's mixing constants) seeding
xoshiro128** (Blackman & Vigna, 2018), floats from the top 24 bits of each output.

    python3 scripts/rng_reference.py   # prints the values test/unit/engine-rng.test.ts expects
"""
import json

M = 0xFFFFFFFF


def fnv1a(text):
    h = 0x811C9DC5
    for ch in text.encode('utf-16-le')[::2]:  # the streams are ASCII: one byte per UTF-16 code unit
        h ^= ch
        h = (h * 0x01000193) & M
    return h


def splitmix32(state):
    def step():
        nonlocal state
        state = (state + 0x9E3779B9) & M
        z = state
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
        return z ^ (z >> 16)
    return step


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M


def xoshiro128ss(seed, stream):
    mix = splitmix32((seed & M) ^ fnv1a(stream))
    s = [mix(), mix(), mix(), mix()]
    if not any(s):
        s[0] = 1
    while True:
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        yield (result >> 8) / 16777216


def first(seed, stream, n):
    g = xoshiro128ss(seed, stream)
    return [next(g) for _ in range(n)]


if __name__ == '__main__':
    cases = [(0, ''), (1, 'conv1.weight'), (42, 'layer4.2.conv3.weight'), (4294967295, 'fc.bias')]
    print(json.dumps([{'seed': s, 'stream': st, 'first': first(s, st, 6)} for s, st in cases], indent=2))
