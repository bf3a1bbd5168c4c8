#!/usr/bin/env python3
"""Safetensors fixtures for the Java reader/writer tests, made with torch + the reference library.

  VENV=$(../shared/tools/pyenv.sh)
  $VENV/bin/python scripts/make_safetensors_fixtures.py             # remake the fixtures
  $VENV/bin/python scripts/make_safetensors_fixtures.py --check DIR  # read what Lopper wrote

The fixtures go to src/test/resources/safetensors.

Fixtures (metadata is only {"format": "pt"}, so the bytes are deterministic and the Java writer must
reproduce them exactly):
  all-dtypes.safetensors     one tensor of each supported dtype, plus a scalar and an empty tensor
  engine-dtypes.safetensors  the same without BF16 and I16 (types DJL's PyTorch engine cannot hold)
  f16-override.safetensors   float32 tensors saved as float16 (the writer's dtype override)
  bf16-override.safetensors  the same tensors saved as bfloat16
  sharded/                   huggingface_hub.save_torch_state_dict with a small max_shard_size
  fixtures.json              the values (exact, as JSON numbers) and the state-dict order of each

--check reads what the Java writer produced, kept by the tests when given -Dlopper.keepWritten:
  mvn -o -q -Dtest='PythonSafetensorsTest,SafetensorsRoundTripTest' -Dlopper.keepWritten=/tmp/kept test
  $VENV/bin/python scripts/make_safetensors_fixtures.py --check /tmp/kept
It loads every *.safetensors with safetensors and transformers' load_state_dict, checks the "format"
metadata, and checks every model.safetensors.index.json against its shards.
"""
import json
import pathlib
import sys

import torch
from huggingface_hub import save_torch_state_dict
from safetensors import safe_open
from safetensors.torch import load_file, save_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "test" / "resources" / "safetensors"

DTYPE_NAMES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def all_dtypes(g):
    return {
        "h.0.mlp.c_fc.weight": torch.randn(3, 4, generator=g),
        "h.0.mlp.c_fc.bias": torch.randn(4, generator=g).half(),
        "h.10.ln_1.weight": torch.randn(2, 3, generator=g).bfloat16(),
        "h.2.ln_1.weight": torch.randn(2, 3, generator=g).bfloat16(),
        "wpe.weight": torch.randn(2, 2, generator=g, dtype=torch.float64),
        "positions": torch.tensor([2**40 + 3, -7, 0, 1, 2**62], dtype=torch.int64),
        "counts": torch.tensor([-2**31, 2**31 - 1, 5], dtype=torch.int32),
        "small": torch.tensor([[-32768, 32767], [0, -1]], dtype=torch.int16),
        "bytes": torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
        "ubytes": torch.tensor([0, 200, 255], dtype=torch.uint8),
        "mask": torch.tensor([[True, False, True], [False, False, True]]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }


def describe(tensors):
    """Exact values: every stored value widened to float64 (or int / bool) as a JSON number."""
    out = {}
    for name, t in tensors.items():
        flat = t.reshape(-1)
        if t.is_floating_point():
            values = [float(v) for v in flat.double().tolist()]
        elif t.dtype == torch.bool:
            values = [bool(v) for v in flat.tolist()]
        else:
            values = [int(v) for v in flat.tolist()]
        out[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape), "values": values}
    return out


def make():
    OUT.mkdir(parents=True, exist_ok=True)
    g = torch.Generator().manual_seed(1234)
    fixtures = {}

    tensors = all_dtypes(g)
    save_file(tensors, OUT / "all-dtypes.safetensors", metadata={"format": "pt"})
    fixtures["all-dtypes"] = {"tensors": describe(tensors)}
    # DJL's PyTorch engine holds no BF16 or I16 arrays, so the writer can only be given the rest.
    engine = {k: v for k, v in tensors.items() if v.dtype not in (torch.bfloat16, torch.int16)}
    save_file(engine, OUT / "engine-dtypes.safetensors", metadata={"format": "pt"})
    fixtures["engine-dtypes"] = {"names": sorted(engine)}

    # Rounding cases: ties (1 + 2^-8 and 1 + 3 * 2^-8 in BF16, 1 + 2^-11 in F16), overflow to
    # infinity, a subnormal and a negative zero.
    edges = torch.tensor([1.00390625, 1.01171875, -1.00390625, 1.00048828125,
                          3.4028234663852886e38, 1e-40, 0.0, -0.0])
    source = {"b.weight": torch.randn(2, 3, generator=g) * 100,
              "a.bias": torch.randn(5, generator=g),
              "edges": edges, "ids": torch.arange(4, dtype=torch.int64)}
    for dtype, name in ((torch.float16, "f16-override"), (torch.bfloat16, "bf16-override")):
        narrowed = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in source.items()}
        save_file(narrowed, OUT / f"{name}.safetensors", metadata={"format": "pt"})
    fixtures["override"] = {"source": describe(source)}

    # State-dict order, not name order: the split follows it. 96 bytes per shard; the 160-byte
    # tensor is over the limit and gets a shard of its own.
    state = {
        "wte.weight": torch.randn(4, 3, generator=g),
        "h.0.attn.c_attn.weight": torch.randn(3, 5, generator=g),
        "h.0.attn.c_attn.bias": torch.randn(5, generator=g),
        "h.0.mlp.c_fc.weight": torch.randn(8, 5, generator=g),
        "h.0.mlp.c_fc.bias": torch.randn(8, generator=g),
        "ln_f.weight": torch.randn(3, generator=g),
        "ln_f.bias": torch.randn(3, generator=g),
    }
    folder = OUT / "sharded"
    if folder.exists():
        for p in folder.iterdir():
            p.unlink()
    folder.mkdir(exist_ok=True)
    save_torch_state_dict(state, folder, max_shard_size=96)
    fixtures["sharded"] = {"max_shard_size": 96, "order": list(state), "tensors": describe(state)}

    (OUT / "fixtures.json").write_text(json.dumps(fixtures, indent=1) + "\n")
    for p in sorted(OUT.rglob("*.safetensors")):
        check_file(p)
    check_index(folder / "model.safetensors.index.json")
    print("wrote", OUT)


def check_file(path):
    from transformers.modeling_utils import load_state_dict
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
        if meta.get("format") != "pt":
            raise SystemExit(f"{path}: metadata format is {meta.get('format')!r}, expected 'pt'")
    a = load_file(path)
    b = load_state_dict(path)
    for k in a:
        if not torch.equal(a[k], b[k]):
            raise SystemExit(f"{path}: {k} differs between load_file and load_state_dict")
    print(f"ok {path}: {len(a)} tensors:",
          ", ".join(f"{k} {DTYPE_NAMES[v.dtype]}{list(v.shape)}" for k, v in sorted(a.items())))
    return a


def check_index(index_path):
    index = json.loads(index_path.read_text())
    total = 0
    by_shard = {}
    for name, shard in index["weight_map"].items():
        by_shard.setdefault(shard, []).append(name)
    for shard, names in sorted(by_shard.items()):
        tensors = load_file(index_path.parent / shard)
        for n in names:
            if n not in tensors:
                raise SystemExit(f"{index_path}: {n} is not in {shard}")
            total += tensors[n].numel() * tensors[n].element_size()
    if index["metadata"]["total_size"] != total:
        raise SystemExit(f"{index_path}: total_size {index['metadata']['total_size']} != {total}")
    print(f"ok {index_path}: {len(index['weight_map'])} tensors in {len(by_shard)} shards,"
          f" total_size {total}")


def check(paths):
    for root in map(pathlib.Path, paths):
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for p in files:
            if p.name.endswith(".safetensors"):
                check_file(p)
            elif p.name.endswith(".safetensors.index.json"):
                check_index(p)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--check":
        check(sys.argv[2:])
    else:
        make()
