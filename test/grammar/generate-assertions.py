# Regenerates the assertion lines of test/grammar/*.cnn.yaml with computed columns.
# Run from the repository root: python3 test/grammar/generate-assertions.py
K='entity.name.type.layer-kind.cnn-yaml'; S='variable.parameter.shape.cnn-yaml'; M='keyword.other.model-key.cnn-yaml'
def build(header, spec):
    out=[f'# SYNTAX TEST "source.yaml" "{header}"']
    for line, asserts in spec:
        out.append(line)
        for word, scope, neg in asserts:
            col=line.index(word) if not isinstance(word, tuple) else line.index(word[0], word[1])
            w=word if isinstance(word,str) else word[0]
            if col==0:
                out.append('# <' + '-'*len(w) + (' - ' if neg else ' ') + scope)
            else:
                assert col>=1
                out.append('#' + ' '*(col-1) + '^'*len(w) + (' - ' if neg else ' ') + scope)
    return '\n'.join(out)+'\n'
a=[
 ('name: lenet', [('name', M, True)]),
 ('input: [1, 1, 28, 28]', [('input', M, False)]),
 ('layers:', [('layers', M, False)]),
 ('  - name: conv1', [('conv1', K, True), ('name', S, True)]),
 ('    conv2d: {out_channels: 6, kernel_size: 5, padding: 2}', [('conv2d', K, False), ('out_channels', S, False), ('kernel_size', S, False), ('padding', S, False), ('2}', S, True)]),
 ('  - relu: {}', [('relu', K, False)]),
 ('  - maxpool2d: {kernel_size: 2, stride: 2, ceil_mode: true}', [('maxpool2d', K, False), ('stride', S, False), ('ceil_mode', S, False), ('true', S, True)]),
 ('  - adaptive_avgpool2d: {output_size: 1}', [('adaptive_avgpool2d', K, False), ('output_size', S, False)]),
 ('  - name: skip', []),
 ('    add: {}', [('add', K, False)]),
 ('    from: [conv1, relu_2]', [('from', M, False), ('relu_2', K, True), ('conv1', K, True)]),
 ('  - flatten: {}', [('flatten', K, False)]),
 ('  - linear: {out_features: 10, bias: false}', [('linear', K, False), ('out_features', S, False), ('bias', S, True)]),
]
b=[
 ('input: {dataset: coco, size: [640, 640]}', [('input', M, False), ('size', S, False), ('dataset', S, True), ('coco', K, True)]),
 ('layers:', []),
 ('  - name: relu', [('relu', K, True)]),
 ('    conv_transpose2d:', [('conv_transpose2d', K, False)]),
 ('      out_channels: 8', [('out_channels', S, False)]),
 ('      kernel_size: [3, 5]', [('kernel_size', S, False)]),
 ('      output_padding: 1', [('output_padding', S, False)]),
 ('  - batchnorm2d: {eps: 0.001}', [('batchnorm2d', K, False), ('eps', S, True)]),
 ('  - my_relu: {}', [('my_relu', K, True)]),
 ('  - relu6: {}', [('relu6', K, False)]),
 ('  - upsample: {scale_factor: 2, mode: nearest}', [('upsample', K, False), ('scale_factor', S, False), ('mode', S, True)]),
 ('  - dropout: {p: 0.5}   # relu: a comment is not a key', [('dropout', K, False), (('relu', 20), K, True)]),
]
open('test/grammar/layer-kinds.cnn.yaml','w').write(build('ConvLens: layer kinds, shape keys and model keys are marked where YAML has a key', a))
open('test/grammar/block-style.cnn.yaml','w').write(build('ConvLens: block-style parameters; kind names as values, in comments or in longer words are not marked', b))
