#!/usr/bin/env python3
"""Writes small valid inputs for each fuzz target into DIR/<target>/ (the seed corpora).

    fuzz/make_seeds.py DIR

Valid files let the fuzzer start deep inside each parser; it mutates them from there.
Plain Python (no NumPy) so that it runs wherever the fuzz build does.
"""
import gzip
import json
import os
import struct
import sys
import zlib


def idx(type_code, dims, payload):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def npy(descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, repr(tuple(shape)))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


def safetensors(tensors, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, payload) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def floats(*values):
    return struct.pack("<%df" % len(values), *values)


def png(width, height, rgb):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def bmp(width, height):
    row = (b"\x10\x80\xf0" * width).ljust((3 * width + 3) // 4 * 4, b"\x00")
    pixels = row * height
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def model_file():
    linear = {"type": "Linear", "attrs": {"in_features": "2", "out_features": "1", "bias": "true"}, "children": []}
    relu = {"type": "ReLU", "attrs": {}, "children": []}
    spec = {"type": "Sequential", "attrs": {}, "children": [["0", linear], ["1", relu]]}
    return safetensors({"0.weight": ("F32", [1, 2], floats(0.5, -1.0)), "0.bias": ("F32", [1], floats(0.25))},
                       {"format": "myelin", "format_version": "1", "architecture": json.dumps(spec)})


CONFIG = """[data]
source = "csv"
train = "train.csv"
label = "y"
validation_split = 0.2

[model]
[[model.layers]]
type = "Linear"
units = 8
activation = "relu"
[[model.layers]]
type = "Conv2d"
out_channels = 4
kernel_size = 3

[loss]
type = "cross_entropy"

[optimizer]
type = "adam"
lr = 0.001

[schedule]
type = "step"
step_size = 2

[train]
epochs = 2
batch_size = 4
seed = 1
"""

def midi(fmt, tracks):
    """A Standard MIDI File: header (format, track count, 96 ticks a quarter) and MTrk chunks."""
    out = b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), 96)
    for t in tracks:
        out += b"MTrk" + struct.pack(">I", len(t)) + t
    return out


# Tempo 120 bpm and 4/4, then end of track.
TRACK_TEMPO = b"\x00\xff\x51\x03\x07\xa1\x20\x00\xff\x58\x04\x04\x02\x18\x08\x00\xff\x2f\x00"
# Program change, two notes (the second with running status), a sysex, end of track.
TRACK_NOTES = (b"\x00\xc0\x00\x00\x90\x3c\x40\x60\x3c\x00\x00\x3e\x40\x81\x40\x3e\x00"
               b"\x00\xf0\x03\x7e\x7f\xf7\x00\xff\x2f\x00")


# Configs whose models model_build_fuzz builds: a few layers of each family, with input shapes.
MODEL_HEAD = """[data]
source = "csv"
train = "train.csv"
label = "y"

[model]
"""
MODEL_MLP = MODEL_HEAD + """input_shape = [16]
[[model.layers]]
type = "Linear"
units = 32
activation = "relu"
[[model.layers]]
type = "Dropout"
p = 0.1
[[model.layers]]
type = "BatchNorm1d"
[[model.layers]]
type = "Linear"
units = 3

[optimizer]
type = "sgd"
lr = 0.1
momentum = 0.9

[train]
batch_size = 8
"""
MODEL_CNN = MODEL_HEAD + """input_shape = [1, 12, 12]
[[model.layers]]
type = "Conv2d"
out_channels = 4
kernel_size = 3
padding = "same"
activation = "relu"
[[model.layers]]
type = "Residual"
[[model.layers.body]]
type = "Conv2d"
out_channels = 4
kernel_size = 3
padding = 1
dilation = 1
[[model.layers.body]]
type = "BatchNorm2d"
[[model.layers]]
type = "MaxPool2d"
kernel_size = 2
[[model.layers]]
type = "Upsample"
scale_factor = 2
[[model.layers]]
type = "AdaptiveAvgPool2d"
output_size = [2, 2]
[[model.layers]]
type = "Flatten"
[[model.layers]]
type = "Linear"
units = 10

[loss]
type = "cross_entropy"
label_smoothing = 0.1
"""
MODEL_SEQUENCE = MODEL_HEAD + """input_shape = [6]
[[model.layers]]
type = "Embedding"
num_embeddings = 20
embedding_dim = 8
[[model.layers]]
type = "LearnedPositionalEncoding"
max_len = 6
dim = 8
[[model.layers]]
type = "TransformerBlock"
d_model = 8
num_heads = 2
causal = true
[[model.layers]]
type = "LSTM"
hidden_size = 8
batch_first = true
[[model.layers]]
type = "LastStep"
[[model.layers]]
type = "Linear"
units = 20

[schedule]
type = "cosine"
"""

SEEDS = {
    "idx_fuzz": {
        "ubyte.idx": idx(0x08, [2, 3], bytes(range(6))),
        "float.idx": idx(0x0D, [2], struct.pack(">2f", 1.5, -2.0)),
        "gzip.idx": gzip.compress(idx(0x08, [4], b"\x01\x02\x03\x04")),
    },
    "npy_fuzz": {
        "f4.npy": npy("<f4", [2, 2], floats(1, 2, 3, 4)),
        "i8.npy": npy("<i8", [3], struct.pack("<3q", 1, -2, 3)),
        "u1.npy": npy("|u1", [2], b"\x07\x08"),
    },
    "csv_fuzz": {
        "table.csv": b"a,b,y\n1,2.5,cat\n-3,4e2,dog\n",
        "quoted.csv": b'"a ""x""",b,y\r\n1,2,"c,d"\r\n\n5,6,e\r\n',
    },
    "image_fuzz": {"rgb.png": png(3, 2, [200, 30, 7]), "rgb.bmp": bmp(2, 2)},
    "safetensors_fuzz": {
        "f32.safetensors": safetensors({"w": ("F32", [2, 2], floats(1, 2, 3, 4))}, {"k": "v"}),
        "mixed.safetensors": safetensors({"a": ("F16", [2], b"\x00\x3c\x00\xc0"), "b": ("I64", [1], struct.pack("<q", 7)),
                                          "c": ("BOOL", [0], b"")}),
    },
    "model_file_fuzz": {"model.safetensors": model_file()},
    "config_fuzz": {"config.toml": CONFIG.encode()},
    "model_build_fuzz": {"mlp.toml": MODEL_MLP.encode(), "cnn.toml": MODEL_CNN.encode(),
                         "sequence.toml": MODEL_SEQUENCE.encode()},
    "midi_fuzz": {"format0.mid": midi(0, [TRACK_NOTES]), "format1.mid": midi(1, [TRACK_TEMPO, TRACK_NOTES])},
}


# Targets whose seeds are the test suite's own fixture files: (target, folder, ending).
FIXTURE_SEEDS = [("onnx_fuzz", "tests/fixtures/onnx", ".onnx"), ("onnx_fuzz", "tests/fixtures/onnx_fuzz", ".onnx")]
# And one model of each op family the ONNX importer reads, from Debian's libonnx-testdata
# (scripts/setup installs it; skipped where it is missing).
ONNX_NODE_DIR = "/usr/share/libonnx-testdata/data/node"
ONNX_NODE_SEEDS = ["test_basic_conv_with_padding", "test_convtranspose", "test_maxpool_2d_pads",
                   "test_averagepool_2d_strides", "test_globalaveragepool", "test_batchnorm_example",
                   "test_layer_normalization_2d_axis0", "test_lstm_defaults", "test_gru_defaults",
                   "test_reshape_zero_and_negative_dim", "test_flatten_axis1", "test_softmax_axis_1",
                   "test_gemm_alpha", "test_dropout_default"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    for target, folder, ending in FIXTURE_SEEDS:
        source = os.path.join(root, folder)
        SEEDS.setdefault(target, {})
        for name in sorted(os.listdir(source)) if os.path.isdir(source) else []:
            if name.endswith(ending) and os.path.getsize(os.path.join(source, name)) < 65536:
                with open(os.path.join(source, name), "rb") as f:
                    SEEDS[target][name] = f.read()
    for case in ONNX_NODE_SEEDS:
        model = os.path.join(ONNX_NODE_DIR, case, "model.onnx")
        if os.path.exists(model):
            with open(model, "rb") as f:
                SEEDS["onnx_fuzz"][case + ".onnx"] = f.read()
    for target, files in SEEDS.items():
        folder = os.path.join(sys.argv[1], target)
        os.makedirs(folder, exist_ok=True)
        for name, content in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(content)


if __name__ == "__main__":
    main()
