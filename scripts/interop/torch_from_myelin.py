"""The torch.nn model of a myelin architecture (a model file's "architecture" metadata), with
the same state-dict names, so myelin's weights load with load_state_dict(strict=True):

    import json
    from safetensors_io import load_file
    from torch_from_myelin import build_torch_model
    tensors, metadata = load_file("model.safetensors")
    model = build_torch_model(json.loads(metadata["architecture"]))
    model.load_state_dict(tensors)
    model.eval()
"""
from torch import nn


def _ints(text):
    values = [int(v) for v in text.split(",")]
    return values[0] if len(values) == 1 else tuple(values)


def _flag(attrs, key, default):
    return attrs.get(key, "true" if default else "false") == "true"


class _SequenceOutput:
    """Recurrent layers as myelin's: forward(x) is the output sequence only."""

    def forward(self, x):
        return super().forward(x)[0]


class LSTM(_SequenceOutput, nn.LSTM):
    pass


class GRU(_SequenceOutput, nn.GRU):
    pass


class RNN(_SequenceOutput, nn.RNN):
    pass


class SelfAttention(nn.MultiheadAttention):
    """myelin's MultiheadAttention.forward(x): self-attention, causal when asked."""

    def __init__(self, embed_dim, num_heads, bias, batch_first, causal):
        super().__init__(embed_dim, num_heads, bias=bias, batch_first=batch_first)
        self.causal = causal

    def forward(self, x):
        mask = None
        if self.causal:
            t = x.shape[1] if self.batch_first else x.shape[0]
            mask = nn.Transformer.generate_square_subsequent_mask(t)
        return super().forward(x, x, x, attn_mask=mask, need_weights=False)[0]


def build_torch_model(spec):
    t, a = spec["type"], spec.get("attrs", {})
    children = [build_torch_model(c) for _, c in spec.get("children", [])]
    if t == "Sequential":
        return nn.Sequential(*children)
    if t == "Linear":
        return nn.Linear(int(a["in_features"]), int(a["out_features"]), bias=_flag(a, "bias", True))
    if t in ("Conv1d", "Conv2d"):
        padding = a.get("padding", "0")
        return getattr(nn, t)(int(a["in_channels"]), int(a["out_channels"]), _ints(a["kernel_size"]),
                              stride=_ints(a.get("stride", "1")),
                              padding=padding if padding == "same" else _ints(padding),
                              dilation=_ints(a.get("dilation", "1")), groups=int(a.get("groups", "1")),
                              bias=_flag(a, "bias", True))
    if t == "ConvTranspose2d":
        return nn.ConvTranspose2d(int(a["in_channels"]), int(a["out_channels"]), _ints(a["kernel_size"]),
                                  stride=_ints(a.get("stride", "1")), padding=_ints(a.get("padding", "0")),
                                  output_padding=_ints(a.get("output_padding", "0")),
                                  dilation=_ints(a.get("dilation", "1")), groups=int(a.get("groups", "1")),
                                  bias=_flag(a, "bias", True))
    if t in ("BatchNorm1d", "BatchNorm2d"):
        return getattr(nn, t)(int(a["num_features"]), eps=float(a.get("eps", "1e-5")),
                              momentum=float(a.get("momentum", "0.1")), affine=_flag(a, "affine", True),
                              track_running_stats=_flag(a, "track_running_stats", True))
    if t == "LayerNorm":
        return nn.LayerNorm(_ints(a["normalized_shape"]), eps=float(a.get("eps", "1e-5")),
                            elementwise_affine=_flag(a, "elementwise_affine", True))
    if t in ("MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"):
        extra = {"count_include_pad": _flag(a, "count_include_pad", True)} if t.startswith("Avg") else {}
        stride = _ints(a.get("stride", "0"))
        return getattr(nn, t)(_ints(a["kernel_size"]), stride=stride or None,
                              padding=_ints(a.get("padding", "0")), **extra)
    if t in ("LSTM", "GRU", "RNN"):
        extra = {"nonlinearity": a.get("nonlinearity", "tanh")} if t == "RNN" else {}
        return globals()[t](int(a["input_size"]), int(a["hidden_size"]), num_layers=int(a.get("num_layers", "1")),
                            bias=_flag(a, "bias", True), batch_first=_flag(a, "batch_first", False),
                            dropout=float(a.get("dropout", "0")), bidirectional=_flag(a, "bidirectional", False),
                            **extra)
    if t == "MultiheadAttention":
        return SelfAttention(int(a["embed_dim"]), int(a["num_heads"]), _flag(a, "bias", True),
                             _flag(a, "batch_first", False), _flag(a, "causal", False))
    if t == "Flatten":
        return nn.Flatten(int(a.get("start_dim", "1")), int(a.get("end_dim", "-1")))
    if t == "Dropout":
        return nn.Dropout(float(a.get("p", "0.5")))
    if t in ("LeakyReLU", "ELU", "Softplus", "Softmax", "LogSoftmax"):
        args = {"LeakyReLU": ("negative_slope",), "ELU": ("alpha",), "Softplus": ("beta", "threshold")}.get(t, ())
        if t in ("Softmax", "LogSoftmax"):
            return getattr(nn, t)(dim=int(a.get("axis", "-1")))
        return getattr(nn, t)(**{k: float(a[k]) for k in args if k in a})
    if t in ("ReLU", "Sigmoid", "Tanh", "GELU", "Identity"):
        return getattr(nn, t)()
    raise ValueError(f"no torch.nn equivalent of myelin's {t} in this script")
