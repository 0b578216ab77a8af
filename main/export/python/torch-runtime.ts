/**
 * The torch.nn building blocks every generated model_torch.py starts with. Tensors between layers
 * stay in the app's (Keras's) layout, channels last: a convolution or pool moves channels first
 * for torch and back, so Flatten, Reshape, Dense, Concatenate and BatchNormalization (last axis)
 * see the values in exactly the order Keras does, and no flatten permutation is ever needed.
 * Recurrent layers use torch's cuDNN-ready nn.LSTM and nn.RNN where they compute Keras's cell
 * (LSTM with tanh/sigmoid, SimpleRNN with tanh or relu), and a step loop on Keras's own weight
 * layout otherwise: hard_sigmoid gates, other activations, and every GRU — TF.js builds GRUs with
 * reset_after = false only (the reset gate applied before the recurrent product), which torch's
 * nn.GRU (reset after, like cuDNN) cannot compute.
 */
export const TORCH_RUNTIME = String.raw`
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def activation(name):
    """A Keras activation by its name, as TF.js computes it."""
    table = {
        'linear': lambda x: x,
        'relu': torch.relu,
        'sigmoid': torch.sigmoid,
        'tanh': torch.tanh,
        'softmax': lambda x: torch.softmax(x, dim=-1),
        'elu': F.elu,
        'selu': F.selu,
        'softplus': F.softplus,
        'softsign': F.softsign,
        'hard_sigmoid': lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),
        'relu6': F.relu6,
        'swish': F.silu,
        'mish': F.mish,
        'gelu': F.gelu,
    }
    if name not in table:
        raise ValueError('activation %r is not one of %s' % (name, ', '.join(sorted(table))))
    return table[name]


def channels_first(x, rank):
    return x.movedim(-1, 1) if rank > 0 else x


def channels_last(x, rank):
    return x.movedim(1, -1) if rank > 0 else x


def pad_same(x, kernel, strides, dilation, value=0.0):
    """TensorFlow's 'same' padding on a channels-first tensor: the odd pixel goes after."""
    pads = []
    for i in reversed(range(len(kernel))):
        size = x.shape[2 + i]
        out = -(-size // strides[i])
        total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilation[i] + 1 - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads, value=value) if any(pads) else x


class Dense(nn.Module):
    def __init__(self, cin, units, bias, act):
        super().__init__()
        self.linear = nn.Linear(cin, units, bias=bias)
        self.act = activation(act)

    def forward(self, x):
        return self.act(self.linear(x))


class Activation(nn.Module):
    def __init__(self, act):
        super().__init__()
        self.act = activation(act)

    def forward(self, x):
        return self.act(x)


class Conv(nn.Module):
    """Conv1D, Conv2D and DepthwiseConv2D (groups = input channels)."""

    def __init__(self, rank, cin, cout, kernel, strides, padding, dilation, bias, act, groups=1):
        super().__init__()
        cls = nn.Conv1d if rank == 1 else nn.Conv2d
        self.conv = cls(cin, cout, kernel, stride=strides, dilation=dilation, groups=groups, bias=bias)
        self.rank, self.kernel, self.strides, self.dilation, self.same = rank, kernel, strides, dilation, padding == 'same'
        self.act = activation(act)

    def forward(self, x):
        x = channels_first(x, self.rank)
        if self.same:
            x = pad_same(x, self.kernel, self.strides, self.dilation)
        return self.act(channels_last(self.conv(x), self.rank))


class SeparableConv2D(nn.Module):
    def __init__(self, cin, cout, kernel, strides, padding, dilation, bias, act):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, kernel, stride=strides, dilation=dilation, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=bias)
        self.kernel, self.strides, self.dilation, self.same = kernel, strides, dilation, padding == 'same'
        self.act = activation(act)

    def forward(self, x):
        x = channels_first(x, 2)
        if self.same:
            x = pad_same(x, self.kernel, self.strides, self.dilation)
        return self.act(channels_last(self.pointwise(self.depthwise(x)), 2))


class Conv2DTranspose(nn.Module):
    """Keras's sizes: 'same' gives input x strides; 'valid' input x strides + max(kernel - strides, 0)."""

    def __init__(self, cin, cout, kernel, strides, padding, bias, act):
        super().__init__()
        self.conv = nn.ConvTranspose2d(cin, cout, kernel, stride=strides, bias=False)
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.kernel, self.strides, self.same = kernel, strides, padding == 'same'
        self.act = activation(act)

    def forward(self, x):
        size = x.shape[1:3]
        y = self.conv(channels_first(x, 2))
        for axis in range(2):
            k, s = self.kernel[axis], self.strides[axis]
            want = size[axis] * s + (0 if self.same else max(k - s, 0))
            start = max(k - s, 0) // 2 if self.same else 0
            y = y.narrow(2 + axis, start, min(want, y.shape[2 + axis] - start))
            short = want - y.shape[2 + axis]
            if short > 0:
                pads = [0, 0, 0, short] if axis == 0 else [0, short]
                y = F.pad(y, pads)
        if self.bias is not None:
            y = y + self.bias.view(1, -1, 1, 1)
        return self.act(channels_last(y, 2))


class Pool(nn.Module):
    """Max and average pools; TF's 'same' average leaves the padding out of the count."""

    def __init__(self, rank, kind, size, strides, padding):
        super().__init__()
        self.rank, self.kind, self.size, self.strides, self.same = rank, kind, size, strides, padding == 'same'

    def forward(self, x):
        x = channels_first(x, self.rank)
        ones = [1] * self.rank
        if self.kind == 'max':
            if self.same:
                x = pad_same(x, self.size, self.strides, ones, value=float('-inf'))
            y = (F.max_pool1d if self.rank == 1 else F.max_pool2d)(x, self.size, self.strides)
        else:
            avg = F.avg_pool1d if self.rank == 1 else F.avg_pool2d
            if self.same:
                count = avg(pad_same(torch.ones_like(x[:, :1]), self.size, self.strides, ones), self.size, self.strides)
                y = avg(pad_same(x, self.size, self.strides, ones), self.size, self.strides) / count
            else:
                y = avg(x, self.size, self.strides)
        return channels_last(y, self.rank)


class GlobalPool(nn.Module):
    def __init__(self, rank, kind):
        super().__init__()
        self.dims, self.kind = tuple(range(1, rank + 1)), kind

    def forward(self, x):
        return x.mean(dim=self.dims) if self.kind == 'average' else x.amax(dim=self.dims)


class KerasCell(nn.Module):
    """An RNN step loop on Keras's weight layout: kernel (in, gates*units), recurrent_kernel, bias."""

    GATES = {'LSTM': 4, 'GRU': 3, 'SimpleRNN': 1}

    def __init__(self, cell, features, units, act, rec_act, bias, reset_after):
        super().__init__()
        g = self.GATES[cell]
        self.cell, self.units, self.reset_after = cell, units, reset_after
        self.kernel = nn.Parameter(torch.zeros(features, g * units))
        self.recurrent_kernel = nn.Parameter(torch.zeros(units, g * units))
        self.bias = nn.Parameter(torch.zeros((2, g * units) if reset_after else (g * units,))) if bias else None
        self.act, self.rec_act = activation(act), activation(rec_act)

    def forward(self, x):
        batch, steps = x.shape[0], x.shape[1]
        h = x.new_zeros(batch, self.units)
        c = x.new_zeros(batch, self.units)
        u = self.units
        bias_in = self.bias[0] if self.reset_after and self.bias is not None else self.bias
        bias_rec = self.bias[1] if self.reset_after and self.bias is not None else None
        xw = x @ self.kernel
        if bias_in is not None:
            xw = xw + bias_in
        outs = []
        for t in range(steps):
            z = xw[:, t]
            if self.cell == 'LSTM':
                z = z + h @ self.recurrent_kernel
                i, f, g, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
                c = self.rec_act(f) * c + self.rec_act(i) * self.act(g)
                h = self.rec_act(o) * self.act(c)
            elif self.cell == 'GRU':
                rk = self.recurrent_kernel
                if self.reset_after:
                    hr = h @ rk
                    if bias_rec is not None:
                        hr = hr + bias_rec
                    zz = self.rec_act(z[:, :u] + hr[:, :u])
                    r = self.rec_act(z[:, u:2 * u] + hr[:, u:2 * u])
                    hh = self.act(z[:, 2 * u:] + r * hr[:, 2 * u:])
                else:
                    zz = self.rec_act(z[:, :u] + h @ rk[:, :u])
                    r = self.rec_act(z[:, u:2 * u] + h @ rk[:, u:2 * u])
                    hh = self.act(z[:, 2 * u:] + (r * h) @ rk[:, 2 * u:])
                h = zz * h + (1 - zz) * hh
            else:
                h = self.act(z + h @ self.recurrent_kernel)
            outs.append(h)
        return torch.stack(outs, dim=1)


def torch_cell(cell, act, rec_act, reset_after):
    """The torch module class that computes this Keras cell exactly, or None."""
    if cell == 'LSTM' and act == 'tanh' and rec_act == 'sigmoid':
        return nn.LSTM
    if cell == 'SimpleRNN' and act in ('tanh', 'relu'):
        return nn.RNN
    return None


class Recurrent(nn.Module):
    """LSTM, GRU and SimpleRNN on (batch, steps, features). dropout masks the inputs when training;
    Keras's recurrent_dropout (a mask on the state) is not applied."""

    def __init__(self, cell, features, units, act, rec_act, bias, return_sequences, reset_after=False, dropout=0.0):
        super().__init__()
        cls = torch_cell(cell, act, rec_act, reset_after)
        if cls is nn.RNN:
            self.rnn = nn.RNN(features, units, nonlinearity=act, bias=bias, batch_first=True)
        elif cls is not None:
            self.rnn = cls(features, units, bias=bias, batch_first=True)
        else:
            self.rnn = KerasCell(cell, features, units, act, rec_act, bias, reset_after)
        self.return_sequences = return_sequences
        self.dropout = nn.Dropout(dropout) if dropout > 0 else None

    def forward(self, x):
        if self.dropout is not None:
            x = self.dropout(x)
        y = self.rnn(x)
        y = y[0] if isinstance(y, tuple) else y
        return y if self.return_sequences else y[:, -1]


class Bidirectional(nn.Module):
    """Keras runs the backward layer on the reversed steps and, for sequences, reverses its output back."""

    def __init__(self, merge_mode, return_sequences, **cell):
        super().__init__()
        self.forward_layer = Recurrent(return_sequences=True, **cell)
        self.backward_layer = Recurrent(return_sequences=True, **cell)
        self.merge_mode, self.return_sequences = merge_mode, return_sequences

    def forward(self, x):
        f = self.forward_layer(x)
        b = self.backward_layer(torch.flip(x, dims=[1]))
        if self.return_sequences:
            b = torch.flip(b, dims=[1])
        else:
            f, b = f[:, -1], b[:, -1]
        if self.merge_mode == 'concat':
            return torch.cat([f, b], dim=-1)
        if self.merge_mode == 'sum':
            return f + b
        if self.merge_mode == 'mul':
            return f * b
        return (f + b) / 2


class Embedding(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.embedding = nn.Embedding(input_dim, output_dim)

    def forward(self, x):
        return self.embedding(x.long())


class BatchNormalization(nn.Module):
    """On the last axis (Keras momentum m is torch momentum 1 - m); a missing gamma or beta stays 1 or 0."""

    def __init__(self, channels, epsilon, momentum, scale, center):
        super().__init__()
        self.bn = nn.BatchNorm1d(channels, eps=epsilon, momentum=1 - momentum)
        self.bn.weight.requires_grad_(scale)
        self.bn.bias.requires_grad_(center)

    def forward(self, x):
        shape = x.shape
        y = self.bn(x.reshape(-1, shape[-1]) if x.dim() == 2 else x.movedim(-1, 1).reshape(shape[0], shape[-1], -1))
        return y if x.dim() == 2 else y.reshape(shape[0], shape[-1], *shape[1:-1]).movedim(1, -1)


class LayerNormalization(nn.Module):
    def __init__(self, channels, epsilon, scale, center):
        super().__init__()
        self.norm = nn.LayerNorm(channels, eps=epsilon)
        self.norm.weight.requires_grad_(scale)
        self.norm.bias.requires_grad_(center)

    def forward(self, x):
        return self.norm(x)


class SpatialDropout(nn.Module):
    """Drops whole channels (the last axis), the same ones at every step or pixel of a sample."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        shape = (x.shape[0],) + (1,) * (x.dim() - 2) + (x.shape[-1],)
        return x * torch.bernoulli(x.new_full(shape, 1 - self.rate)) / (1 - self.rate)


class Lambda(nn.Module):
    """A layer without weights: Flatten, Reshape, Permute, padding, merges."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def upsample_bilinear(x, fh, fw):
    """TF.js's resizeBilinear without half-pixel centres: source = target / factor (channels last)."""
    def axis(y, dim, factor):
        n = y.shape[dim]
        src = torch.arange(n * factor, device=y.device, dtype=y.dtype) / factor
        i0 = src.floor().long().clamp(max=n - 1)
        i1 = (i0 + 1).clamp(max=n - 1)
        w = (src - i0.to(y.dtype)).view([-1 if d == dim else 1 for d in range(y.dim())])
        return y.index_select(dim, i0) * (1 - w) + y.index_select(dim, i1) * w
    return axis(axis(x, 1, fh), 2, fw)


class TimeDistributed(nn.Module):
    """The inner layer on (batch * steps, ...), reshaped back to (batch, steps, ...)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        b, t = x.shape[0], x.shape[1]
        y = self.layer(x.reshape(b * t, *x.shape[2:]))
        return y.reshape(b, t, *y.shape[1:])


def merge(kind, axis=-1):
    def fn(xs):
        if kind == 'concat':
            return torch.cat(xs, dim=axis)
        out = xs[0]
        for y in xs[1:]:
            out = {'add': torch.add, 'subtract': torch.sub, 'multiply': torch.mul, 'average': torch.add,
                   'maximum': torch.maximum, 'minimum': torch.minimum}[kind](out, y)
        return out / len(xs) if kind == 'average' else out
    return Lambda(fn)
`;
