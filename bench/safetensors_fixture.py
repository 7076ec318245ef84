"""Safetensors made and read by the reference implementation, for nn's interoperability tests.

    python3 bench/safetensors_fixture.py make nn/tests/fixtures
        writes tutorial_f64.safetensors (F64, with nn's metadata) and
        bare_f32.safetensors (F32, no metadata, as a framework would write it)
    python3 bench/safetensors_fixture.py check MODEL.safetensors MODEL.json
        reads a file nn wrote and checks that every tensor equals the same model's
        JSON checkpoint, bit for bit, and that the metadata describes it

Needs `pip install safetensors numpy`. The Rust tests hold the same numbers as literals, so
they do not need Python.
"""

import json
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file


def tutorial_tensors():
    """A 2-3-2 net with awkward numbers: thirds, a negative zero, a subnormal, a huge value."""
    return {
        "W1": np.array([[0.5, -1.25, 1.0 / 3.0], [-0.0, 5e-324, 2.0]], dtype=np.float64),
        "b1": np.array([0.1, -0.2, 1e300], dtype=np.float64),
        "W2": np.array([[1.0, -1.0], [0.25, 0.75], [-2.5, 3.0]], dtype=np.float64),
        "b2": np.array([0.0, -7.0 / 3.0], dtype=np.float64),
    }


def bare_tensors():
    """A 3-4-2 net in float32, with no metadata: nn must infer the sizes and read F32."""
    w1 = (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / np.float32(8)
    w2 = (np.arange(8, dtype=np.float32).reshape(4, 2) - 3.0) / np.float32(3)
    return {
        "W1": w1,
        "b1": np.array([0.5, -0.5, 0.1, 0.0], dtype=np.float32),
        "W2": w2,
        "b2": np.array([1.5, -1.5], dtype=np.float32),
    }


def make(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    save_file(
        tutorial_tensors(),
        str(directory / "tutorial_f64.safetensors"),
        metadata={"sizes": "2,3,2", "activations": "tanh"},
    )
    save_file(bare_tensors(), str(directory / "bare_f32.safetensors"))
    print(f"wrote {directory}/tutorial_f64.safetensors and {directory}/bare_f32.safetensors")


def check(safetensors_path, json_path):
    tensors = load_file(safetensors_path)
    with open(safetensors_path, "rb") as f:
        header_length = int.from_bytes(f.read(8), "little")
        metadata = json.loads(f.read(header_length)).get("__metadata__", {})
    with open(json_path) as f:
        checkpoint = json.load(f)
    expected_sizes = ",".join(str(size) for size in checkpoint["sizes"])
    assert metadata.get("sizes") == expected_sizes, (metadata, expected_sizes)
    assert metadata.get("activations") == ",".join(checkpoint["activations"]), metadata
    assert set(tensors) == set(checkpoint["params"]), (set(tensors), set(checkpoint["params"]))
    for name, param in checkpoint["params"].items():
        tensor = tensors[name]
        assert tensor.dtype == np.float64, (name, tensor.dtype)
        assert list(tensor.shape) == param["shape"], (name, tensor.shape, param["shape"])
        expected = np.array(param["data"], dtype=np.float64).reshape(param["shape"])
        assert tensor.tobytes() == expected.tobytes(), name
    print(f"{safetensors_path}: {len(tensors)} tensors equal {json_path} bit for bit")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
