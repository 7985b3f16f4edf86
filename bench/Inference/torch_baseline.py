"""PyTorch CPU baseline for bench/Inference: a plain Llama forward pass with a KV cache.

Reads config.json + model.safetensors written by the C# benchmark (same weights), runs the same
workload (prefill of P tokens, greedy decode of D tokens, batch 1 and batch B) on N threads and
prints one JSON line of tokens/s. Needs only torch (python3-torch); safetensors is parsed by hand.
"""
import json
import struct
import sys
import time

import torch


def load(directory):
    with open(f"{directory}/config.json") as f:
        config = json.load(f)
    with open(f"{directory}/model.safetensors", "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32"
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[base + begin:base + end]), dtype=torch.float32).reshape(entry["shape"])
    return config, tensors


class Llama:
    def __init__(self, config, w):
        self.c = config
        self.w = w
        self.heads = config["num_attention_heads"]
        self.kv_heads = config.get("num_key_value_heads", self.heads)
        self.hd = config["hidden_size"] // self.heads
        self.eps = config["rms_norm_eps"]
        self.layers = config["num_hidden_layers"]
        self.head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
        inv = 1.0 / (config.get("rope_theta", 10000.0) ** (torch.arange(0, self.hd, 2).float() / self.hd))
        t = torch.arange(config["max_position_embeddings"]).float()
        freqs = torch.outer(t, inv)
        emb = torch.cat([freqs, freqs], dim=-1)
        self.cos, self.sin = emb.cos(), emb.sin()

    def norm(self, x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * weight

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat([-x[..., half:], x[..., :half]], dim=-1)

    def forward(self, tokens, cache, pos):
        b, t = tokens.shape
        h = self.w["model.embed_tokens.weight"][tokens]
        cos = self.cos[pos:pos + t][None, None]
        sin = self.sin[pos:pos + t][None, None]
        mask = None
        if t > 1:
            mask = torch.full((t, pos + t), float("-inf")).triu(pos + 1)
        for i in range(self.layers):
            p = f"model.layers.{i}."
            x = self.norm(h, self.w[p + "input_layernorm.weight"])
            q = (x @ self.w[p + "self_attn.q_proj.weight"].T).view(b, t, self.heads, self.hd).transpose(1, 2)
            k = (x @ self.w[p + "self_attn.k_proj.weight"].T).view(b, t, self.kv_heads, self.hd).transpose(1, 2)
            v = (x @ self.w[p + "self_attn.v_proj.weight"].T).view(b, t, self.kv_heads, self.hd).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            keys, values = cache[i]
            keys[:, :, pos:pos + t] = k
            values[:, :, pos:pos + t] = v
            kk = keys[:, :, :pos + t].repeat_interleave(self.heads // self.kv_heads, dim=1)
            vv = values[:, :, :pos + t].repeat_interleave(self.heads // self.kv_heads, dim=1)
            scores = (q @ kk.transpose(-1, -2)) / (self.hd ** 0.5)
            if mask is not None:
                scores = scores + mask
            att = torch.softmax(scores, dim=-1) @ vv
            h = h + att.transpose(1, 2).reshape(b, t, -1) @ self.w[p + "self_attn.o_proj.weight"].T
            x = self.norm(h, self.w[p + "post_attention_layernorm.weight"])
            gate = x @ self.w[p + "mlp.gate_proj.weight"].T
            up = x @ self.w[p + "mlp.up_proj.weight"].T
            h = h + (torch.nn.functional.silu(gate) * up) @ self.w[p + "mlp.down_proj.weight"].T
        return self.norm(h[:, -1], self.w["model.norm.weight"]) @ self.head.T

    def new_cache(self, batch):
        shape = (batch, self.kv_heads, self.c["max_position_embeddings"], self.hd)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in range(self.layers)]


def run(model, batch, prompt_len, decode_len):
    cache = model.new_cache(batch)
    tokens = torch.arange(1, prompt_len + 1).remainder(model.c["vocab_size"]).repeat(batch, 1)
    start = time.perf_counter()
    logits = model.forward(tokens, cache, 0)
    prefill = time.perf_counter() - start
    start = time.perf_counter()
    for step in range(decode_len):
        nxt = logits.argmax(-1, keepdim=True)
        logits = model.forward(nxt, cache, prompt_len + step)
    decode = time.perf_counter() - start
    return batch * prompt_len / prefill, (batch * decode_len / decode if decode_len else 0.0)


def main():
    directory, threads, prompt_len, decode_len, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    config, weights = load(directory)
    model = Llama(config, weights)
    with torch.inference_mode():
        run(model, 1, 8, 4)  # warm-up
        # As in the C# benchmark: prefill of the full prompt; decoding after an 8-token prompt.
        prefill, _ = run(model, 1, prompt_len, 0)
        _, decode = run(model, 1, 8, decode_len)
        _, decode_batch = run(model, batch, 8, decode_len)
    print(json.dumps({"prefill_tokens_per_second": prefill, "decode_tokens_per_second": decode,
                      "batch_decode_tokens_per_second": decode_batch, "torch": torch.__version__, "threads": threads}))


if __name__ == "__main__":
    main()
