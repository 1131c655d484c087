#!/usr/bin/env python3
"""Writes the PyTorch oracle fixtures that the unit tests compare the analyzer against.

Run from the repository root with Debian's Python, which has torch 1.13 and torchvision 0.14:

    /usr/bin/python3 scripts/gen_fixtures.py            # writes test/fixtures/...
    /usr/bin/python3 scripts/gen_fixtures.py --out DIR  # writes DIR/... instead (to diff a rerun)

CI never runs this script; it only reads what it wrote. The output is deterministic (a fixed seed,
no timestamps), so a rerun on the same torch/torchvision reproduces the committed files byte for
byte.

Outputs:
  test/fixtures/geometry.json
      Random single-layer configurations (conv2d, conv_transpose2d, max/avg pooling, adaptive
      pooling), each built as a real torch module and run on a zero tensor. A case records the
      input shape, the layer kind and its parameters in the YAML spelling of
      docs/model-format.md, and what torch answered: {"output_shape", "params"[, "macs"]} or
      {"error": <torch's message>}. conv2d MACs are N·Cout·Hout·Wout·(Cin/groups)·KH·KW taken
      from the torch output tensor's shape and the weight tensor's shape.
  test/fixtures/models/<name>.cnn.yaml, <name>.expected.json
      torchvision models (weights=None, nothing is downloaded) traced with torch.fx and emitted
      as ConvLens YAML: a layer per module call or functional op, named by its module path so
      names match state_dict keys (a module called again, such as ResNet's shared ReLU, gets
      `_2`, `_3`; a functional op is named `<enclosing module path>.<op>`). The expected file
      holds every layer's output shape seen by forward hooks during a real forward pass of a
      [1, 3, 224, 224] input, its parameter count, its MACs by the contract's convention and the
      totals; the parameter total is asserted equal to sum(p.numel()) of the torch model.
"""

import argparse
import json
import math
import operator
import os
import random
import sys
import warnings

import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import yaml

SEED = 20240611
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------------------------
# Geometry: single-layer configurations
# ---------------------------------------------------------------------------------------------


def torch_pair(v):
    """YAML spelling (int or [h, w]) to what torch modules take (int or tuple)."""
    return tuple(v) if isinstance(v, list) else v


def as_pair(v):
    return (v[0], v[1]) if isinstance(v, list) else (v, v)


def build_module(kind, in_channels, p):
    """The torch module for a YAML layer; applies the contract's defaults."""
    if kind in ('conv2d', 'conv_transpose2d'):
        kwargs = dict(
            in_channels=in_channels,
            out_channels=p['out_channels'],
            kernel_size=torch_pair(p['kernel_size']),
            stride=torch_pair(p.get('stride', 1)),
            padding=torch_pair(p.get('padding', 0)),
            dilation=torch_pair(p.get('dilation', 1)),
            groups=p.get('groups', 1),
            bias=p.get('bias', True),
        )
        if kind == 'conv2d':
            return nn.Conv2d(**kwargs)
        return nn.ConvTranspose2d(output_padding=torch_pair(p.get('output_padding', 0)), **kwargs)
    if kind == 'maxpool2d':
        return nn.MaxPool2d(
            kernel_size=torch_pair(p['kernel_size']),
            stride=torch_pair(p.get('stride', p['kernel_size'])),
            padding=torch_pair(p.get('padding', 0)),
            dilation=torch_pair(p.get('dilation', 1)),
            ceil_mode=p.get('ceil_mode', False),
        )
    if kind == 'avgpool2d':
        return nn.AvgPool2d(
            kernel_size=torch_pair(p['kernel_size']),
            stride=torch_pair(p.get('stride', p['kernel_size'])),
            padding=torch_pair(p.get('padding', 0)),
            ceil_mode=p.get('ceil_mode', False),
            count_include_pad=p.get('count_include_pad', True),
        )
    if kind == 'adaptive_avgpool2d':
        return nn.AdaptiveAvgPool2d(torch_pair(p['output_size']))
    if kind == 'adaptive_maxpool2d':
        return nn.AdaptiveMaxPool2d(torch_pair(p['output_size']))
    raise ValueError(kind)


def run_torch(input_shape, kind, p):
    """What torch says about one configuration: shape and parameter count, or its error."""
    try:
        module = build_module(kind, input_shape[1], p)
        with torch.no_grad():
            out = module(torch.zeros(input_shape))
    except (RuntimeError, ValueError) as e:
        return {'error': str(e)}
    result = {'output_shape': list(out.shape), 'params': sum(t.numel() for t in module.parameters())}
    if kind == 'conv2d':
        n, c_out, h_out, w_out = out.shape
        _, c_in_per_group, kh, kw = module.weight.shape
        result['macs'] = n * c_out * h_out * w_out * c_in_per_group * kh * kw
    return result


class CaseGen:
    """Random configurations. Every helper draws from one seeded generator, so the order of the
    groups below is part of the fixture's identity."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def maybe_pair(self, lo, hi, pair_chance=0.35, equal_as_int=True):
        """An int, or an [h, w] pair (usually with h != w)."""
        r = self.r
        if r.random() < pair_chance:
            a, b = r.randint(lo, hi), r.randint(lo, hi)
            if a == b and equal_as_int and r.random() < 0.5:
                return a
            return [a, b]
        return r.randint(lo, hi)

    def input_shape(self, c=None, lo=1, hi=32):
        r = self.r
        n = 2 if r.random() < 0.08 else 1
        c = c if c is not None else r.randint(1, 6)
        h = r.randint(lo, hi)
        w = h if r.random() < 0.3 else r.randint(lo, hi)
        return [n, c, h, w]

    def channels_for_groups(self, max_groups=4):
        r = self.r
        g = r.randint(1, max_groups)
        return g, g * r.randint(1, 3), g * r.randint(1, 3)

    def conv_common(self, out_channels, kernel, stride=None, padding=None, dilation=None, groups=None):
        p = {'out_channels': out_channels, 'kernel_size': kernel}
        if stride is not None:
            p['stride'] = stride
        if padding is not None:
            p['padding'] = padding
        if dilation is not None:
            p['dilation'] = dilation
        if groups is not None:
            p['groups'] = groups
        if self.r.random() < 0.3:
            p['bias'] = False
        return p

    # -- conv2d ------------------------------------------------------------------------------

    def conv_stride_padding(self):
        r = self.r
        shape = self.input_shape(lo=3)
        k = self.maybe_pair(1, 7)
        s = self.maybe_pair(1, 4)
        pad = self.maybe_pair(0, 3)
        return shape, 'conv2d', self.conv_common(r.randint(1, 8), k, stride=s, padding=pad)

    def conv_padding_forms(self):
        r = self.r
        shape = self.input_shape()
        k = self.maybe_pair(1, 6)
        form = r.choice(['same', 'same', 'valid', 'int', 'pair'])
        d = self.maybe_pair(1, 3) if r.random() < 0.4 else None
        if form in ('same', 'valid'):
            pad = form
        elif form == 'int':
            pad = r.randint(0, 4)
        else:
            pad = [r.randint(0, 4), r.randint(0, 4)]
        s = None if form == 'same' or r.random() < 0.5 else self.maybe_pair(1, 3)
        return shape, 'conv2d', self.conv_common(r.randint(1, 8), k, stride=s, padding=pad, dilation=d)

    def conv_dilation(self):
        r = self.r
        shape = self.input_shape(lo=4)
        k = self.maybe_pair(2, 5)
        d = self.maybe_pair(1, 4, pair_chance=0.5)
        s = self.maybe_pair(1, 3) if r.random() < 0.5 else None
        pad = self.maybe_pair(0, 4) if r.random() < 0.7 else None
        return shape, 'conv2d', self.conv_common(r.randint(1, 8), k, stride=s, padding=pad, dilation=d)

    def conv_groups(self):
        r = self.r
        if r.random() < 0.45:  # depthwise, with a channel multiplier
            c = r.randint(1, 8)
            g, c_in, c_out = c, c, c * r.choice([1, 1, 2, 3])
        else:
            g, c_in, c_out = self.channels_for_groups()
        shape = self.input_shape(c=c_in, lo=3)
        k = self.maybe_pair(1, 5)
        s = self.maybe_pair(1, 3) if r.random() < 0.6 else None
        pad = r.choice([None, self.maybe_pair(0, 2), 'same' if s is None else 'valid'])
        return shape, 'conv2d', self.conv_common(c_out, k, stride=s, padding=pad, groups=g)

    def conv_invalid(self):
        r = self.r
        what = r.choice(['kernel-too-large', 'kernel-too-large', 'dilated-too-large', 'same-strided',
                         'groups-in', 'groups-out', 'valid-too-large'])
        if what in ('kernel-too-large', 'valid-too-large'):
            shape = self.input_shape(lo=1, hi=6)
            h, w = shape[2], shape[3]
            pad = 'valid' if what == 'valid-too-large' else self.maybe_pair(0, 1)
            ph, pw = (0, 0) if pad == 'valid' else as_pair(pad)
            # One axis (or both) longer than the padded input.
            kh = h + 2 * ph + r.randint(1, 3) if r.random() < 0.7 else r.randint(1, h + 2 * ph)
            kw = w + 2 * pw + r.randint(1, 3) if kh <= h + 2 * ph or r.random() < 0.5 else r.randint(1, w + 2 * pw)
            return shape, 'conv2d', self.conv_common(r.randint(1, 4), [kh, kw], padding=pad)
        if what == 'dilated-too-large':
            shape = self.input_shape(lo=3, hi=10)
            k = r.randint(2, 4)
            d = r.randint(max(2, shape[2] // (k - 1)), shape[2] + 2)
            return shape, 'conv2d', self.conv_common(r.randint(1, 4), k, dilation=d, padding=self.maybe_pair(0, 2))
        if what == 'same-strided':
            shape = self.input_shape()
            s = r.choice([2, 3, [2, 1], [1, 2]])
            return shape, 'conv2d', self.conv_common(r.randint(1, 4), self.maybe_pair(1, 5), stride=s, padding='same')
        g = r.randint(2, 4)
        good, bad = g * r.randint(1, 3), g * r.randint(1, 3) + r.randint(1, g - 1)
        c_in, c_out = (bad, good) if what == 'groups-in' else (good, bad)
        shape = self.input_shape(c=c_in)
        return shape, 'conv2d', self.conv_common(c_out, self.maybe_pair(1, 3), groups=g)

    # -- conv_transpose2d ----------------------------------------------------------------------

    def conv_transpose(self):
        r = self.r
        g, c_in, c_out = self.channels_for_groups(3) if r.random() < 0.35 else (None, r.randint(1, 6), r.randint(1, 6))
        shape = self.input_shape(c=c_in, hi=16)
        k = self.maybe_pair(1, 5)
        s = self.maybe_pair(1, 4)
        d = self.maybe_pair(1, 3) if r.random() < 0.4 else 1
        pad = self.maybe_pair(0, 2) if r.random() < 0.7 else None
        sh, sw = as_pair(s)
        dh, dw = as_pair(d)
        p = self.conv_common(c_out, k, stride=s, padding=pad, dilation=None if d == 1 else d, groups=g)
        if r.random() < 0.6:  # a legal output_padding: smaller than stride or dilation on each axis
            oh, ow = r.randint(0, max(sh, dh) - 1), r.randint(0, max(sw, dw) - 1)
            if oh or ow:
                p['output_padding'] = oh if oh == ow else [oh, ow]
        return shape, 'conv_transpose2d', p

    def conv_transpose_invalid(self):
        r = self.r
        c_in, c_out = r.randint(1, 4), r.randint(1, 4)
        if r.random() < 0.5:  # output_padding not smaller than stride nor dilation
            shape = self.input_shape(c=c_in, hi=10)
            s = r.randint(1, 3)
            d = r.randint(1, 3)
            op = max(s, d) + r.randint(0, 1)
            p = self.conv_common(c_out, r.randint(1, 4), stride=s, dilation=None if d == 1 else d)
            p['output_padding'] = op if r.random() < 0.6 else [op, 0]
            return shape, 'conv_transpose2d', p
        # Padding eats the whole output.
        shape = self.input_shape(c=c_in, lo=1, hi=3)
        k = r.randint(1, 3)
        s = r.randint(1, 2)
        full = (shape[2] - 1) * s + k
        pad = r.randint(max(1, full // 2), full // 2 + 2)
        return shape, 'conv_transpose2d', self.conv_common(c_out, k, stride=s, padding=pad)

    # -- pooling -------------------------------------------------------------------------------

    def pool_params(self, kind, legal_padding=True):
        r = self.r
        k = self.maybe_pair(1, 6)
        kh, kw = as_pair(k)
        p = {'kernel_size': k}
        if r.random() < 0.7:
            p['stride'] = self.maybe_pair(1, 4)
        if not legal_padding or r.random() < 0.6:
            if legal_padding:
                ph, pw = r.randint(0, kh // 2), r.randint(0, kw // 2)
            else:
                ph, pw = kh // 2 + r.randint(1, 2), r.randint(0, kw // 2 + 1)
                if r.random() < 0.5:
                    ph, pw = pw, ph
                    if pw <= kw // 2 and ph <= kh // 2:
                        pw = kw // 2 + 1
            p['padding'] = ph if ph == pw and r.random() < 0.6 else [ph, pw]
        if kind == 'maxpool2d' and r.random() < 0.35:
            p['dilation'] = self.maybe_pair(1, 3)
        if r.random() < 0.4:
            p['ceil_mode'] = r.random() < 0.7
        if kind == 'avgpool2d' and r.random() < 0.4:
            p['count_include_pad'] = r.random() < 0.3
        return p

    def maxpool(self):
        return self.input_shape(), 'maxpool2d', self.pool_params('maxpool2d')

    def avgpool(self):
        return self.input_shape(), 'avgpool2d', self.pool_params('avgpool2d')

    def pool_invalid(self):
        r = self.r
        kind = r.choice(['maxpool2d', 'avgpool2d'])
        if r.random() < 0.5:
            return self.input_shape(), kind, self.pool_params(kind, legal_padding=False)
        # A window longer than the padded input: output size 0 or less.
        shape = self.input_shape(lo=1, hi=5)
        k = [shape[2] + r.randint(1, 4), r.randint(1, 3)] if r.random() < 0.5 else shape[2] + r.randint(1, 4)
        p = {'kernel_size': k}
        if r.random() < 0.4:
            p['ceil_mode'] = True
        if r.random() < 0.5:
            p['stride'] = r.randint(1, 3)
        return shape, kind, p

    def pool_ceil_last_window(self):
        """ceil_mode configurations where PyTorch's last-window rule removes one output."""
        r = self.r
        while True:
            kind = r.choice(['maxpool2d', 'avgpool2d'])
            shape = self.input_shape(hi=20)
            k = self.maybe_pair(1, 4)
            kh, kw = as_pair(k)
            s = self.maybe_pair(2, 6)
            p = {'kernel_size': k, 'stride': s, 'ceil_mode': True}
            if r.random() < 0.6:
                ph, pw = r.randint(0, kh // 2), r.randint(0, kw // 2)
                p['padding'] = ph if ph == pw else [ph, pw]
            if kind == 'avgpool2d' and r.random() < 0.5:
                p['count_include_pad'] = False
            if ceil_rule_fires(shape, p):
                return shape, kind, p

    def adaptive(self):
        r = self.r
        kind = r.choice(['adaptive_avgpool2d', 'adaptive_maxpool2d'])
        shape = self.input_shape(hi=24)
        if r.random() < 0.3:  # larger than the input: windows overlap
            out = [shape[2] + r.randint(0, 5), r.randint(1, shape[3] + 5)]
        else:
            out = self.maybe_pair(1, 8, pair_chance=0.6)
        return shape, kind, {'output_size': out}


def ceil_rule_fires(shape, p):
    """Whether ceil_mode's plain ceiling overshoots on some axis (the rule must remove one)."""
    for axis in (0, 1):
        size = shape[2 + axis]
        k = as_pair(p['kernel_size'])[axis]
        s = as_pair(p.get('stride', p['kernel_size']))[axis]
        pad = as_pair(p.get('padding', 0))[axis]
        num = size + 2 * pad - k
        if num < 0:
            return False
        out = -(-num // s) + 1
        if (out - 1) * s >= size + pad:
            return True
    return False


GEOMETRY_GROUPS = [
    # (group name, generator method, count)
    ('conv2d/stride-padding', 'conv_stride_padding', 200),
    ('conv2d/padding-forms', 'conv_padding_forms', 160),
    ('conv2d/dilation', 'conv_dilation', 120),
    ('conv2d/groups', 'conv_groups', 150),
    ('conv2d/errors-and-edges', 'conv_invalid', 140),
    ('conv_transpose2d/random', 'conv_transpose', 170),
    ('conv_transpose2d/errors-and-edges', 'conv_transpose_invalid', 50),
    ('maxpool2d/random', 'maxpool', 170),
    ('avgpool2d/random', 'avgpool', 150),
    ('pool/ceil-mode-last-window', 'pool_ceil_last_window', 80),
    ('pool/errors-and-edges', 'pool_invalid', 90),
    ('adaptive-pool', 'adaptive', 100),
]


def generate_geometry():
    gen = CaseGen(SEED)
    cases = []
    for group, method, count in GEOMETRY_GROUPS:
        for _ in range(count):
            shape, kind, params = getattr(gen, method)()
            cases.append({
                'id': len(cases) + 1,
                'group': group,
                'input': shape,
                'kind': kind,
                'parameters': params,
                'torch': run_torch(shape, kind, params),
            })
    return cases


def write_geometry(path):
    cases = generate_geometry()
    header = {
        'description': 'Single-layer configurations run in PyTorch; written by scripts/gen_fixtures.py. '
                       'torch is either {output_shape, params[, macs]} or {error}.',
        'torch_version': torch.__version__,
        'seed': SEED,
        'count': len(cases),
    }
    with open(path, 'w') as f:
        f.write('{\n')
        for key, value in header.items():
            f.write(f'  {json.dumps(key)}: {json.dumps(value)},\n')
        f.write('  "cases": [\n')
        f.write(',\n'.join('    ' + json.dumps(c, separators=(', ', ': ')) for c in cases))
        f.write('\n  ]\n}\n')
    errors = sum(1 for c in cases if 'error' in c['torch'])
    print(f'geometry: {len(cases)} cases ({errors} torch errors) -> {os.path.relpath(path, REPO)}')
    for group, _, _ in GEOMETRY_GROUPS:
        in_group = [c for c in cases if c['group'] == group]
        print(f'  {group:36s} {len(in_group):4d} cases, {sum("error" in c["torch"] for c in in_group):3d} errors')
    return cases


# ---------------------------------------------------------------------------------------------
# torchvision models: fx trace -> ConvLens YAML + hook-observed expectations
# ---------------------------------------------------------------------------------------------

# torchvision's published figures (model docs: num_params and GFLOPS, which are GMACs there).
PUBLISHED = {
    'resnet18': (11_689_512, 1.81),
    'mobilenet_v2': (3_504_872, 0.30),
    'resnet50': (25_557_032, 4.09),
    'vgg11': (132_863_336, 7.61),
    'alexnet': (61_100_840, 0.71),
    'googlenet': (6_624_904, 1.50),
    'squeezenet1_1': (1_235_496, 0.35),
}


def build_torchvision(name):
    if name == 'googlenet':
        # The auxiliary heads only run in training and are not in the published parameter count.
        return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False)
    return getattr(torchvision.models, name)(weights=None)


class ScopedTracer(fx.Tracer):
    """symbolic_trace that also records, for each node, the path of the module whose forward
    created it, so functional ops (residual adds, torch.cat, F.relu) can be named after it."""

    def __init__(self):
        super().__init__()
        self.scope = ''

    def call_module(self, m, forward, args, kwargs):
        outer = self.scope
        self.scope = self.path_of_module(m)
        try:
            return super().call_module(m, forward, args, kwargs)
        finally:
            self.scope = outer

    def create_proxy(self, kind, target, args, kwargs, name=None, type_expr=None, proxy_factory_fn=None):
        proxy = super().create_proxy(kind, target, args, kwargs, name, type_expr, proxy_factory_fn)
        proxy.node.meta['scope'] = self.scope
        return proxy


def int_or_pair(v):
    if isinstance(v, (tuple, list)):
        return int(v[0]) if v[0] == v[1] else [int(v[0]), int(v[1])]
    return int(v)


def module_layer(m):
    """(kind, YAML parameters) of a leaf module; only non-default parameters are written."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        assert m.padding_mode == 'zeros'
        kind = 'conv2d' if isinstance(m, nn.Conv2d) else 'conv_transpose2d'
        p = {'out_channels': m.out_channels, 'kernel_size': int_or_pair(m.kernel_size)}
        if int_or_pair(m.stride) != 1:
            p['stride'] = int_or_pair(m.stride)
        padding = m.padding if isinstance(m.padding, str) else int_or_pair(m.padding)
        if padding != 0:
            p['padding'] = padding
        if kind == 'conv_transpose2d' and int_or_pair(m.output_padding) != 0:
            p['output_padding'] = int_or_pair(m.output_padding)
        if int_or_pair(m.dilation) != 1:
            p['dilation'] = int_or_pair(m.dilation)
        if m.groups != 1:
            p['groups'] = m.groups
        if m.bias is None:
            p['bias'] = False
        return kind, p
    if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        kind = 'maxpool2d' if isinstance(m, nn.MaxPool2d) else 'avgpool2d'
        p = {'kernel_size': int_or_pair(m.kernel_size), 'stride': int_or_pair(m.stride)}
        if int_or_pair(m.padding) != 0:
            p['padding'] = int_or_pair(m.padding)
        if kind == 'maxpool2d' and int_or_pair(m.dilation) != 1:
            p['dilation'] = int_or_pair(m.dilation)
        if m.ceil_mode:
            p['ceil_mode'] = True
        if kind == 'avgpool2d':
            assert m.divisor_override is None
            if not m.count_include_pad:
                p['count_include_pad'] = False
        return kind, p
    if isinstance(m, nn.AdaptiveAvgPool2d):
        return 'adaptive_avgpool2d', {'output_size': int_or_pair(m.output_size)}
    if isinstance(m, nn.AdaptiveMaxPool2d):
        return 'adaptive_maxpool2d', {'output_size': int_or_pair(m.output_size)}
    if isinstance(m, nn.BatchNorm2d):
        assert m.affine
        # eps changes values, not shapes, but the YAML must still be the same network
        # (GoogLeNet's BasicConv2d uses eps=0.001).
        return 'batchnorm2d', {} if m.eps == 1e-5 else {'eps': m.eps}
    if isinstance(m, nn.LeakyReLU):
        return 'leaky_relu', {} if m.negative_slope == 0.01 else {'negative_slope': m.negative_slope}
    simple = {nn.ReLU: 'relu', nn.ReLU6: 'relu6', nn.Sigmoid: 'sigmoid', nn.Tanh: 'tanh', nn.GELU: 'gelu',
              nn.SiLU: 'silu', nn.Hardswish: 'hardswish', nn.Hardsigmoid: 'hardsigmoid'}
    if type(m) in simple:
        return simple[type(m)], {}
    if isinstance(m, nn.Dropout):
        return 'dropout', {} if m.p == 0.5 else {'p': m.p}
    if isinstance(m, nn.Flatten):
        p = {}
        if m.start_dim != 1:
            p['start_dim'] = m.start_dim
        if m.end_dim != -1:
            p['end_dim'] = m.end_dim
        return 'flatten', p
    if isinstance(m, nn.Linear):
        return 'linear', {'out_features': m.out_features} if m.bias is not None else \
            {'out_features': m.out_features, 'bias': False}
    raise NotImplementedError(f'no ConvLens kind for {type(m).__name__}')


def function_layer(node):
    """(kind, YAML parameters, short name, tensor inputs) of a call_function node."""
    t, args, kwargs = node.target, node.args, node.kwargs
    if t in (operator.add, torch.add):
        assert not kwargs and len(args) == 2 and all(isinstance(a, fx.Node) for a in args)
        return 'add', {}, 'add', list(args)
    if t is torch.flatten:
        start = args[1] if len(args) > 1 else kwargs.get('start_dim', 1)
        end = args[2] if len(args) > 2 else kwargs.get('end_dim', -1)
        p = {}
        if start != 1:
            p['start_dim'] = start
        if end != -1:
            p['end_dim'] = end
        return 'flatten', p, 'flatten', [args[0]]
    if t is torch.cat:
        tensors = args[0]
        dim = args[1] if len(args) > 1 else kwargs.get('dim', 0)
        return 'concat', {} if dim == 1 else {'dim': dim}, 'cat', list(tensors)
    if t is F.adaptive_avg_pool2d:
        return 'adaptive_avgpool2d', {'output_size': int_or_pair(args[1])}, 'avgpool', [args[0]]
    if t is F.relu:
        return 'relu', {}, 'relu', [args[0]]
    raise NotImplementedError(f'no ConvLens kind for {t}')


def yaml_scalar(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return '[' + ', '.join(yaml_scalar(x) for x in v) + ']'
    assert isinstance(v, str) and v.replace('.', '').replace('_', '').isalnum(), v
    return v


def yaml_mapping(p):
    return '{' + ', '.join(f'{k}: {yaml_scalar(v)}' for k, v in p.items()) + '}'


def analyze_torchvision(name, input_shape=(1, 3, 224, 224)):
    torch.manual_seed(0)
    model = build_torchvision(name).eval()
    tracer = ScopedTracer()
    graph = tracer.trace(model)
    gm = fx.GraphModule(model, graph)

    # Forward hooks on every module record (input shapes, output shape) per call, in call order.
    calls = {}
    hooks = []
    for path, m in gm.named_modules():
        if path and not list(m.children()):
            def hook(mod, inputs, output, path=path):
                calls.setdefault(path, []).append(([list(i.shape) for i in inputs], list(output.shape)))
            hooks.append(m.register_forward_hook(hook))

    # One real forward pass through the traced graph; the interpreter keeps every node's output.
    node_shapes = {}

    class Recorder(fx.Interpreter):
        def run_node(self, n):
            out = super().run_node(n)
            if isinstance(out, torch.Tensor):
                node_shapes[n] = list(out.shape)
            return out

    x = torch.randn(input_shape, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        traced_out = Recorder(gm).run(x)
        eager_out = model(x)
    for h in hooks:
        h.remove()
    # The graph the YAML is emitted from computes exactly what the torchvision model computes.
    assert torch.equal(traced_out, eager_out), f'{name}: fx graph differs from the eager model'

    layers = []
    layer_name = {}  # fx node -> YAML layer name
    used_names = set()
    call_index = {}
    previous = 'input'
    for node in gm.graph.nodes:
        if node.op == 'placeholder':
            layer_name[node] = 'input'
            continue
        if node.op == 'output':
            continue
        if node.op == 'call_module':
            m = gm.get_submodule(node.target)
            kind, params = module_layer(m)
            k = call_index.get(node.target, 0)
            call_index[node.target] = k + 1
            lname = node.target if k == 0 else f'{node.target}_{k + 1}'
            inputs = [a for a in node.args if isinstance(a, fx.Node)]
            in_shapes, out_shape = calls[node.target][k]
            assert out_shape == node_shapes[node], (lname, out_shape, node_shapes[node])
            n_params = sum(p.numel() for p in m.parameters())
            assert k == 0 or n_params == 0, f'{lname}: shared weights are not supported'
            if k > 0:
                n_params = 0
            if kind == 'conv2d':
                n, c_out, h_out, w_out = out_shape
                _, c_in_per_group, kh, kw = m.weight.shape
                macs = n * c_out * h_out * w_out * c_in_per_group * kh * kw
            elif kind == 'linear':
                out_features, in_features = m.weight.shape
                macs = math.prod(in_shapes[0][:-1]) * in_features * out_features
            else:
                macs = 0
        elif node.op == 'call_function':
            kind, params, short, inputs = function_layer(node)
            scope = node.meta.get('scope', '')
            base = f'{scope}.{short}' if scope else short
            lname, k = base, 1
            while lname in used_names:
                k += 1
                lname = f'{base}_{k}'
            out_shape, n_params, macs = node_shapes[node], 0, 0
        else:
            raise NotImplementedError(f'{name}: {node.op} {node.target}')
        assert lname not in used_names, lname
        used_names.add(lname)
        layer_name[node] = lname
        sources = [layer_name[a] for a in inputs]
        layers.append({
            'name': lname, 'kind': kind, 'params_yaml': params,
            'from': None if sources == [previous] else sources,
            'output_shape': out_shape, 'params': int(n_params), 'macs': int(macs),
        })
        previous = lname

    total_params = sum(l['params'] for l in layers)
    torch_params = sum(p.numel() for p in model.parameters())
    assert total_params == torch_params, f'{name}: layers hold {total_params} params, torch {torch_params}'
    total_macs = sum(l['macs'] for l in layers)
    output_shape = list(eager_out.shape)
    assert layers[-1]['output_shape'] == output_shape
    return {
        'name': name, 'input': list(input_shape), 'layers': layers,
        'output_shape': output_shape, 'total_params': total_params, 'total_macs': total_macs,
    }


def write_model(result, out_dir):
    name = result['name']
    lines = [
        f'# torchvision.models.{name}(weights=None), emitted by scripts/gen_fixtures.py from a torch.fx',
        '# trace. Layer names are module paths (state_dict keys); a module called again gets _2, _3;',
        '# functional ops are named <enclosing module>.<op>. Expected shapes, params and MACs are in',
        f'# {name}.expected.json.',
        f'name: {name}',
        f'input: {yaml_scalar(result["input"])}',
        'layers:',
    ]
    for l in result['layers']:
        lines.append(f'  - name: {l["name"]}')
        lines.append(f'    {l["kind"]}: {yaml_mapping(l["params_yaml"])}')
        if l['from'] is not None:
            lines.append(f'    from: {yaml_scalar(l["from"])}')
    yaml_path = os.path.join(out_dir, f'{name}.cnn.yaml')
    with open(yaml_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')

    expected = {
        'name': name,
        'source': f'torchvision {torchvision.__version__} models.{name}(weights=None), torch {torch.__version__}',
        'input': result['input'],
        'output_shape': result['output_shape'],
        'total_params': result['total_params'],
        'total_macs': result['total_macs'],
    }
    with open(os.path.join(out_dir, f'{name}.expected.json'), 'w') as f:
        f.write('{\n')
        for key, value in expected.items():
            f.write(f'  {json.dumps(key)}: {json.dumps(value)},\n')
        f.write('  "layers": [\n')
        rows = [{k: l[k] for k in ('name', 'kind', 'output_shape', 'params', 'macs')} for l in result['layers']]
        f.write(',\n'.join('    ' + json.dumps(r, separators=(', ', ': ')) for r in rows))
        f.write('\n  ]\n}\n')

    published_params, published_gmacs = PUBLISHED[name]
    gmacs = result['total_macs'] / 1e9
    print(f'{name}: {len(result["layers"])} layers, params {result["total_params"]:,} '
          f'(published {published_params:,}), MACs {result["total_macs"]:,} = {gmacs:.3f} G '
          f'(published {published_gmacs:.2f} G)')
    assert result['total_params'] == published_params, name
    assert round(gmacs, 2) == published_gmacs, (name, gmacs)


def replay_yaml_in_torch(yaml_path):
    """Reads an emitted YAML file back with the contract's semantics, builds every layer as a torch
    module and runs it: (name, kind, output shape, params) per layer. This checks the emitter
    (a wrong padding or a wrong `from` in the YAML would change a shape) without the analyzer."""
    with open(yaml_path) as f:
        doc = yaml.safe_load(f)
    tensors = {'input': torch.zeros(doc['input'])}
    previous = 'input'
    rows = []
    for layer in doc['layers']:
        (kind,) = [k for k in layer if k not in ('name', 'from')]
        p = layer[kind] or {}
        xs = [tensors[s] for s in layer.get('from', [previous])]
        module = None
        if kind in ('conv2d', 'conv_transpose2d', 'maxpool2d', 'avgpool2d', 'adaptive_avgpool2d',
                    'adaptive_maxpool2d'):
            module = build_module(kind, xs[0].shape[1], p)
        elif kind == 'batchnorm2d':
            module = nn.BatchNorm2d(xs[0].shape[1], eps=p.get('eps', 1e-5))
        elif kind == 'linear':
            module = nn.Linear(xs[0].shape[-1], p['out_features'], bias=p.get('bias', True))
        elif kind == 'dropout':
            module = nn.Dropout(p.get('p', 0.5))
        elif kind in ('relu', 'relu6', 'sigmoid', 'tanh', 'gelu', 'silu', 'hardswish', 'hardsigmoid'):
            module = {'relu': nn.ReLU, 'relu6': nn.ReLU6, 'sigmoid': nn.Sigmoid, 'tanh': nn.Tanh, 'gelu': nn.GELU,
                      'silu': nn.SiLU, 'hardswish': nn.Hardswish, 'hardsigmoid': nn.Hardsigmoid}[kind]()
        with torch.no_grad():
            if module is not None:
                y = module.eval()(xs[0])
            elif kind == 'flatten':
                y = torch.flatten(xs[0], p.get('start_dim', 1), p.get('end_dim', -1))
            elif kind == 'add':
                assert len(xs) >= 2
                y = sum(xs[1:], xs[0])
            elif kind == 'concat':
                y = torch.cat(xs, p.get('dim', 1))
            else:
                raise NotImplementedError(kind)
        params = sum(t.numel() for t in module.parameters()) if module is not None else 0
        rows.append((layer['name'], kind, list(y.shape), params))
        tensors[layer['name']] = y
        previous = layer['name']
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=os.path.join(REPO, 'test', 'fixtures'),
                        help='fixture directory (default: test/fixtures)')
    args = parser.parse_args()
    warnings.filterwarnings('ignore', category=UserWarning)
    torch.set_num_threads(1)
    os.makedirs(os.path.join(args.out, 'models'), exist_ok=True)
    write_geometry(os.path.join(args.out, 'geometry.json'))
    models_dir = os.path.join(args.out, 'models')
    for name in PUBLISHED:
        result = analyze_torchvision(name)
        write_model(result, models_dir)
        replayed = replay_yaml_in_torch(os.path.join(models_dir, f'{name}.cnn.yaml'))
        recorded = [(l['name'], l['kind'], l['output_shape'], l['params']) for l in result['layers']]
        assert replayed == recorded, f'{name}: the emitted YAML does not rebuild the traced model'
    print('every emitted YAML file, rebuilt layer by layer in torch, reproduces the hook-observed shapes and params')
    return 0


if __name__ == '__main__':
    sys.exit(main())
