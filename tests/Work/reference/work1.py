#!/usr/bin/python3
"""Independent reference of work/1 written from docs/work-function.md alone (numpy int64 arithmetic;
ChaCha20 from the cryptography package, SHA-256 from hashlib).

usage: work1.py PROFILE SEED_HEX CHALLENGE_HEX NONCE [--stats]
prints: activations-hash work-hash (64 hex digits each)
"""
import hashlib
import math
import struct
import sys

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

# §3: name: (d, layers, heads, ffn, tokens, gain, shift, m_qkv, m_o, m_up, m_down, attention_shift)
PROFILES = {
    "devnet": (64, 2, 4, 128, 16, 32, 20, 1784, 2400, 1784, 1800, 6),
    "standard": (512, 8, 8, 1024, 64, 32, 20, 631, 920, 631, 630, 7),
    "large": (1024, 16, 16, 4096, 64, 32, 20, 446, 650, 446, 313, 7),
}


def prf(prefix: bytes, n: int) -> bytes:  # §2.1
    blocks = [hashlib.sha256(prefix + struct.pack("<Q", j)).digest() for j in range((n + 31) // 32)]
    return b"".join(blocks)[:n]


def chacha20(key: bytes, nonce: bytes, n: int) -> bytes:  # §2.1, RFC 8439 keystream from block counter 0
    # The cryptography package's ChaCha20 takes a 16-byte nonce: the 32-bit block counter (LE) then the 96-bit nonce.
    encryptor = Cipher(algorithms.ChaCha20(key, struct.pack("<I", 0) + nonce), mode=None).encryptor()
    return encryptor.update(bytes(n))


def tensor(seed: bytes, index: int, rows: int, cols: int) -> np.ndarray:  # §2.2
    raw = np.frombuffer(chacha20(seed, struct.pack("<I", index) + b"p2pwork1", rows * cols), dtype=np.uint8)
    w = raw.astype(np.int64)
    w[w >= 128] -= 256
    w[raw == 0x80] = 0
    return w.reshape(rows, cols)


def exp_table() -> np.ndarray:  # §2.5
    table = [1 << 15]
    for _ in range(255):
        table.append((table[-1] * 62757) >> 16)
    return np.array(table, dtype=np.int64)


def sat(x, bound):
    return np.clip(x, -bound, bound)


def normalize(x, gain):  # §2.3
    d = x.shape[1]
    sums = (x * x).sum(axis=1)
    mult = []
    for s in sums:
        r = math.isqrt(int(s) // d)
        mult.append((gain << 16) // max(r, 1))
    m = np.array(mult, dtype=np.int64)[:, None]
    return sat((x * m + (1 << 15)) >> 16, 127)


def requant(acc, mult, shift):  # §2.4
    return sat((acc * mult + (1 << (shift - 1))) >> shift, 127)


STATS = []


def stat(name, x):
    if "--stats" in sys.argv:
        x = np.asarray(x)
        STATS.append(f"{name:>10}: rms {math.sqrt(float((x.astype(np.float64) ** 2).mean())):8.2f}  "
                     f"sat {float((np.abs(x) >= 127).mean()):.4f}  zero {float((x == 0).mean()):.4f}")


def attention(q, k, v, heads, ashift, table):  # §2.5
    t, d = q.shape
    dh = d // heads
    out = np.zeros_like(q)
    causal = np.tril(np.ones((t, t), dtype=bool))
    for h in range(heads):
        sl = slice(h * dh, (h + 1) * dh)
        s = q[:, sl] @ k[:, sl].T
        s_masked = np.where(causal, s, np.iinfo(np.int64).min)
        mx = s_masked.max(axis=1, keepdims=True)
        idx = np.minimum((mx - s) >> ashift, 255)
        e = np.where(causal, table[np.where(causal, idx, 0)], 0)
        total = e.sum(axis=1, keepdims=True)
        recip = (255 << 24) // total
        p = (e * recip) >> 24
        out[:, sl] = sat((p @ v[:, sl] + 128) >> 8, 127)
    return out


def work(profile, seed, challenge, nonce):
    d, layers, heads, f, t, gain, shift, mqkv, mo, mup, mdown, ashift = PROFILES[profile]
    table = exp_table()
    tokens = np.frombuffer(prf(b"p2p/work/1/tokens" + challenge + struct.pack("<Q", nonce), t), dtype=np.uint8)
    emb = tensor(seed, 0, 256, d)
    res = emb[tokens.astype(np.int64)]
    stat("embed", res)
    for l in range(layers):
        base = 1 + 6 * l
        wq, wk, wv, wo = (tensor(seed, base + i, d, d) for i in range(4))
        w1 = tensor(seed, base + 4, d, f)
        w2 = tensor(seed, base + 5, f, d)
        a = normalize(res, gain)
        q, k, v = requant(a @ wq, mqkv, shift), requant(a @ wk, mqkv, shift), requant(a @ wv, mqkv, shift)
        stat(f"q{l}", q)
        o = attention(q, k, v, heads, ashift, table)
        stat(f"attn{l}", o)
        y = requant(o @ wo, mo, shift)
        stat(f"wo{l}", y)
        res = sat(res + y, 32767)
        b = normalize(res, gain)
        hdn = np.maximum(requant(b @ w1, mup, shift), 0)
        stat(f"relu{l}", hdn)
        y = requant(hdn @ w2, mdown, shift)
        stat(f"w2{l}", y)
        res = sat(res + y, 32767)
        stat(f"res{l}", res)
    out = normalize(res, gain)
    stat("final", out)
    act = out.astype(np.int8).tobytes()
    act_hash = hashlib.sha256(act).hexdigest()
    work_hash = hashlib.sha256(b"p2p/work/1" + challenge + struct.pack("<Q", nonce) + act).hexdigest()
    return act_hash, work_hash


def main():
    profile, seed, challenge, nonce = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3]), int(sys.argv[4])
    assert len(seed) == 32 and len(challenge) == 32
    act_hash, work_hash = work(profile, seed, challenge, nonce)
    print(act_hash, work_hash)
    for line in STATS:
        print(line)


if __name__ == "__main__":
    main()
