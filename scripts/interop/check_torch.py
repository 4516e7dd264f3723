#!/usr/bin/python3
"""`make interop`: myelin <-> PyTorch 1.13 through safetensors files (not run in CI).

    /usr/bin/python3 scripts/interop/check_torch.py BUILD_DIR/interop_models

1. myelin -> torch: interop_models writes models (weights under PyTorch's state-dict names, the
   architecture in the metadata) with an input and myelin's output; each is rebuilt as torch.nn
   (torch_from_myelin.py), loaded with load_state_dict(strict=True) and run on the same input.
2. torch -> myelin: each architecture is built in torch with fresh random weights, saved as
   safetensors with an input and torch's output; interop_models loads and compares them.
Exits 1 when any output differs by more than 1e-5.
"""
import json
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import load_file, save_file  # noqa: E402
from torch_from_myelin import build_torch_model  # noqa: E402

TOLERANCE = 1e-5


def main():
    tool = sys.argv[1]
    torch.manual_seed(0)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([tool, "write", tmp], check=True)
        names = sorted(f[:-len(".io.safetensors")] for f in os.listdir(tmp) if f.endswith(".io.safetensors"))
        for name in names:
            tensors, metadata = load_file(os.path.join(tmp, name + ".safetensors"))
            model = build_torch_model(json.loads(metadata["architecture"]))
            model.load_state_dict(tensors, strict=True)
            model.eval()
            io, _ = load_file(os.path.join(tmp, name + ".io.safetensors"))
            with torch.no_grad():
                diff = (model(io["input"]) - io["output"]).abs().max().item()
            ok = diff <= TOLERANCE
            failures += not ok
            print(f"myelin -> torch  {name:10s} max |diff| {diff:.2e}  {'ok' if ok else 'MISMATCH'}")

            # The reverse: fresh torch weights (and running statistics) for the same architecture.
            fresh = build_torch_model(json.loads(metadata["architecture"]))
            with torch.no_grad():
                for key, t in fresh.state_dict().items():
                    if t.is_floating_point():
                        t.copy_(torch.rand_like(t) + 0.5 if "running_var" in key else torch.randn_like(t) * 0.5)
            fresh.eval()
            with torch.no_grad():
                out = fresh(io["input"])
            save_file(fresh.state_dict(), os.path.join(tmp, name + ".torch.safetensors"))
            save_file({"input": io["input"], "output": out}, os.path.join(tmp, name + ".torch_io.safetensors"))
        failures += subprocess.run([tool, "read", tmp]).returncode != 0
    print("interop: all outputs match" if failures == 0 else f"interop: {failures} mismatch(es)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
