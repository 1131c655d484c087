#!/usr/bin/python3
"""Reference outputs for the ConvLens engine, computed by PyTorch (Debian's torch 1.13).

Run with the system interpreter, which has torch:  /usr/bin/python3 scripts/gen_engine_fixtures.py

Writes test/fixtures/engine/:
  kernels.json              one case per layer kind and configuration: the layer as YAML, the
                            input(s), parameters, output and, for the kinds with a backward,
                            dy and the autograd gradients; float32 arrays as base64 little-endian
  <model>.cnn.yaml          whole models in the contract's YAML format
  <model>.safetensors       their weights (state_dict names; written by hand, the format is trivial)
  <model>.input.npy         their input
  <model>.expected.json     the final output and an intermediate layer's output

Everything is seeded: running it again gives byte-identical files.

  /usr/bin/python3 scripts/gen_engine_fixtures.py --torchvision DIR

is a heavier, optional check kept out of the repository (the weights are tens of MB): for every
torchvision model in test/fixtures/models/*.cnn.yaml it writes the state_dict (randomized BatchNorm
statistics) as DIR/<model>.safetensors and an input, runs `node dist/cli.js run` on them (build
first) and compares the logits with torchvision's.
"""

import base64
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'engine')
torch.manual_seed(20241128)
rng = np.random.RandomState(20241128)


def b64(t):
    a = np.ascontiguousarray(t.detach().cpu().numpy().astype('<f4'))
    return base64.b64encode(a.tobytes()).decode('ascii')


def arr(t):
    return {'shape': list(t.shape), 'data': b64(t)}


def pair(v):
    return list(v) if isinstance(v, (list, tuple)) else [v, v]


def yaml_layer(kind, params, name='L'):
    """One-layer model in the contract's YAML (a JSON flow mapping is valid YAML)."""
    return name, kind, params


def model_yaml(input_shape, layers, name=None):
    lines = []
    if name:
        lines.append(f'name: {name}')
    lines.append(f'input: {json.dumps(list(input_shape))}')
    lines.append('layers:')
    for layer in layers:
        lines.append(f'  - name: {layer["name"]}')
        lines.append(f'    {layer["kind"]}: {json.dumps(layer.get("params", {}))}')
        if 'from' in layer:
            lines.append(f'    from: {json.dumps(layer["from"])}')
    return '\n'.join(lines) + '\n'


# ---------------------------------------------------------------------------------------------
# torch modules for the contract's kinds (PyTorch names and defaults)

ACTIVATIONS = {
    'relu': lambda p: nn.ReLU(),
    'relu6': lambda p: nn.ReLU6(),
    'leaky_relu': lambda p: nn.LeakyReLU(p.get('negative_slope', 0.01)),
    'sigmoid': lambda p: nn.Sigmoid(),
    'tanh': lambda p: nn.Tanh(),
    'gelu': lambda p: nn.GELU(),
    'silu': lambda p: nn.SiLU(),
    'hardswish': lambda p: nn.Hardswish(),
    'hardsigmoid': lambda p: nn.Hardsigmoid(),
}


# The kinds the TensorFlow.js front end added that PyTorch also has (the TensorFlow-only ones are
# checked against tfjs-layers in test/unit/engine-tfjs.test.ts).
ACTIVATIONS_TF = {
    'elu': lambda p: nn.ELU(p.get('alpha', 1.0)),
    'selu': lambda p: nn.SELU(),
    'softplus': lambda p: nn.Softplus(),
    'softsign': lambda p: nn.Softsign(),
    'mish': lambda p: nn.Mish(),
    'gelu_tanh': lambda p: nn.GELU(approximate='tanh'),
    'identity': lambda p: nn.Identity(),
}


class GlobalPool(nn.Module):
    def __init__(self, reduce):
        super().__init__()
        self.reduce = reduce

    def forward(self, x):
        return x.mean(dim=(2, 3)) if self.reduce == 'mean' else x.amax(dim=(2, 3))


class SeparableConv2d(nn.Module):
    """Depthwise K×K (no bias) then 1×1 with bias, with the engine's parameter names."""

    def __init__(self, c, mid, out, k, stride, padding, dilation, bias):
        super().__init__()
        dw = nn.Conv2d(c, mid, k, stride=stride, padding=padding, dilation=dilation, groups=c, bias=False)
        pw = nn.Conv2d(mid, out, 1, bias=bias)
        self.geometry = dict(stride=stride, padding=padding, dilation=dilation, groups=c)
        self.depthwise_weight = nn.Parameter(dw.weight.detach().clone())
        self.pointwise_weight = nn.Parameter(pw.weight.detach().clone())
        self.bias = nn.Parameter(pw.bias.detach().clone()) if bias else None

    def forward(self, x):
        return F.conv2d(F.conv2d(x, self.depthwise_weight, None, **self.geometry), self.pointwise_weight, self.bias)


class Flatten(nn.Module):
    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return torch.flatten(x, self.start_dim, self.end_dim)


def make_module(kind, p, in_shape):
    c = in_shape[1] if len(in_shape) > 1 else None
    if kind == 'conv2d':
        return nn.Conv2d(c, p['out_channels'], p['kernel_size'], stride=p.get('stride', 1), padding=p.get('padding', 0),
                         dilation=p.get('dilation', 1), groups=p.get('groups', 1), bias=p.get('bias', True))
    if kind == 'conv_transpose2d':
        return nn.ConvTranspose2d(c, p['out_channels'], p['kernel_size'], stride=p.get('stride', 1), padding=p.get('padding', 0),
                                  output_padding=p.get('output_padding', 0), groups=p.get('groups', 1), bias=p.get('bias', True),
                                  dilation=p.get('dilation', 1))
    if kind == 'maxpool2d':
        return nn.MaxPool2d(p['kernel_size'], stride=p.get('stride'), padding=p.get('padding', 0), dilation=p.get('dilation', 1),
                            ceil_mode=p.get('ceil_mode', False))
    if kind == 'avgpool2d':
        return nn.AvgPool2d(p['kernel_size'], stride=p.get('stride'), padding=p.get('padding', 0), ceil_mode=p.get('ceil_mode', False),
                            count_include_pad=p.get('count_include_pad', True))
    if kind == 'adaptive_avgpool2d':
        return nn.AdaptiveAvgPool2d(p['output_size'])
    if kind == 'adaptive_maxpool2d':
        return nn.AdaptiveMaxPool2d(p['output_size'])
    if kind == 'batchnorm2d':
        return nn.BatchNorm2d(c)
    if kind in ACTIVATIONS:
        return ACTIVATIONS[kind](p)
    if kind == 'dropout':
        return nn.Dropout(p.get('p', 0.5))
    if kind == 'flatten':
        return Flatten(p.get('start_dim', 1), p.get('end_dim', -1))
    if kind == 'linear':
        return nn.Linear(in_shape[-1], p['out_features'], bias=p.get('bias', True))
    if kind == 'upsample':
        kw = {'mode': p.get('mode', 'nearest')}
        if 'scale_factor' in p:
            sf = p['scale_factor']
            kw['scale_factor'] = tuple(float(v) for v in sf) if isinstance(sf, list) else float(sf)
        if 'size' in p:
            kw['size'] = tuple(p['size']) if isinstance(p['size'], list) else p['size']
        if 'align_corners' in p:
            kw['align_corners'] = p['align_corners']
        return nn.Upsample(**kw)
    if kind in ('add', 'concat'):
        return None
    if kind in ACTIVATIONS_TF:
        return ACTIVATIONS_TF[kind](p)
    if kind in ('softmax', 'log_softmax'):
        # Over channels: dim 1 of a 4-D tensor, the last dim otherwise.
        dim = 1 if len(in_shape) == 4 else -1
        return nn.Softmax(dim) if kind == 'softmax' else nn.LogSoftmax(dim)
    if kind in ('global_avgpool2d', 'global_maxpool2d'):
        return GlobalPool('mean' if kind == 'global_avgpool2d' else 'max')
    if kind == 'zero_padding2d':
        ph, pw = pair(p.get('padding', 1))
        return nn.ZeroPad2d((p.get('left', pw), p.get('right', pw), p.get('top', ph), p.get('bottom', ph)))
    if kind == 'depthwise_conv2d':
        m = p.get('depth_multiplier', 1)
        return nn.Conv2d(c, c * m, p['kernel_size'], stride=p.get('stride', 1), padding=p.get('padding', 0),
                         dilation=p.get('dilation', 1), groups=c, bias=p.get('bias', True))
    if kind == 'separable_conv2d':
        return SeparableConv2d(c, c * p.get('depth_multiplier', 1), p['out_channels'], p['kernel_size'], p.get('stride', 1),
                               p.get('padding', 0), p.get('dilation', 1), p.get('bias', True))
    raise ValueError(kind)


def randomize_bn(m):
    """Non-trivial affine parameters and running statistics."""
    with torch.no_grad():
        m.weight.uniform_(0.5, 1.5)
        m.bias.uniform_(-0.5, 0.5)
        m.running_mean.uniform_(-0.5, 0.5)
        m.running_var.uniform_(0.5, 2.0)


def apply(kind, p, module, xs):
    if kind == 'add':
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out
    if kind == 'concat':
        return torch.cat(xs, dim=p.get('dim', 1))
    return module(xs[0])


# ---------------------------------------------------------------------------------------------
# per-kind cases

WITH_BACKWARD = {'conv2d', 'maxpool2d', 'avgpool2d', 'linear', 'batchnorm2d', 'relu', 'add', 'concat', 'flatten',
                 'relu6', 'leaky_relu', 'sigmoid', 'tanh', 'gelu', 'silu', 'hardswish', 'hardsigmoid',
                 'elu', 'selu', 'softplus', 'softsign', 'mish', 'gelu_tanh', 'identity'}


def kernel_case(label, kind, p, in_shapes, x_fn=None):
    xs = []
    for i, shape in enumerate(in_shapes):
        x = x_fn(shape) if x_fn else torch.randn(*shape)
        xs.append(x.float().requires_grad_(kind in WITH_BACKWARD))
    module = make_module(kind, p, in_shapes[0])
    if isinstance(module, nn.BatchNorm2d):
        randomize_bn(module)
    if module is not None:
        module.eval()
    y = apply(kind, p, module, xs)
    case = {'label': label, 'kind': kind, 'params': p, 'inputs': [arr(x) for x in xs], 'output': arr(y)}
    state = module.state_dict() if module is not None else {}
    case['weights'] = {k: arr(v.float()) for k, v in state.items() if not k.endswith('num_batches_tracked')}
    if len(in_shapes) == 1:
        case['yaml'] = model_yaml(in_shapes[0], [{'name': 'L', 'kind': kind, 'params': p}])
    if kind in WITH_BACKWARD:
        dy = torch.randn(*y.shape)
        params = [v for v in module.parameters()] if module is not None else []
        grads = torch.autograd.grad(y, xs + params, dy, allow_unused=True)
        names = [k for k, _ in module.named_parameters()] if module is not None else []
        case['backward'] = {
            'dy': arr(dy),
            'inputs': [arr(g) for g in grads[:len(xs)]],
            'params': {n: arr(g) for n, g in zip(names, grads[len(xs):])},
        }
    return case


def distinct(shape):
    """Values with no ties, so max pooling's argmax (and its gradient) is unambiguous."""
    n = int(np.prod(shape))
    return torch.from_numpy((rng.permutation(n).astype(np.float32) / n * 4 - 2).reshape(shape))


def spread(shape):
    """Values over [−7, 7] without landing on an activation's kink (0, ±3, 6)."""
    v = torch.linspace(-7, 7, int(np.prod(shape))).reshape(shape) + 0.0137
    return v


def conv_out(h, k, s, p, d):
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def random_conv_cases(count):
    cases = []
    while len(cases) < count:
        groups = int(rng.choice([1, 1, 2, 3]))
        cin = groups * int(rng.randint(1, 4))
        cout = groups * int(rng.randint(1, 4))
        k = [int(rng.randint(1, 5)), int(rng.randint(1, 5))]
        s = [int(rng.randint(1, 4)), int(rng.randint(1, 4))]
        d = [int(rng.randint(1, 3)), int(rng.randint(1, 3))]
        pd = [int(rng.randint(0, 3)), int(rng.randint(0, 3))]
        h, w = int(rng.randint(5, 12)), int(rng.randint(5, 12))
        if conv_out(h, k[0], s[0], pd[0], d[0]) < 1 or conv_out(w, k[1], s[1], pd[1], d[1]) < 1:
            continue
        n = int(rng.randint(1, 3))
        p = {'out_channels': cout, 'kernel_size': k, 'stride': s, 'padding': pd, 'dilation': d, 'groups': groups,
             'bias': bool(rng.rand() < 0.7)}
        cases.append(kernel_case(f'conv2d random {len(cases)}', 'conv2d', p, [[n, cin, h, w]]))
    return cases


def random_transposed_cases(count):
    cases = []
    while len(cases) < count:
        groups = int(rng.choice([1, 1, 2]))
        cin = groups * int(rng.randint(1, 4))
        cout = groups * int(rng.randint(1, 4))
        k = [int(rng.randint(1, 5)), int(rng.randint(1, 5))]
        s = [int(rng.randint(1, 4)), int(rng.randint(1, 4))]
        d = [int(rng.randint(1, 3)), int(rng.randint(1, 3))]
        pd = [int(rng.randint(0, 3)), int(rng.randint(0, 3))]
        op = [int(rng.randint(0, max(s[i], d[i]))) for i in range(2)]
        h, w = int(rng.randint(2, 7)), int(rng.randint(2, 7))
        oh = (h - 1) * s[0] - 2 * pd[0] + d[0] * (k[0] - 1) + op[0] + 1
        ow = (w - 1) * s[1] - 2 * pd[1] + d[1] * (k[1] - 1) + op[1] + 1
        if oh < 1 or ow < 1:
            continue
        p = {'out_channels': cout, 'kernel_size': k, 'stride': s, 'padding': pd, 'output_padding': op, 'dilation': d,
             'groups': groups, 'bias': bool(rng.rand() < 0.7)}
        cases.append(kernel_case(f'conv_transpose2d random {len(cases)}', 'conv_transpose2d', p, [[int(rng.randint(1, 3)), cin, h, w]]))
    return cases


def pool_out(h, k, s, p, d, ceil):
    num = h + 2 * p - d * (k - 1) - 1
    if ceil:
        o = -(-num // s) + 1
        if (o - 1) * s >= h + p:
            o -= 1
    else:
        o = num // s + 1
    return o


def random_pool_cases(kind, count):
    cases = []
    while len(cases) < count:
        k = [int(rng.randint(1, 5)), int(rng.randint(1, 5))]
        s = [int(rng.randint(1, 4)), int(rng.randint(1, 4))]
        pd = [int(rng.randint(0, k[0] // 2 + 1)), int(rng.randint(0, k[1] // 2 + 1))]
        d = [int(rng.randint(1, 3)), int(rng.randint(1, 3))] if kind == 'maxpool2d' else [1, 1]
        ceil = bool(rng.rand() < 0.5)
        h, w = int(rng.randint(4, 12)), int(rng.randint(4, 12))
        if pool_out(h, k[0], s[0], pd[0], d[0], ceil) < 1 or pool_out(w, k[1], s[1], pd[1], d[1], ceil) < 1:
            continue
        p = {'kernel_size': k, 'stride': s, 'padding': pd, 'ceil_mode': ceil}
        if kind == 'maxpool2d':
            p['dilation'] = d
        else:
            p['count_include_pad'] = bool(rng.rand() < 0.5)
        shape = [int(rng.randint(1, 3)), int(rng.randint(1, 4)), h, w]
        cases.append(kernel_case(f'{kind} random {len(cases)}', kind, p, [shape], distinct if kind == 'maxpool2d' else None))
    return cases


def kernel_cases():
    cases = []
    cases += random_conv_cases(10)
    cases.append(kernel_case('conv2d 1x1 (no gather)', 'conv2d', {'out_channels': 5, 'kernel_size': 1}, [[2, 3, 4, 5]]))
    cases.append(kernel_case("conv2d padding 'same' with an even kernel (asymmetric)", 'conv2d',
                             {'out_channels': 3, 'kernel_size': [4, 2], 'padding': 'same', 'dilation': [1, 3]}, [[1, 2, 6, 7]]))
    cases.append(kernel_case('conv2d depthwise', 'conv2d', {'out_channels': 4, 'kernel_size': 3, 'padding': 1, 'groups': 4, 'stride': 2},
                             [[1, 4, 7, 6]]))
    cases += random_transposed_cases(6)
    cases += random_pool_cases('maxpool2d', 8)
    cases += random_pool_cases('avgpool2d', 8)
    # The ceil_mode window that hangs past the padded bound: PyTorch's divisor clips it to H + pad.
    cases.append(kernel_case('avgpool2d ceil_mode clipped divisor', 'avgpool2d',
                             {'kernel_size': 3, 'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': True}, [[1, 2, 6, 6]]))
    cases.append(kernel_case('maxpool2d ceil_mode last window starts inside', 'maxpool2d',
                             {'kernel_size': 2, 'stride': 2, 'ceil_mode': True}, [[1, 2, 5, 5]], distinct))
    for out in ([3, 3], [4, 2], [7, 5], [1, 1]):
        cases.append(kernel_case(f'adaptive_avgpool2d {out}', 'adaptive_avgpool2d', {'output_size': out}, [[2, 3, 10, 5]]))
        cases.append(kernel_case(f'adaptive_maxpool2d {out}', 'adaptive_maxpool2d', {'output_size': out}, [[2, 3, 10, 5]], distinct))
    cases.append(kernel_case('batchnorm2d eval with running stats', 'batchnorm2d', {}, [[2, 5, 4, 3]]))
    for kind in ACTIVATIONS:
        p = {'negative_slope': 0.2} if kind == 'leaky_relu' else {}
        cases.append(kernel_case(kind, kind, p, [[2, 3, 4, 5]], spread))
    cases.append(kernel_case('dropout (eval: identity)', 'dropout', {'p': 0.3}, [[1, 2, 3, 3]]))
    cases.append(kernel_case('flatten default', 'flatten', {}, [[2, 3, 4, 5]]))
    cases.append(kernel_case('flatten 2..3', 'flatten', {'start_dim': 2, 'end_dim': 3}, [[2, 3, 4, 5]]))
    cases.append(kernel_case('linear 2-D', 'linear', {'out_features': 7}, [[3, 11]]))
    cases.append(kernel_case('linear on the last dim of 4-D', 'linear', {'out_features': 4, 'bias': False}, [[2, 3, 5, 6]]))
    cases.append(kernel_case('add three', 'add', {}, [[2, 3, 4, 4]] * 3))
    cases.append(kernel_case('concat dim 1', 'concat', {}, [[2, 3, 4, 4], [2, 5, 4, 4]]))
    cases.append(kernel_case('concat dim -1', 'concat', {'dim': -1}, [[2, 3, 4, 2], [2, 3, 4, 5]]))
    ups = [
        {'scale_factor': 2},
        {'scale_factor': 1.5},
        {'scale_factor': [3, 0.5]},
        {'size': [7, 5]},
        {'scale_factor': 2, 'mode': 'bilinear'},
        {'scale_factor': 1.7, 'mode': 'bilinear'},
        {'size': [9, 4], 'mode': 'bilinear'},
        {'size': [9, 4], 'mode': 'bilinear', 'align_corners': True},
        {'size': [7, 5], 'mode': 'nearest-exact'},
    ]
    for p in ups:
        cases.append(kernel_case(f'upsample {json.dumps(p)}', 'upsample', p, [[1, 2, 5, 6]]))
    cases += tf_front_end_cases()
    return cases


def tf_front_end_cases():
    """Cases for the kinds added with the TensorFlow.js front end, drawn from their own seeds so the
    cases above and the whole models below stay byte-identical."""
    cases = []
    with torch.random.fork_rng():
        torch.manual_seed(20260101)
        np_state = rng.get_state()
        rng.seed(20260101)
        for kind in ACTIVATIONS_TF:
            cases.append(kernel_case(kind, kind, {'alpha': 0.7} if kind == 'elu' else {}, [[2, 3, 4, 5]], lambda s: spread(s) * 3))
        for kind in ('softmax', 'log_softmax'):
            cases.append(kernel_case(f'{kind} over channels (4-D)', kind, {}, [[2, 5, 3, 4]], lambda s: torch.randn(*s) * 4))
            cases.append(kernel_case(f'{kind} over features (2-D)', kind, {}, [[3, 7]], lambda s: torch.randn(*s) * 4))
        cases.append(kernel_case('global_avgpool2d', 'global_avgpool2d', {}, [[2, 3, 5, 4]]))
        cases.append(kernel_case('global_maxpool2d', 'global_maxpool2d', {}, [[2, 3, 5, 4]], distinct))
        cases.append(kernel_case('zero_padding2d per side', 'zero_padding2d', {'padding': [1, 2], 'top': 0, 'right': 3}, [[1, 2, 3, 4]]))
        for p in ({'kernel_size': 3, 'padding': 1}, {'kernel_size': [3, 2], 'stride': 2, 'depth_multiplier': 2, 'bias': False},
                  {'kernel_size': 3, 'padding': 'same', 'dilation': 2, 'depth_multiplier': 3}):
            cases.append(kernel_case(f'depthwise_conv2d {json.dumps(p)}', 'depthwise_conv2d', p, [[2, 3, 7, 6]]))
        for p in ({'out_channels': 5, 'kernel_size': 3, 'padding': 1}, {'out_channels': 4, 'kernel_size': 3, 'stride': 2, 'depth_multiplier': 2, 'bias': False}):
            cases.append(kernel_case(f'separable_conv2d {json.dumps(p)}', 'separable_conv2d', p, [[2, 3, 7, 6]]))
        rng.set_state(np_state)
    return cases


# ---------------------------------------------------------------------------------------------
# whole models

class Interpreter(nn.Module):
    """Runs a list of layer specs (the YAML's structure) with torch modules named as the layers."""

    def __init__(self, input_shape, layers):
        super().__init__()
        self.layers = layers
        self.mods = nn.ModuleDict()
        shapes = {'input': list(input_shape)}
        prev = 'input'
        for layer in layers:
            srcs = layer.get('from', [prev])
            m = make_module(layer['kind'], layer.get('params', {}), shapes[srcs[0]])
            if m is not None:
                self.mods[layer['name']] = m
            with torch.no_grad():
                xs = [torch.zeros(*shapes[s]) for s in srcs]
                if m is not None:
                    m.eval()
                shapes[layer['name']] = list(apply(layer['kind'], layer.get('params', {}), m, xs).shape)
            prev = layer['name']

    def forward(self, x):
        values = {'input': x}
        prev = 'input'
        for layer in self.layers:
            srcs = layer.get('from', [prev])
            values[layer['name']] = apply(layer['kind'], layer.get('params', {}), self.mods[layer['name']] if layer['name'] in self.mods else None,
                                          [values[s] for s in srcs])
            prev = layer['name']
        return values


def write_safetensors(path, tensors):
    """tensors: list of (name, numpy array, dtype tag) in file order."""
    header, blobs, offset = {}, [], 0
    for name, a, dtype in tensors:
        if dtype == 'F32':
            raw = np.ascontiguousarray(a, dtype='<f4').tobytes()
        elif dtype == 'F64':
            raw = np.ascontiguousarray(a, dtype='<f8').tobytes()
        elif dtype == 'F16':
            raw = np.ascontiguousarray(a, dtype='<f2').tobytes()
        elif dtype == 'BF16':
            bits = np.ascontiguousarray(a, dtype='<f4').view('<u4')
            raw = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype('<u2').tobytes()  # round to nearest even
        elif dtype == 'I64':
            raw = np.ascontiguousarray(a, dtype='<i8').tobytes()
        else:
            raise ValueError(dtype)
        header[name] = {'dtype': dtype, 'shape': list(a.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header['__metadata__'] = {'format': 'pt', 'generator': 'scripts/gen_engine_fixtures.py'}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def stored_value(a, dtype):
    """The float32 value the engine will see after the dtype round trip."""
    if dtype == 'F16':
        return a.astype('<f2').astype('<f4')
    if dtype == 'BF16':
        bits = a.astype('<f4').view('<u4')
        return (((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16).astype('<u4').view('<f4')
    return a.astype('<f4')


def write_npy(path, a, dtype='<f4'):
    np.save(path, np.ascontiguousarray(a.astype(dtype)))


def whole_model(name, input_shape, layers, intermediate, dtypes=None, input_dtype='<f4'):
    model = Interpreter(input_shape, layers)
    for m in model.mods.values():
        if isinstance(m, nn.BatchNorm2d):
            randomize_bn(m)
    model.eval()
    tensors = []
    for key, v in model.state_dict().items():
        key = key[len('mods.'):]
        a = v.detach().numpy()
        if key.endswith('num_batches_tracked'):
            tensors.append((key, a.astype(np.int64), 'I64'))
            continue
        dtype = (dtypes or {}).get(key, 'F32')
        tensors.append((key, a, dtype))
    # The reference uses exactly the values the engine will read back.
    with torch.no_grad():
        sd = model.state_dict()
        for key, a, dtype in tensors:
            if dtype != 'I64':
                sd['mods.' + key].copy_(torch.from_numpy(stored_value(a, dtype).copy()))
    x = torch.randn(*input_shape)
    x = torch.from_numpy(x.numpy().astype(input_dtype).astype(np.float32))
    with torch.no_grad():
        values = model(x)
    with open(os.path.join(OUT, f'{name}.cnn.yaml'), 'w') as f:
        f.write(model_yaml(input_shape, layers, name))
    write_safetensors(os.path.join(OUT, f'{name}.safetensors'), tensors)
    write_npy(os.path.join(OUT, f'{name}.input.npy'), x.numpy(), input_dtype)
    last = layers[-1]['name']
    expected = {'final': last, 'intermediate': intermediate, 'outputs': {last: arr(values[last]), intermediate: arr(values[intermediate])}}
    with open(os.path.join(OUT, f'{name}.expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')


def resnet_layers():
    L = []

    def add(name, kind, params=None, src=None):
        layer = {'name': name, 'kind': kind, 'params': params or {}}
        if src is not None:
            layer['from'] = src
        L.append(layer)

    add('stem', 'conv2d', {'out_channels': 16, 'kernel_size': 3, 'padding': 1, 'bias': False})
    add('stem_bn', 'batchnorm2d')
    add('stem_relu', 'relu')
    add('pool', 'maxpool2d', {'kernel_size': 3, 'stride': 2, 'padding': 1})
    # block 1: identity shortcut
    add('b1_conv1', 'conv2d', {'out_channels': 16, 'kernel_size': 3, 'padding': 1, 'bias': False})
    add('b1_bn1', 'batchnorm2d')
    add('b1_relu1', 'relu')
    add('b1_conv2', 'conv2d', {'out_channels': 16, 'kernel_size': 3, 'padding': 1, 'bias': False})
    add('b1_bn2', 'batchnorm2d')
    add('b1_add', 'add', src=['b1_bn2', 'pool'])
    add('b1_out', 'relu')
    # block 2: stride 2, projection shortcut
    add('b2_conv1', 'conv2d', {'out_channels': 32, 'kernel_size': 3, 'stride': 2, 'padding': 1, 'bias': False})
    add('b2_bn1', 'batchnorm2d')
    add('b2_relu1', 'relu')
    add('b2_conv2', 'conv2d', {'out_channels': 32, 'kernel_size': 3, 'padding': 1, 'bias': False})
    add('b2_bn2', 'batchnorm2d')
    add('b2_down', 'conv2d', {'out_channels': 32, 'kernel_size': 1, 'stride': 2, 'bias': False}, src=['b1_out'])
    add('b2_down_bn', 'batchnorm2d')
    add('b2_add', 'add', src=['b2_bn2', 'b2_down_bn'])
    add('b2_out', 'relu')
    add('gap', 'adaptive_avgpool2d', {'output_size': 1})
    add('flat', 'flatten')
    add('fc', 'linear', {'out_features': 10})
    return L


def mixed_layers():
    """A small net touching the other kinds, its weights stored as F16, BF16 and F64 as well as F32."""
    return [
        {'name': 'conv1', 'kind': 'conv2d', 'params': {'out_channels': 6, 'kernel_size': 5, 'padding': 2}},
        {'name': 'act1', 'kind': 'gelu', 'params': {}},
        {'name': 'pool1', 'kind': 'maxpool2d', 'params': {'kernel_size': 2, 'stride': 2, 'ceil_mode': True}},
        {'name': 'dw', 'kind': 'conv2d', 'params': {'out_channels': 6, 'kernel_size': 3, 'padding': 1, 'groups': 6}},
        {'name': 'bn', 'kind': 'batchnorm2d', 'params': {}},
        {'name': 'act2', 'kind': 'hardswish', 'params': {}},
        {'name': 'up', 'kind': 'conv_transpose2d', 'params': {'out_channels': 4, 'kernel_size': 2, 'stride': 2}},
        {'name': 'skip', 'kind': 'upsample', 'params': {'scale_factor': 2}, 'from': ['act2']},
        {'name': 'cat', 'kind': 'concat', 'params': {}, 'from': ['up', 'skip']},
        {'name': 'avg', 'kind': 'avgpool2d', 'params': {'kernel_size': 3, 'stride': 2, 'padding': 1, 'count_include_pad': False}},
        {'name': 'act3', 'kind': 'silu', 'params': {}},
        {'name': 'head', 'kind': 'adaptive_maxpool2d', 'params': {'output_size': [2, 2]}},
        {'name': 'flat', 'kind': 'flatten', 'params': {}},
        {'name': 'drop', 'kind': 'dropout', 'params': {'p': 0.2}},
        {'name': 'fc1', 'kind': 'linear', 'params': {'out_features': 12}},
        {'name': 'act4', 'kind': 'tanh', 'params': {}},
        {'name': 'fc2', 'kind': 'linear', 'params': {'out_features': 5}},
    ]


def check_torchvision(outdir):
    import subprocess
    import sys
    import torchvision
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    os.makedirs(outdir, exist_ok=True)
    worst = 0.0
    for name in ['alexnet', 'googlenet', 'mobilenet_v2', 'resnet18', 'resnet50', 'squeezenet1_1', 'vgg11']:
        torch.manual_seed(0)
        if name == 'googlenet':
            model = torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False)
        else:
            model = getattr(torchvision.models, name)(weights=None)
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                randomize_bn(m)
        model.eval()
        tensors = [(k, v.detach().numpy(), 'I64' if k.endswith('num_batches_tracked') else 'F32') for k, v in model.state_dict().items()]
        weights = os.path.join(outdir, f'{name}.safetensors')
        write_safetensors(weights, tensors)
        x = torch.randn(1, 3, 224, 224)
        inp = os.path.join(outdir, f'{name}.input.npy')
        write_npy(inp, x.numpy())
        with torch.no_grad():
            expected = model(x).numpy()
        out = os.path.join(outdir, f'{name}.engine.npy')
        run = subprocess.run(['node', os.path.join(root, 'dist', 'cli.js'), 'run', os.path.join(root, 'test', 'fixtures', 'models', f'{name}.cnn.yaml'),
                              '--weights', weights, '--input', inp, '--out', out], capture_output=True, text=True)
        if run.returncode != 0:
            print(f'{name}: convlens run failed ({run.returncode}): {run.stderr.strip()}')
            worst = float('inf')
            continue
        got = np.load(out)
        err = float(np.abs(got - expected).max() / (expected.max() - expected.min()))
        worst = max(worst, err)
        print(f'{name}: logits {list(expected.shape)}, max |engine - torch| / range = {err:.2e}, '
              f'top-1 {int(got.argmax())} vs {int(expected.argmax())}')
    print(f'worst {worst:.2e}')
    sys.exit(0 if worst <= 1e-4 else 1)


def main():
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == '--torchvision':
        check_torchvision(sys.argv[2])
        return
    os.makedirs(OUT, exist_ok=True)
    cases = kernel_cases()
    with open(os.path.join(OUT, 'kernels.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
        f.write('\n')
    whole_model('resnet_small', [2, 3, 32, 32], resnet_layers(), 'b2_add')
    whole_model('mixed_dtypes', [1, 3, 15, 13], mixed_layers(), 'cat',
                dtypes={'conv1.weight': 'F16', 'dw.weight': 'BF16', 'fc1.weight': 'F64', 'bn.running_var': 'F64', 'up.bias': 'F16'},
                input_dtype='<f8')
    print(f'{len(cases)} kernel cases and 2 models written to {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
