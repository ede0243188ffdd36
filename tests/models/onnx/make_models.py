#!/usr/bin/python3
"""Writes the ONNX test models of t_models_onnx into OUTDIR (argument 1), with onnx 1.12's
helper API and numpy only (Debian python3-onnx, python3-numpy): nothing is downloaded.

  qdq_chain.onnx       QDQ: Conv 3x3/2 pads 1 (explicit) + Relu, depthwise 3x3 + Clip(0,6),
                       MaxPool 2x2, Conv 1x1, Flatten, Gemm; uint8 input, int8 elsewhere;
                       random non-dyadic scales.
  qdq_add_pool.onnx    QDQ: Conv, Conv, Add (residual), AveragePool 3x3/2 pads 1, GlobalAveragePool.
  *.ref.json           an independent reference of each model's QDQ semantics: every quantized
                       tensor in real arithmetic (float64, integer accumulators exact),
                       QuantizeLinear rounding half to even; per tensor the int8 values (NHWC,
                       uint8 shifted to int8) and the pre-rounding value in output LSBs.
  qlinear_int8.onnx    QLinear (QOperator): QuantizeLinear, QLinearConv 3x3 pads 1, depthwise
                       QLinearConv 3x3/2 (group = C), QLinearConv 1x1, Flatten, QLinearMatMul
                       (per-column B scales), DequantizeLinear; int8 everywhere, int32 biases.
  qlinear_uint8.onnx   the same with uint8 activations, int8 conv weights, a uint8 (zero point
                       128) 1x1 conv and MatMul B, Reshape [1, -1], per-tensor B scale.
  qlinear_*.ref.json   likewise: ONNX's QLinear semantics (integer accumulator, then
                       acc * x_scale * w_scale / y_scale in float64, round half to even, add
                       the zero point, saturate).
  qdq_matmul_bias.onnx QDQ: Conv + Relu, Flatten, then two Linear layers as MatMul + Add of a
                       dequantized int32 bias (bias second, then first); with its .ref.json.
  mobilenet_v2.onnx    torchvision-style MobileNetV2 (Conv+BN+ReLU6, depthwise via group,
                       inverted residual Add, GlobalAveragePool, Flatten, Gemm), width 0.25,
                       64x64 input, random float weights; mobilenet_v2.json its MACs;
                       calibration.npy two float32 NCHW inputs.
  alias_relu.onnx, qdq_alias_relu.onnx (+ .ref.json)
                       Conv -> Identity -> Relu and Add(relu, conv): float and QDQ (see
                       make_alias_models); the Relu must not be fused.
  bad/*.onnx           models tandem must refuse with a located error.

With `--seeds DIR` it writes the fuzz target's seeds instead (tests/data/models/onnx/seeds:
float_small.onnx, qdq_add_pool.onnx, qlinear_small.onnx; see make_seeds).
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
rng = np.random.default_rng(20)


def model(nodes, inits, name, in_shape, out_shape, opset=13):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
        initializer=[numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m


def save(m, name, check=True):
    if check:
        onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name))


def scale():  # random, non-dyadic
    return np.float32(rng.uniform(0.004, 0.05))


# ---------------------------------------------------------------- QDQ reference arithmetic
def rne_quant(v, zp, lo=-128, hi=127):
    return np.clip(np.rint(v) + zp, lo, hi)  # np.rint rounds half to even


def conv_acc(xq, zx, wq, stride, pads, group):
    """Exact integer accumulator of a convolution: xq [C,H,W] ints, wq [O,C/g,kh,kw]."""
    x = np.pad(xq.astype(np.int64) - zx, ((0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    O, Cg, kh, kw = wq.shape
    C, H, W = x.shape
    oh, ow = (H - kh) // stride + 1, (W - kw) // stride + 1
    acc = np.zeros((O, oh, ow), dtype=np.int64)
    for o in range(O):
        g = o // (O // group)
        for i in range(oh):
            for j in range(ow):
                patch = x[g * Cg:(g + 1) * Cg, i * stride:i * stride + kh, j * stride:j * stride + kw]
                acc[o, i, j] = int((patch * wq[o].astype(np.int64)).sum())
    return acc


class Q:
    """A quantized tensor of the reference: int values (ONNX's own type), scale, zero point."""

    def __init__(self, q, s, z, unsigned=False, pre=None):
        self.q, self.s, self.z, self.unsigned, self.pre = q, np.float64(s), int(z), unsigned, pre

    def int8(self):  # tandem's int8 space
        return self.q - 128 if self.unsigned else self.q

    def real(self):
        return (self.q.astype(np.float64) - self.z) * self.s


def requant(real, s, z, unsigned=False):
    pre = real / np.float64(s)
    lo, hi = (0, 255) if unsigned else (-128, 127)
    return Q(rne_quant(pre, z, lo, hi).astype(np.int64), s, z, unsigned, pre + z)


def record(ref, name, t):
    v = t.int8()
    pre = t.pre - (128 if t.unsigned else 0)
    if v.ndim == 3:  # CHW -> HWC
        v, pre = v.transpose(1, 2, 0), pre.transpose(1, 2, 0)
    ref["layers"].append({"name": name, "out": [int(a) for a in v.reshape(-1)],
                          "pre": [float(a) for a in pre.reshape(-1)]})


class Builder:
    def __init__(self):
        self.nodes, self.inits, self.n = [], {}, 0

    def c(self, name, value):
        self.inits[name] = value
        return name

    def node(self, op, inputs, name=None, **attrs):
        self.n += 1
        out = f"t{self.n}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name or f"{op.lower()}{self.n}", **attrs))
        return out

    def q(self, x, s, z, unsigned=False):
        zp = np.array(z, dtype=np.uint8 if unsigned else np.int8)
        return self.node("QuantizeLinear", [x, self.c(f"s{self.n}", np.array(s, np.float32)), self.c(f"z{self.n}", zp)])

    def dq(self, x, s, z, unsigned=False):
        zp = np.array(z, dtype=np.uint8 if unsigned else np.int8)
        return self.node("DequantizeLinear", [x, self.c(f"s{self.n}", np.array(s, np.float32)), self.c(f"z{self.n}", zp)])

    def dq_weights(self, wq, scales, axis=0):
        n = self.n
        self.nodes.append(helper.make_node("DequantizeLinear", [self.c(f"w{n}", wq.astype(np.int8)),
                                           self.c(f"ws{n}", scales.astype(np.float32)),
                                           self.c(f"wz{n}", np.zeros(len(scales), np.int8))], [f"wd{n}"], axis=axis))
        return f"wd{n}"

    def dq_bias(self, bq, scales):
        n = self.n
        self.nodes.append(helper.make_node("DequantizeLinear", [self.c(f"b{n}", bq.astype(np.int32)),
                                           self.c(f"bs{n}", scales.astype(np.float32)),
                                           self.c(f"bz{n}", np.zeros(len(scales), np.int32))], [f"bd{n}"], axis=0))
        return f"bd{n}"


def fitted_quant(real, unsigned=False):
    """An output scale / zero point that fit the range of `real` (widened to include 0; random,
    non-dyadic, a few values saturate) so that a comparison sees unsaturated values."""
    lo, hi = min(real.min(), 0.0), max(real.max(), 0.0)
    ys = np.float32((hi - lo) / rng.uniform(200, 250))
    yz = int(np.clip(np.rint((0 if unsigned else -128) - lo / np.float64(ys)) + rng.integers(-8, 9),
                     0 if unsigned else -128, 255 if unsigned else 127))
    return ys, yz


def qdq_conv(b, ref, x, t, out_ch, k, stride, pads, group, act, name, fit=False):
    """Conv in QDQ form on quantized tensor t (whose DQ is x); returns (Q output name, Q). fit:
    the output scale and zero point fit the output's range (else random)."""
    cin = t.q.shape[0]
    wq = rng.integers(-127, 128, size=(out_ch, cin // group, k, k))
    ws = rng.uniform(0.002, 0.03, size=out_ch).astype(np.float32)
    bs = (np.float32(t.s) * ws).astype(np.float32)
    bq = rng.integers(-3000, 3000, size=out_ch)
    y = b.node("Conv", [x, b.dq_weights(wq, ws), b.dq_bias(bq, bs)], name=name, pads=list(pads),
               strides=[stride, stride], group=group, kernel_shape=[k, k])
    acc = conv_acc(t.q, t.z, wq, stride, pads, group) + bq[:, None, None]
    real = acc * (np.float64(t.s) * ws.astype(np.float64))[:, None, None]
    if act == "relu":
        y = b.node("Relu", [y])
        real = np.maximum(real, 0)
    elif act == "relu6":
        y = b.node("Clip", [y, b.c(f"lo{b.n}", np.array(0, np.float32)), b.c(f"hi{b.n}", np.array(6, np.float32))])
        real = np.minimum(np.maximum(real, 0), 6)
    s, z = fitted_quant(real) if fit else (scale(), int(rng.integers(-20, 21)))
    out = requant(real, s, z)
    record(ref, name, out)
    return b.q(y, s, z), out


def qdq_input(b, ref, shape, unsigned):
    s, z = scale(), (int(rng.integers(100, 150)) if unsigned else int(rng.integers(-20, 21)))
    xf = rng.normal(0, 1, size=shape).astype(np.float32)
    t = requant(xf.astype(np.float64), s, z, unsigned)
    ref["input"] = [int(a) for a in t.int8().transpose(1, 2, 0).reshape(-1)]
    return b.q("x", s, z, unsigned), t


def make_qdq_chain():
    b, ref = Builder(), {"layers": []}
    xq, t = qdq_input(b, ref, (3, 16, 16), unsigned=True)
    x = b.dq(xq, t.s, t.z, True)
    yq, t = qdq_conv(b, ref, x, t, 8, 3, 2, (1, 1, 1, 1), 1, "relu", "conv1", fit=True)
    yq, t = qdq_conv(b, ref, b.dq(yq, t.s, t.z), t, 8, 3, 1, (1, 1, 1, 1), 8, "relu6", "dw1", fit=True)
    # MaxPool 2x2/2: the same scale and zero point out as in.
    m = b.node("MaxPool", [b.dq(yq, t.s, t.z)], name="pool1", kernel_shape=[2, 2], strides=[2, 2])
    C, H, W = t.q.shape
    mq = t.q.reshape(C, H // 2, 2, W // 2, 2).max(axis=(2, 4))
    t = Q(mq, t.s, t.z, pre=mq.astype(np.float64))
    record(ref, "pool1", t)
    yq = b.q(m, t.s, t.z)
    yq, t = qdq_conv(b, ref, b.dq(yq, t.s, t.z), t, 16, 1, 1, (0, 0, 0, 0), 1, "none", "pw1", fit=True)
    f = b.node("Flatten", [b.dq(yq, t.s, t.z)], axis=1)
    wq = rng.integers(-127, 128, size=(10, t.q.size))
    ws = rng.uniform(0.002, 0.03, size=10).astype(np.float32)
    bq = rng.integers(-3000, 3000, size=10)
    g = b.node("Gemm", [f, b.dq_weights(wq, ws), b.dq_bias(bq, (np.float32(t.s) * ws).astype(np.float32))],
               name="fc", transB=1)
    acc = (wq.astype(np.int64) @ (t.q.reshape(-1).astype(np.int64) - t.z)) + bq
    real = acc * (np.float64(t.s) * ws.astype(np.float64))
    t = requant(real, *fitted_quant(real))
    record(ref, "fc", t)
    out = b.dq(b.q(g, t.s, t.z), t.s, t.z)
    b.nodes.append(helper.make_node("Identity", [out], ["y"]))
    save(model(b.nodes, b.inits, "qdq_chain", [1, 3, 16, 16], [1, 10]), "qdq_chain.onnx")
    json.dump(ref, open(os.path.join(OUT, "qdq_chain.ref.json"), "w"))


def make_qdq_add_pool():
    b, ref = Builder(), {"layers": []}
    xq, t0 = qdq_input(b, ref, (4, 8, 8), unsigned=False)
    aq, a = qdq_conv(b, ref, b.dq(xq, t0.s, t0.z), t0, 8, 3, 1, (1, 1, 1, 1), 1, "relu", "conv_a")
    bq_, bt = qdq_conv(b, ref, b.dq(aq, a.s, a.z), a, 8, 3, 1, (1, 1, 1, 1), 1, "none", "conv_b")
    s = b.node("Add", [b.dq(aq, a.s, a.z), b.dq(bq_, bt.s, bt.z)], name="add")
    t = requant(a.real() + bt.real(), scale(), int(rng.integers(-20, 21)))
    record(ref, "add", t)
    sq = b.q(s, t.s, t.z)
    p = b.node("AveragePool", [b.dq(sq, t.s, t.z)], name="avg", kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1], count_include_pad=0)
    real = t.real()
    C, H, W = real.shape
    out = np.zeros((C, 4, 4))
    for i in range(4):
        for j in range(4):
            h0, w0 = i * 2 - 1, j * 2 - 1
            win = real[:, max(h0, 0):min(h0 + 3, H), max(w0, 0):min(w0 + 3, W)]
            out[:, i, j] = win.mean(axis=(1, 2))
    t = requant(out, scale(), int(rng.integers(-20, 21)))
    record(ref, "avg", t)
    pq = b.q(p, t.s, t.z)
    g = b.node("GlobalAveragePool", [b.dq(pq, t.s, t.z)], name="gap")
    t = requant(t.real().mean(axis=(1, 2))[:, None, None], scale(), int(rng.integers(-20, 21)))
    record(ref, "gap", t)
    out = b.dq(b.q(g, t.s, t.z), t.s, t.z)
    b.nodes.append(helper.make_node("Identity", [out], ["y"]))
    save(model(b.nodes, b.inits, "qdq_add_pool", [1, 4, 8, 8], [1, 8, 1, 1]), "qdq_add_pool.onnx")
    json.dump(ref, open(os.path.join(OUT, "qdq_add_pool.ref.json"), "w"))


# ---------------------------------------------------------------- QLinear (QOperator) models
def zp_array(z, unsigned, size=None):
    dtype = np.uint8 if unsigned else np.int8
    return np.array(z, dtype) if size is None else np.full(size, z, dtype)


def qlinear_out(acc, xs, ws, unsigned):
    """ONNX QLinear*: the integer accumulator times x_scale * w_scale (float64 of the float32
    scales), and an output scale / zero point that fit its range (random, non-dyadic, a few
    values saturate) so that the comparison sees unsaturated values."""
    real = acc.astype(np.float64) * (np.float64(xs) * ws.astype(np.float64)).reshape((-1,) + (1,) * (acc.ndim - 1))
    ys, yz = fitted_quant(real, unsigned)
    return real, ys, yz


def qlinear_conv(b, ref, x, t, out_ch, k, stride, pads, group, name, unsigned_w=False):
    """QLinearConv on quantized tensor name x holding t; int32 bias; per-channel weight scales."""
    cin = t.q.shape[0]
    wz = 128 if unsigned_w else 0
    wq = rng.integers(-127, 128, size=(out_ch, cin // group, k, k))
    ws = rng.uniform(0.002, 0.03, size=out_ch).astype(np.float32)
    bq = rng.integers(-3000, 3000, size=out_ch)
    acc = conv_acc(t.q, t.z, wq, stride, pads, group) + bq[:, None, None]
    real, ys, yz = qlinear_out(acc, t.s, ws, t.unsigned)
    n = b.n
    inputs = [x, b.c(f"xs{n}", np.array(t.s, np.float32)), b.c(f"xz{n}", zp_array(t.z, t.unsigned)),
              b.c(f"w{n}", (wq + wz).astype(np.uint8 if unsigned_w else np.int8)), b.c(f"ws{n}", ws),
              b.c(f"wz{n}", zp_array(wz, unsigned_w, out_ch)),
              b.c(f"ys{n}", np.array(ys, np.float32)), b.c(f"yz{n}", zp_array(yz, t.unsigned)),
              b.c(f"b{n}", bq.astype(np.int32))]
    y = b.node("QLinearConv", inputs, name=name, pads=list(pads), strides=[stride, stride], group=group,
               kernel_shape=[k, k])
    out = requant(real, ys, yz, t.unsigned)  # round half to even, add the zero point, saturate
    record(ref, name, out)
    return y, out


def qlinear_matmul(b, ref, a, t, n_out, name, unsigned_w=False, per_column=True):
    """QLinearMatMul of the flattened quantized tensor a (holding t, any shape) by B [K, N]."""
    wz = 128 if unsigned_w else 0
    K = t.q.size
    wq = rng.integers(-127, 128, size=(K, n_out))
    ws = (rng.uniform(0.002, 0.03, size=n_out) if per_column else np.full(n_out, rng.uniform(0.002, 0.03))).astype(np.float32)
    acc = (t.q.reshape(-1).astype(np.int64) - t.z) @ wq.astype(np.int64)
    real, ys, yz = qlinear_out(acc, t.s, ws, t.unsigned)
    n = b.n
    inputs = [a, b.c(f"as{n}", np.array(t.s, np.float32)), b.c(f"az{n}", zp_array(t.z, t.unsigned)),
              b.c(f"w{n}", (wq + wz).astype(np.uint8 if unsigned_w else np.int8)),
              b.c(f"ws{n}", ws if per_column else np.array(ws[0], np.float32)),
              b.c(f"wz{n}", zp_array(wz, unsigned_w, n_out) if per_column else zp_array(wz, unsigned_w)),
              b.c(f"ys{n}", np.array(ys, np.float32)), b.c(f"yz{n}", zp_array(yz, t.unsigned))]
    y = b.node("QLinearMatMul", inputs, name=name)
    out = requant(real, ys, yz, t.unsigned)
    record(ref, name, out)
    return y, out


def make_qlinear(name, unsigned):
    """QuantizeLinear, QLinearConv 3x3 (pads 1), depthwise QLinearConv 3x3/2 (group = C, explicit
    pads 1), QLinearConv 1x1, Flatten (int8) / Reshape (uint8), QLinearMatMul, DequantizeLinear.
    uint8: uint8 activations, int8 conv weights and uint8 (zero point 128) MatMul weights, as
    onnxruntime's quantizer writes them."""
    b, ref = Builder(), {"layers": []}
    xq, t = qdq_input(b, ref, (3, 10, 10), unsigned)
    y, t = qlinear_conv(b, ref, xq, t, 8, 3, 1, (1, 1, 1, 1), 1, "qconv")
    y, t = qlinear_conv(b, ref, y, t, 8, 3, 2, (1, 1, 1, 1), 8, "qdw")
    y, t = qlinear_conv(b, ref, y, t, 6, 1, 1, (0, 0, 0, 0), 1, "qpw", unsigned_w=unsigned)
    if unsigned:
        f = b.node("Reshape", [y, b.c("shape", np.array([1, -1], np.int64))], name="reshape")
    else:
        f = b.node("Flatten", [y], name="flatten", axis=1)
    y, t = qlinear_matmul(b, ref, f, t, 16, "qfc", unsigned_w=unsigned, per_column=not unsigned)
    out = b.dq(y, t.s, t.z, unsigned)
    b.nodes.append(helper.make_node("Identity", [out], ["y"]))
    save(model(b.nodes, b.inits, name, [1, 3, 10, 10], [1, 16]), name + ".onnx")
    json.dump(ref, open(os.path.join(OUT, name + ".ref.json"), "w"))


def make_qdq_matmul_bias():
    """QDQ Linear layers as exporters write them: MatMul(DQ(x), DQ(W [K, N], per column)) then
    Add with DQ(int32 bias, scale x_scale * w_scale) (bias second, then first), then
    QuantizeLinear; after a QDQ Conv and Flatten. tandem fuses the Add as the layer's bias."""
    b, ref = Builder(), {"layers": []}
    xq, t = qdq_input(b, ref, (3, 6, 6), unsigned=False)
    yq, t = qdq_conv(b, ref, b.dq(xq, t.s, t.z), t, 8, 3, 1, (1, 1, 1, 1), 1, "relu", "conv")
    x = b.node("Flatten", [b.dq(yq, t.s, t.z)], name="flatten", axis=1)
    for name, n_out, bias_first in [("linear1", 24, False), ("linear2", 10, True)]:
        K = t.q.size
        wq = rng.integers(-127, 128, size=(K, n_out))
        ws = rng.uniform(0.002, 0.03, size=n_out).astype(np.float32)
        bq = rng.integers(-3000, 3000, size=n_out)
        mm = b.node("MatMul", [x, b.dq_weights(wq, ws, axis=1)], name=name)
        bias = b.dq_bias(bq, (np.float32(t.s) * ws).astype(np.float32))
        y = b.node("Add", [bias, mm] if bias_first else [mm, bias], name=name + "_bias")
        acc = (t.q.reshape(-1).astype(np.int64) - t.z) @ wq.astype(np.int64) + bq
        real, s, z = qlinear_out(acc, t.s, ws, False)
        t = requant(real, s, z)
        record(ref, name, t)
        x = b.dq(b.q(y, t.s, t.z), t.s, t.z)
    b.nodes.append(helper.make_node("Identity", [x], ["y"]))
    save(model(b.nodes, b.inits, "qdq_matmul_bias", [1, 3, 6, 6], [1, 10]), "qdq_matmul_bias.onnx")
    json.dump(ref, open(os.path.join(OUT, "qdq_matmul_bias.ref.json"), "w"))


# ---------------------------------------------------------------- fusion through aliases
def make_alias_models():
    """A layer's output read through an alias (Identity) by Relu and directly by Add: ONNX
    computes relu(c) + c, so the Relu must not be fused into the Conv (which would make the
    Add read relu(c) twice).
      alias_relu.onnx      float: Conv -> Identity -> Relu, Add(relu, conv).
      qdq_alias_relu.onnx  QDQ: the same on the Conv's real output, which is quantized for the
                           Add too (same scale and zero point as the Relu's); with its .ref.json.
      bad/alias_*.onnx     BatchNormalization, a bias Add and a graph output through an alias,
                           and the QDQ model with the Relu quantized differently: errors."""
    w = (np.sin(np.arange(8 * 3 * 3 * 3)) * 0.4).reshape(8, 3, 3, 3).astype(np.float32)
    bias = np.linspace(-0.3, 0.3, 8).astype(np.float32)
    n = helper.make_node
    nodes = [n("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
             n("Identity", ["c"], ["c_alias"], name="alias"),
             n("Relu", ["c_alias"], ["r"], name="relu"),
             n("Add", ["r", "c"], ["y"], name="add")]
    save(model(nodes, {"w": w, "b": bias}, "alias_relu", [1, 3, 8, 8], [1, 8, 8, 8]), "alias_relu.onnx")

    # QDQ: x -> Q -> DQ -> Conv -> c; Identity(c) -> Relu -> Q(s, z) -> DQ; Q(c, s, z) -> DQ; Add.
    for name, relu_scale_factor in [("qdq_alias_relu", 1.0), ("bad/qdq_alias_relu_requantized", 1.5)]:
        b, ref = Builder(), {"layers": []}
        xq, t = qdq_input(b, ref, (3, 6, 6), unsigned=False)
        wq = rng.integers(-127, 128, size=(8, 3, 3, 3))
        ws = rng.uniform(0.002, 0.03, size=8).astype(np.float32)
        bq = rng.integers(-3000, 3000, size=8)
        c = b.node("Conv", [b.dq(xq, t.s, t.z), b.dq_weights(wq, ws), b.dq_bias(bq, (np.float32(t.s) * ws).astype(np.float32))],
                   name="conv", pads=[1, 1, 1, 1])
        real = (conv_acc(t.q, t.z, wq, 1, (1, 1, 1, 1), 1) + bq[:, None, None]) * (np.float64(t.s) * ws.astype(np.float64))[:, None, None]
        s, z = fitted_quant(real)
        conv = requant(real, s, z)
        relu = requant(np.maximum(real, 0), s, z)
        record(ref, "conv", conv)
        record(ref, "relu", relu)
        i = b.node("Identity", [c], name="alias")
        r = b.node("Relu", [i], name="relu")
        rs = np.float32(s * relu_scale_factor)
        a = b.node("Add", [b.dq(b.q(r, rs, z), rs, z), b.dq(b.q(c, s, z), s, z)], name="add")
        total = relu.real() + conv.real()
        out = requant(total, *fitted_quant(total))
        record(ref, "add", out)
        y = b.dq(b.q(a, out.s, out.z), out.s, out.z)
        b.nodes.append(helper.make_node("Identity", [y], ["y"]))
        save(model(b.nodes, b.inits, name.split("/")[-1], [1, 3, 6, 6], [1, 8, 6, 6]), name + ".onnx")
        if not name.startswith("bad/"):
            json.dump(ref, open(os.path.join(OUT, name + ".ref.json"), "w"))

    # Float models tandem must refuse: what the alias hides has another reader.
    def bad(name, nodes, inits, out_shape=(1, 8, 8, 8)):
        inits = dict({"w": w}, **inits)
        save(model(nodes, inits, name, [1, 3, 8, 8], list(out_shape)), os.path.join("bad", name + ".onnx"))

    bn = {"g": np.ones(8, np.float32), "bb": bias, "m": np.zeros(8, np.float32), "v": np.ones(8, np.float32)}
    bad("alias_batchnorm", [n("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
                            n("Identity", ["c"], ["c_alias"], name="alias"),
                            n("BatchNormalization", ["c_alias", "g", "bb", "m", "v"], ["bn"], name="bn"),
                            n("Add", ["bn", "c"], ["y"], name="add")], bn)
    bad("alias_bias_add", [n("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
                           n("Identity", ["c"], ["c_alias"], name="alias"),
                           n("Add", ["c_alias", "bias"], ["biased"], name="bias_add"),
                           n("Add", ["biased", "c"], ["y"], name="add")], {"bias": bias.reshape(1, 8, 1, 1)})
    # The graph output is the Conv's output, which a Relu reads too (through Identity).
    bad("alias_graph_output", [n("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1]),
                               n("Identity", ["y"], ["c_alias"], name="alias"),
                               n("Relu", ["c_alias"], ["r"], name="relu")], {})
    # A [1, 1, 1, 8] constant on a [1, 8, 8, 8] Conv output adds along the width, not per channel.
    bad("bias_add_width", [n("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
                           n("Add", ["c", "bias"], ["y"], name="bias_add")], {"bias": bias.reshape(1, 1, 1, 8)})
    bad("bias_add_last_axis", [n("Conv", ["x", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
                               n("Add", ["bias", "c"], ["y"], name="bias_add")], {"bias": bias})


# ---------------------------------------------------------------- float MobileNetV2
def make_mobilenet_v2(width=0.25, size=64, classes=10):
    nodes, inits, macs = [], {}, 0
    counter = [0]

    def c(name, value):
        inits[name] = value.astype(np.float32)
        return name

    def conv_bn(x, cin, cout, k, stride, group, act, shape):
        nonlocal macs
        counter[0] += 1
        n = f"features.{counter[0]}"
        pad = (k - 1) // 2
        y = f"{n}.conv"
        w = rng.normal(0, np.sqrt(2.0 / (cin // group * k * k)), size=(cout, cin // group, k, k))
        nodes.append(helper.make_node("Conv", [x, c(n + ".w", w)], [y], name=f"/{n}/Conv", pads=[pad] * 4,
                                      strides=[stride] * 2, group=group, kernel_shape=[k, k]))
        h = (shape + 2 * pad - k) // stride + 1
        macs += h * h * cout * (cin // group) * k * k
        bn = y + ".bn"
        nodes.append(helper.make_node("BatchNormalization",
                                      [y, c(n + ".g", rng.uniform(0.5, 1.5, cout)), c(n + ".b", rng.normal(0, 0.1, cout)),
                                       c(n + ".m", rng.normal(0, 0.1, cout)), c(n + ".v", rng.uniform(0.5, 1.5, cout))],
                                      [bn], epsilon=1e-5))
        if act:
            out = bn + ".relu6"
            nodes.append(helper.make_node("Clip", [bn, c(n + ".lo", np.array(0.0)), c(n + ".hi", np.array(6.0))], [out]))
            return out, h
        return bn, h

    def div8(v):
        return max(8, int(v + 4) // 8 * 8)

    cin = div8(32 * width)
    x, h = conv_bn("x", 3, cin, 3, 2, 1, True, size)
    for t, ch, n, s in [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]:
        cout = div8(ch * width)
        for i in range(n):
            stride = s if i == 0 else 1
            inp, hidden = x, cin * t
            y = x
            if t != 1:
                y, _ = conv_bn(y, cin, hidden, 1, 1, 1, True, h)
            y, h2 = conv_bn(y, hidden, hidden, 3, stride, hidden, True, h)
            y, _ = conv_bn(y, hidden, cout, 1, 1, 1, False, h2)
            if stride == 1 and cin == cout:
                nodes.append(helper.make_node("Add", [inp, y], [y + ".add"], name=f"/block{counter[0]}/Add"))
                y = y + ".add"
            x, h, cin = y, h2, cout
    last = 1280 if width <= 1 else div8(1280 * width)
    last = div8(last * width) if width < 1 else last
    x, h = conv_bn(x, cin, last, 1, 1, 1, True, h)
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"], name="/GlobalAveragePool"))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], name="/Flatten", axis=1))
    nodes.append(helper.make_node("Gemm", ["flat", c("fc.w", rng.normal(0, 0.05, (classes, last))), c("fc.b", rng.normal(0, 0.01, classes))],
                                  ["y"], name="/classifier/Gemm", transB=1))
    macs += last * classes
    save(model(nodes, inits, "mobilenet_v2_tv", [1, 3, size, size], [1, classes]), "mobilenet_v2.onnx")
    json.dump({"macs": int(macs), "layers_conv": counter[0], "classes": classes},
              open(os.path.join(OUT, "mobilenet_v2.json"), "w"))
    np.save(os.path.join(OUT, "calibration.npy"), rng.normal(0, 1, size=(2, 3, size, size)).astype(np.float32))


# ---------------------------------------------------------------- bad models
def make_bad():
    w = rng.normal(0, 1, (8, 3, 3, 3)).astype(np.float32)

    def conv_model(name, tail=None, **attrs):
        nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv0", **attrs)]
        nodes += tail or [helper.make_node("Relu", ["c"], ["y"], name="relu0")]
        inits = {"w": w, "lo": np.array(0, np.float32), "hi": np.array(4, np.float32)}
        save(model(nodes, inits, name, [1, 3, 8, 8], [1, 8, 8, 8]), name + ".onnx")

    conv_model("dilations", kernel_shape=[3, 3], dilations=[2, 2])
    conv_model("pads_too_large", kernel_shape=[3, 3], pads=[3, 3, 3, 3])
    conv_model("unsupported_op", tail=[helper.make_node("Sigmoid", ["c"], ["y"], name="gate")])
    conv_model("clip_range", tail=[helper.make_node("Clip", ["c", "lo", "hi"], ["y"], name="clip4")])
    conv_model("ceil_mode", tail=[helper.make_node("MaxPool", ["c"], ["y"], name="pool", kernel_shape=[2, 2], ceil_mode=1)])
    w2 = rng.normal(0, 1, (8, 4, 3, 3)).astype(np.float32)
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="grouped", group=2, pads=[1, 1, 1, 1])]
    save(model(nodes, {"w": w2}, "group", [1, 8, 8, 8], [1, 8, 8, 8]), "group.onnx")
    # Asymmetric int8 weights in a QDQ model.
    b = Builder()
    xq = b.q("x", 0.02, 0)
    wq = b.node("DequantizeLinear", [b.c("wq", rng.integers(-100, 100, (8, 3, 3, 3)).astype(np.int8)),
                                     b.c("ws", np.float32(0.01)), b.c("wz", np.int8(3))], name="weights_dq")
    y = b.node("Conv", [b.dq(xq, 0.02, 0), wq], name="qconv", pads=[1, 1, 1, 1])
    b.nodes.append(helper.make_node("QuantizeLinear", [y, b.c("ys", np.float32(0.05)), b.c("yz", np.int8(0))], ["y"], name="q_out"))
    m = model(b.nodes, b.inits, "asym", [1, 3, 8, 8], [1, 8, 8, 8])
    m.graph.output[0].type.tensor_type.elem_type = TensorProto.INT8
    save(m, "asymmetric_weights.onnx")
    with open(os.path.join(OUT, "malformed.onnx"), "wb") as f:
        f.write(b"this is not a protobuf \xff\xff\xff\xff")


def make_malformed():
    """Malformed graphs and tensors (no random draws: the other models stay as they are). Each
    must be a located InputError, never another exception."""
    w = np.full((8, 3, 3, 3), 0.1, np.float32)

    def conv_relu(name, weight, extra_nodes=(), extra_inits=None, in_shape=(1, 3, 8, 8)):
        nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv0", pads=[1, 1, 1, 1])]
        nodes += [helper.make_node("Relu", ["c"], ["y"], name="relu0")] if not extra_nodes else list(extra_nodes)
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(in_shape))],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 8, 8])],
                                  initializer=[weight] + list((extra_inits or {}).values()))
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 7
        save(m, name + ".onnx", check=False)

    def tensor(array, name="w"):
        return numpy_helper.from_array(array, name)

    # Initializer data that does not fit its dims.
    t = tensor(w)
    t.raw_data = t.raw_data[:-4]
    conv_relu("raw_data_short", t)
    t = helper.make_tensor("w", TensorProto.FLOAT, [200], [0.5] * 200)
    t.dims[:] = [8, 3, 3, 3]
    conv_relu("float_data_count", t)
    t = tensor(w)
    t.dims[0] = -8
    conv_relu("negative_dim", t)
    t = tensor(np.zeros(0, np.float32))
    t.dims[:] = [1000000000, 1000000000, 1000000000, 0, 1000000000]  # 0 elements, but each dim huge
    conv_relu("zero_sized_huge_weights", t)
    t = tensor(np.zeros(1, np.float32))
    t.dims[:] = [1000000, 1000000, 1000000]  # 10^18 elements: an error, not an allocation
    conv_relu("huge_dims", t)
    t = helper.make_tensor("w", TensorProto.INT8, [8, 3, 3, 3], [1] * 215 + [300])
    conv_relu("int8_out_of_range", t)
    conv_relu("nonfinite_weight", tensor(np.where(np.arange(w.size).reshape(w.shape) == 5, np.inf, w).astype(np.float32)))
    conv_relu("missing_initializer", tensor(w, "w_elsewhere"))
    # Graph structure: a cycle (nodes must come after their inputs), an unknown input, no output.
    conv_relu("cycle", tensor(w), [helper.make_node("Add", ["c", "z"], ["a"], name="add0"),
                                   helper.make_node("Relu", ["a"], ["z"], name="relu_back"),
                                   helper.make_node("Relu", ["a"], ["y"], name="relu_out")])
    conv_relu("unknown_input", tensor(w), [helper.make_node("Add", ["c", "nowhere"], ["y"], name="add0")])
    conv_relu("node_without_output", tensor(w), [helper.make_node("Relu", ["c"], [], name="relu_nothing"),
                                                 helper.make_node("Relu", ["c"], ["y"], name="relu0")])
    conv_relu("attribute_type", tensor(w), [helper.make_node("MaxPool", ["c"], ["y"], name="pool0", kernel_shape=[2, 2],
                                                             strides=[2.0, 2.0])])
    conv_relu("input_too_large", tensor(w), in_shape=(1, 3, 100000, 8))
    # Float weights that overflow float32 on the calibration inputs.
    big = np.full((8, 8, 3, 3), 3e38, np.float32)
    conv_relu("calibration_overflow", tensor(np.full(w.shape, 3e38, np.float32)),
              [helper.make_node("Conv", ["c", "w2"], ["y"], name="conv1", pads=[1, 1, 1, 1])], {"w2": tensor(big, "w2")})

    # Quantization parameters: zero, NaN and infinite scales, in QDQ and QLinear form.
    def qdq(name, x_scale):
        b = Builder()
        xq = b.q("x", np.float32(x_scale), 0)
        wq = b.dq_weights(np.ones((8, 3, 3, 3)), np.full(8, 0.01))
        y = b.node("Conv", [b.dq(xq, 0.02, 0), wq], name="qconv", pads=[1, 1, 1, 1])
        b.nodes.append(helper.make_node("QuantizeLinear", [y, b.c("ys", np.float32(0.05)), b.c("yz", np.int8(0))], ["y"], name="q_out"))
        m = model(b.nodes, b.inits, name, [1, 3, 8, 8], [1, 8, 8, 8])
        m.graph.output[0].type.tensor_type.elem_type = TensorProto.INT8
        save(m, name + ".onnx", check=False)

    qdq("zero_scale", 0.0)
    qdq("nan_scale", np.nan)

    def qlinear(name, w_scales):
        b = Builder()
        xq = b.q("x", np.float32(0.02), 0)
        inputs = [xq, b.c("xs", np.array(0.02, np.float32)), b.c("xz", np.array(0, np.int8)),
                  b.c("wq", np.ones((8, 3, 3, 3), np.int8)), b.c("ws", np.array(w_scales, np.float32)),
                  b.c("wz", np.zeros(len(w_scales), np.int8)), b.c("ys", np.array(0.05, np.float32)),
                  b.c("yz", np.array(0, np.int8))]
        b.nodes.append(helper.make_node("QLinearConv", inputs, ["y"], name="qlconv", pads=[1, 1, 1, 1]))
        m = model(b.nodes, b.inits, name, [1, 3, 8, 8], [1, 8, 8, 8])
        m.graph.output[0].type.tensor_type.elem_type = TensorProto.INT8
        save(m, name + ".onnx", check=False)

    qlinear("inf_weight_scale", [0.01] * 7 + [np.inf])
    qlinear("weight_scale_count", [0.01] * 5)


# ---------------------------------------------------------------- fuzz seeds
def make_float_small():
    """A small float graph with most operators the importer reads: Conv + BatchNormalization +
    Relu, depthwise Conv + Clip(0, 6), 1x1 Conv, Add, Dropout, MaxPool, AveragePool,
    GlobalAveragePool, a Constant shape, Reshape, Gemm, a constant bias Add, Identity."""
    def f(*shape):
        return rng.normal(0, 0.5, size=shape).astype(np.float32)

    inits = {"w1": f(8, 4, 3, 3), "g1": np.ones(8, np.float32), "b1": f(8), "m1": f(8),
             "v1": np.full(8, 0.9, np.float32), "w2": f(8, 1, 3, 3), "lo": np.array(0, np.float32),
             "hi": np.array(6, np.float32), "w3": f(8, 8, 1, 1), "b3": f(8), "fc": f(8, 5), "fcb": f(5)}
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        n("BatchNormalization", ["c1", "g1", "b1", "m1", "v1"], ["bn1"], name="bn1", epsilon=1e-5),
        n("Relu", ["bn1"], ["r1"], name="relu1"),
        n("Conv", ["r1", "w2"], ["c2"], name="dw", pads=[1, 1, 1, 1], group=8, strides=[2, 2]),
        n("Clip", ["c2", "lo", "hi"], ["r2"], name="relu6"),
        n("Conv", ["r2", "w3", "b3"], ["c3"], name="pw"),
        n("Add", ["r2", "c3"], ["a"], name="add"),
        n("Dropout", ["a"], ["d"], name="drop"),
        n("MaxPool", ["d"], ["p1"], name="maxpool", kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 1, 1]),
        n("AveragePool", ["p1"], ["p2"], name="avgpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        n("GlobalAveragePool", ["p2"], ["g"], name="gap"),
        n("Constant", [], ["shape"], name="shape", value=numpy_helper.from_array(np.array([1, -1], np.int64))),
        n("Reshape", ["g", "shape"], ["flat"], name="reshape"),
        n("MatMul", ["flat", "fc"], ["mm"], name="fc"),
        n("Add", ["mm", "fcb"], ["mmb"], name="fc_bias"),
        n("Identity", ["mmb"], ["y"], name="out"),
    ]
    save(model(nodes, inits, "float_small", [1, 4, 8, 8], [1, 5]), "float_small.onnx")


def make_seeds(directory):
    """The fuzz target's seeds (tests/data/models/onnx/seeds, checked in): a float, a QDQ and a
    QLinear model, small; from their own random stream so that they do not depend on the rest."""
    global OUT, rng
    rng = np.random.default_rng(21)
    os.makedirs(directory, exist_ok=True)
    OUT = directory
    make_float_small()
    make_qdq_add_pool()
    make_qlinear("qlinear_small", unsigned=True)
    for name in os.listdir(directory):
        if name.endswith(".ref.json"):
            os.remove(os.path.join(directory, name))


if __name__ == "__main__":
    if OUT == "--seeds":
        make_seeds(sys.argv[2])
        sys.exit(0)
    os.makedirs(OUT, exist_ok=True)
    make_qdq_chain()
    make_qdq_add_pool()
    make_mobilenet_v2()
    top = OUT
    OUT = os.path.join(top, "bad")
    os.makedirs(OUT, exist_ok=True)
    make_bad()
    make_malformed()
    OUT = top  # after the others, so that their random draws stay as they were
    make_qlinear("qlinear_int8", unsigned=False)
    make_qlinear("qlinear_uint8", unsigned=True)
    make_qdq_matmul_bias()
    make_alias_models()  # last, so that its random draws change nothing else
