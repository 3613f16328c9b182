#!/usr/bin/python3
"""Independent plain-PyTorch mBART forward (no `transformers`), written from the architecture description of
Hugging Face's MBartForConditionalGeneration: pre-LN encoder/decoder, learned positions with a 2-row offset,
layernorm_embedding, final layer_norm, GELU, scaled embeddings, tied lm_head + final_logits_bias.

  fixture OUT_DIR [--vocab V --d D --layers N --heads H --ffn F --max-pos P --seed S]
      writes weights.pt (random weights, Hugging Face key names, tied embeddings stored under every name) and
      io.pt (input_ids, attention_mask, decoder_input_ids, inputs_embeds, logits, logits_from_embeds).
"""
import argparse, math, os
import torch
import torch.nn.functional as F


def make_weights(a, g):
    w = {}
    def rnd(*shape, std=0.2):
        return torch.randn(*shape, generator=g) * std
    def ln(prefix):
        w[prefix + '.weight'] = 1.0 + rnd(a.d, std=0.1)
        w[prefix + '.bias'] = rnd(a.d, std=0.1)
    def lin(prefix, i, o):
        w[prefix + '.weight'] = rnd(o, i, std=1.0 / math.sqrt(i))
        w[prefix + '.bias'] = rnd(o, std=0.1)
    shared = rnd(a.vocab, a.d, std=0.5)
    shared[1] = 0.0  # padding row
    w['model.shared.weight'] = shared
    for side in ('encoder', 'decoder'):
        p = 'model.' + side
        w[p + '.embed_tokens.weight'] = shared
        w[p + '.embed_positions.weight'] = rnd(a.max_pos + 2, a.d, std=0.5)
        for n in range(a.layers):
            lp = f'{p}.layers.{n}'
            attns = ['self_attn'] + (['encoder_attn'] if side == 'decoder' else [])
            for at in attns:
                for proj in ('k_proj', 'v_proj', 'q_proj', 'out_proj'):
                    lin(f'{lp}.{at}.{proj}', a.d, a.d)
                ln(f'{lp}.{at}_layer_norm')
            lin(f'{lp}.fc1', a.d, a.ffn)
            lin(f'{lp}.fc2', a.ffn, a.d)
            ln(f'{lp}.final_layer_norm')
        ln(p + '.layernorm_embedding')
        ln(p + '.layer_norm')
    w['lm_head.weight'] = shared
    w['final_logits_bias'] = rnd(1, a.vocab, std=0.5)
    return w


def attention(w, p, x, kv, blocked, heads):
    b, tq, d = x.shape
    tk = kv.shape[1]
    hd = d // heads
    def proj(name, t):
        return F.linear(t, w[f'{p}.{name}.weight'], w[f'{p}.{name}.bias'])
    q = (proj('q_proj', x) * hd ** -0.5).view(b, tq, heads, hd).transpose(1, 2)
    k = proj('k_proj', kv).view(b, tk, heads, hd).transpose(1, 2)
    v = proj('v_proj', kv).view(b, tk, heads, hd).transpose(1, 2)
    s = q @ k.transpose(2, 3)
    if blocked is not None:
        s = s.masked_fill(blocked, torch.finfo(s.dtype).min)
    o = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, tq, d)
    return proj('out_proj', o)


def layer_norm(w, p, x):
    return F.layer_norm(x, x.shape[-1:], w[p + '.weight'], w[p + '.bias'], 1e-5)


def ffn(w, p, x):
    h = F.gelu(F.linear(layer_norm(w, p + '.final_layer_norm', x), w[p + '.fc1.weight'], w[p + '.fc1.bias']))
    return x + F.linear(h, w[p + '.fc2.weight'], w[p + '.fc2.bias'])


def positions(w, side, length):
    return w[f'model.{side}.embed_positions.weight'][2:2 + length]


def encode(w, a, embeds, mask):
    h = embeds + positions(w, 'encoder', embeds.shape[1])
    h = layer_norm(w, 'model.encoder.layernorm_embedding', h)
    blocked = None if mask is None else (mask == 0)[:, None, None, :]
    for n in range(a.layers):
        p = f'model.encoder.layers.{n}'
        h = h + attention(w, p + '.self_attn', layer_norm(w, p + '.self_attn_layer_norm', h), layer_norm(w, p + '.self_attn_layer_norm', h), blocked, a.heads)
        h = ffn(w, p, h)
    return layer_norm(w, 'model.encoder.layer_norm', h)


def decode(w, a, ids, enc, enc_mask):
    scale = math.sqrt(a.d)
    h = w['model.decoder.embed_tokens.weight'][ids] * scale + positions(w, 'decoder', ids.shape[1])
    h = layer_norm(w, 'model.decoder.layernorm_embedding', h)
    L = ids.shape[1]
    causal = torch.ones(L, L, dtype=torch.bool).triu(1)[None, None]
    cross = None if enc_mask is None else (enc_mask == 0)[:, None, None, :]
    for n in range(a.layers):
        p = f'model.decoder.layers.{n}'
        x = layer_norm(w, p + '.self_attn_layer_norm', h)
        h = h + attention(w, p + '.self_attn', x, x, causal, a.heads)
        h = h + attention(w, p + '.encoder_attn', layer_norm(w, p + '.encoder_attn_layer_norm', h), enc, cross, a.heads)
        h = ffn(w, p, h)
    h = layer_norm(w, 'model.decoder.layer_norm', h)
    return F.linear(h, w['lm_head.weight']) + w['final_logits_bias']


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['fixture'])
    ap.add_argument('out')
    ap.add_argument('--vocab', type=int, default=40)
    ap.add_argument('--d', type=int, default=32)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--ffn', type=int, default=64)
    ap.add_argument('--max-pos', type=int, default=64)
    ap.add_argument('--seed', type=int, default=7)
    a = ap.parse_args()
    g = torch.Generator().manual_seed(a.seed)
    w = make_weights(a, g)
    input_ids = torch.randint(4, a.vocab, (2, 9), generator=g)
    attention_mask = torch.ones(2, 9, dtype=torch.long)
    input_ids[1, 6:] = 1  # right padding in the second sentence
    attention_mask[1, 6:] = 0
    decoder_input_ids = torch.randint(4, a.vocab, (2, 7), generator=g)
    with torch.no_grad():
        enc = encode(w, a, w['model.shared.weight'][input_ids] * math.sqrt(a.d), attention_mask)
        logits = decode(w, a, decoder_input_ids, enc, attention_mask)
        embeds = torch.randn(2, 5, a.d, generator=g)
        logits_e = decode(w, a, decoder_input_ids, encode(w, a, embeds, None), None)
    os.makedirs(a.out, exist_ok=True)
    torch.save({k: v.clone().contiguous() for k, v in w.items()}, os.path.join(a.out, 'weights.pt'))
    torch.save({'input_ids': input_ids, 'attention_mask': attention_mask, 'decoder_input_ids': decoder_input_ids,
                'inputs_embeds': embeds, 'logits': logits, 'logits_from_embeds': logits_e},
               os.path.join(a.out, 'io.pt'))
    print(f'wrote {len(w)} tensors; logits {tuple(logits.shape)}')


if __name__ == '__main__':
    main()
