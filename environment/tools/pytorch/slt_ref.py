#!/usr/bin/python3
"""Independent plain-PyTorch TwoStream-SLT (S2T) reference, written from docs/twostream-spec §3, §6, §8.4, §9, §10, §12
(never the official code). It writes a tiny fixture in the formats the released files have, and the translations
that a port loading those files must reproduce.

  fixture OUT --data ROOT [--dataset phoenix-2014t|csl-daily] [--splits test] [--feature-size 16]
          [--d 32 --layers 2 --heads 4 --ffn 64 --max-pos 128|512] [--beam 5] [--max-length 100|500]
          [--mapper projection|probabilities] [--seed 5] [--with-remain-heads] [--beam-rule port|hf]
          [--train-steps 60] [--lr 3e-3] [--spm-vocab 100] [--no-sensitivity]

--dataset phoenix-2014t (default): ROOT is a Phoenix-2014T tree in the original layout (`signnb synth export --out ROOT`);
the mBART folder is mBart_de (target de_DE, sign code de_DGS); defaults --max-length 100, --max-pos 128, --mapper
projection. --dataset csl-daily: ROOT is CSL-Daily's original layout as the port's CslDailyLayout reads it
(sentence_label/csl2020ct_v2.pkl 'info' records, sentence_label/split_1.txt, sentence_frames-512x512/<name>/*.jpg);
the translation is label_char joined without separators, the gloss label_gloss joined by spaces; the folder is mBart_zh
(target zh_CN, sign code zh_CSL); defaults --max-length 500 (spec §10.5), --max-pos 512, --mapper probabilities for
all three networks (the paper's CSL joint network maps gloss probabilities, spec §10.4). OUT receives (mBart_xx =
mBart_de or mBart_zh):
  mBart_xx/sentencepiece.bpe.model   SentencePiece BPE over every split's translations + lower-cased glosses
  mBart_xx/map_ids.pkl               pickled dict full (fairseq/HF MBartTokenizer) id -> pruned id (spec §10.1)
  mBart_xx/config.json               Hugging Face mbart config of the pruned model
  mBart_xx/gloss2ids.pkl             pickled dict gloss -> id in the corpus's layout (spec §6): Phoenix-2014T <s> <pad>
                                     </s> <unk> <mask> zh_CN de_DE zh_CSL de_DGS, CSL-Daily <si> <unk> <pad> </s>; then
                                     the lower-cased train glosses
  s2t_{video,keypoint,joint}/best.ckpt   SLRT checkpoints (spec §12 S2T key names): random heads; VL-mapper, gloss
                                     embedding and mBART trained for --train-steps Adam steps on the train+dev clips
                                     (--train-steps 0: random, with final_logits_bias[</s>] calibrated instead)
  extract_feature/head_{rgb,keypoint}_input/<split>.pkl   gzip pickles as extract_feature.py writes them
  reference/<split>.<system>.tsv     name, hypothesis_ids (pruned, no start token or </s>), hypothesis (the text the
                                     official pipeline scores: SentencePiece decode, then transformers'
                                     clean_up_tokenization, then SLRT's German final-period fix, or for CSL-Daily the
                                     characters joined by single spaces, whitespace dropped; spec §8.4), spm_decode
                                     (the plain SentencePiece decode); system: video, keypoint, joint, ensemble
  fixture.json                       sizes and settings for the C# tests, decoded lengths, and `sensitive_to`: the
                                     hypotheses that other readings of the decoding contract would change

Record names are `<split>/<CSV name>` as in SLRT's Phoenix-2014T annotation files, and the plain video name
(S000000_P0000_T00) for CSL-Daily (spec §9), in the feature pickles and in the reference files alike.

Assumption (CSL-Daily): SLRT's CSL-Daily gloss2ids.pkl has </s> (id 3) but no zh_CSL. The gloss embedding's rows are
then gloss2ids followed by zh_CSL (id V), as the port's TranslationVocabulary.FromMBart appends the codes a vocabulary
lacks after the recognition ids: translation_network.gloss_embedding.weight is (V+1, d) while the heads' classifier and
the mapper read V classes, and the encoder suffix is [gloss_embedding[3], gloss_embedding[V]]. (The release's own
gloss embedding size is not confirmed.)
Note: SentencePiece's default nmt_nfkc normaliser maps full-width ，？ to ASCII , ? while training the model, so
CSL-Daily hypotheses carry ASCII punctuation while the references keep the full-width marks.

Features: T' = number of frames (Phoenix-2014T: PNGs in ROOT/features/fullFrame-*/<split>/<name>/; CSL-Daily: JPEGs in
its video folder) // 4 (eval truncates to a multiple of 4 and S3D downsamples time by 4; spec §1, §15.6), at least 3;
values |N(0,1)| (pooled post-ReLU C4 features are non-negative) from a generator seeded by --seed, the stream and crc32
of the record name.

Translation (eval, one clip at a time, no padding): the network's source head (video: visual_head on the RGB features,
keypoint: visual_head_keypoint, joint: visual_head_fuse on concat[keypoint, video]) -> its gloss feature (projection
mapper) or probabilities (probabilities mapper) -> VL-mapper -> [mapped; gloss_embedding[</s>]; gloss_embedding[de_DGS
or zh_CSL]] x sqrt(d) -> mBART encoder. Decoding starts with the pruned de_DE (zh_CN) id; a step's scores are
log_softmax of the last position (ensemble: log of the sum of the three softmaxes, spec 10.5). Beam search (k = --beam, alpha = 1)
extends every live beam by every id except <s>, <pad> and de_DE (zh_CN), keeps the 2k best candidates, finishes those
ending in </s> when they rank among the k best (score = sum log p / |y|^alpha, |y| = words + </s>), keeps k others live;
at max_length live beams are finished with score / (words + 1)^alpha; with --beam-rule port (default) at most max_length
words and it stops when k are finished and max live score / (live length incl. the start token)^alpha <= the worst of
the k best finished;
--beam-rule hf is transformers 4.x generate (at most max_length - 1 words; stop test on the best of the 2k candidates /
the length before this step's word). The other readings are re-run and any hypothesis they change is listed.
"""
import argparse, glob, gzip, json, math, os, pickle, sys, tempfile, time, zlib
from types import SimpleNamespace

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mbart_ref  # noqa: E402  (same folder: the mBART forward with Hugging Face key names)

LANGUAGE_CODES = ['ar_AR', 'cs_CZ', 'de_DE', 'en_XX', 'es_XX', 'et_EE', 'fi_FI', 'fr_XX', 'gu_IN', 'hi_IN', 'it_IT',
                  'ja_XX', 'kk_KZ', 'ko_KR', 'lt_LT', 'lv_LV', 'my_MM', 'ne_NP', 'nl_XX', 'ro_RO', 'ru_RU', 'si_LK',
                  'tr_TR', 'vi_VN', 'zh_CN']
GLOSS_SPECIALS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>', 'zh_CN', 'de_DE', 'zh_CSL', 'de_DGS']
BOS, PAD, EOS, UNK = 0, 1, 2, 3
HIDDEN, FF, KERNEL, PE_LEN = 512, 2048, 3, 5000
SYSTEMS = ['video', 'keypoint', 'joint']
SOURCE_HEAD = {'video': 'visual_head', 'keypoint': 'visual_head_keypoint', 'joint': 'visual_head_fuse'}
NETWORK_SEED = {'video': 11, 'keypoint': 22, 'joint': 33}
# Random mBART weights decode to word loops that run to the maximum length; these knobs (chosen by decoding the
# `synth export --profile tiny --limit 6` test split and checking lengths and distinct outputs) make sentences end
# after 0 to ~40 pieces, differently per clip and network.
TARGET_LENGTH = 12  # final_logits_bias[</s>] is calibrated per network so its median hypothesis has about this many pieces
EMBEDDING_SCALE = 0.3  # the tied embedding x this: flatter next-word distributions
EOS_RAMP = 0.3      # decoder position i carries i * EOS_RAMP in dimension 0 ...
EOS_ALIGN = 4.0     # ... and the </s> row + EOS_ALIGN there, so </s> gets likelier as sentences grow
CROSS_SCALE = 1.0   # decoder cross-attention output weights x this: the clip matters more than the prefix
KEY_SCALE = 10.0    # decoder cross-attention key weights x this: sharper attention picks out frames of the clip
COPY_SCALE = 0.3    # decoder layernorm_embedding x this: less of the last word in the residual, fewer word loops
BIAS_SCALE = 0.2    # final_logits_bias x this: a weaker fixed preference for some words
POS_SCALE = 4.0     # decoder positions x this: each position prefers other words, fewer word loops


# ---------------------------------------------------------------- corpus, SentencePiece, vocabularies

def read_corpus(root):
    """{split: [(name, gloss, translation, num_frames)]} for every PHOENIX-2014-T.<split>.corpus.csv."""
    corpus = {}
    for path in sorted(glob.glob(os.path.join(root, 'annotations', 'manual', 'PHOENIX-2014-T.*.corpus.csv'))):
        split = os.path.basename(path)[len('PHOENIX-2014-T.'):-len('.corpus.csv')]
        lines = open(path, encoding='utf-8').read().splitlines()
        if lines[0] != 'name|video|start|end|speaker|orth|translation':
            sys.exit(f'{path}: unexpected header {lines[0]!r}')
        rows = []
        for line in lines[1:]:
            name, _, _, _, _, orth, translation = line.split('|')
            frames = glob.glob(os.path.join(root, 'features', 'fullFrame-*', split, name, '*.png'))
            rows.append((name, orth, translation, len(frames)))
        corpus[split] = rows
    if 'train' not in corpus or 'dev' not in corpus:
        sys.exit(f'{root}: no PHOENIX-2014-T.{{train,dev}}.corpus.csv under annotations/manual')
    return corpus


def read_csl_daily(root):
    """{split: [(name, gloss, text, num_frames)]} from CSL-Daily's original layout: sentence_label/csl2020ct_v2.pkl
    ('info' records: name, label_gloss, label_char, ...) and sentence_label/split_1.txt (name|split); frames
    sentence_frames-512x512/<name>/*.jpg (or under a frames_512x512/ level). The text is label_char joined without
    separators and the gloss label_gloss joined by spaces, as the C# loader (CslDailyLayout) reads them."""
    label = os.path.join(root, 'sentence_label', 'csl2020ct_v2.pkl')
    split_file = os.path.join(root, 'sentence_label', 'split_1.txt')
    for path in (label, split_file):
        if not os.path.exists(path):
            sys.exit(f'{path}: not found; --dataset csl-daily needs CSL-Daily\'s sentence_label/ folder in --data')
    with open(label, 'rb') as f:
        top = pickle.load(f)
    info = {r['name']: r for r in (top['info'] if isinstance(top, dict) else top)}
    frame_root = os.path.join(root, 'sentence_frames-512x512')
    if os.path.isdir(os.path.join(frame_root, 'frames_512x512')):
        frame_root = os.path.join(frame_root, 'frames_512x512')
    lines = open(split_file, encoding='utf-8').read().splitlines()
    if lines[0] != 'name|split':
        sys.exit(f'{split_file}: unexpected header {lines[0]!r}')
    corpus = {}
    for line in lines[1:]:
        name, split = line.split('|')
        if split not in ('train', 'dev', 'test'):
            continue
        r = info[name]
        frames = glob.glob(os.path.join(frame_root, name, '*.jpg'))
        corpus.setdefault(split, []).append((name, ' '.join(r['label_gloss']), ''.join(r['label_char']), len(frames)))
    if 'train' not in corpus or 'dev' not in corpus:
        sys.exit(f'{split_file}: no train or dev videos')
    return corpus


# Per corpus: the reader, SLRT's mBART folder and language codes (spec §10.1), gloss2ids.pkl's specials (spec §6),
# the default maximum length (spec §10.5) and VL-mapper (spec §10.4), and the record names of SLRT's files (spec §9).
DATASETS = {
    'phoenix-2014t': SimpleNamespace(read=read_corpus, mbart='mBart_de', target='de_DE', sign='de_DGS', gloss_specials=GLOSS_SPECIALS,
                                     max_length=100, max_pos=128, mapper='projection', record=lambda split, name: f'{split}/{name}'),
    'csl-daily': SimpleNamespace(read=read_csl_daily, mbart='mBart_zh', target='zh_CN', sign='zh_CSL',
                                 gloss_specials=['<si>', '<unk>', '<pad>', '</s>'], max_length=500, max_pos=512,
                                 mapper='probabilities', record=lambda split, name: name),
}


def sentences(corpus):
    out = []
    for rows in corpus.values():
        for _, orth, text, _ in rows:
            out += [text, orth.lower()]
    return out


def train_sentencepiece(lines, prefix, vocab):
    try:
        import sentencepiece as spm
    except ImportError:
        sys.exit(f'{sys.executable} cannot import sentencepiece. Fix: apt-get install python3-sentencepiece '
                 '(environment/setup.sh --test).')
    with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False, encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    try:
        spm.SentencePieceTrainer.train(input=f.name, model_prefix=prefix, model_type='bpe', vocab_size=vocab,
                                       hard_vocab_limit=False, character_coverage=1.0, num_threads=1,
                                       unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2)
    finally:
        os.unlink(f.name)
    return spm.SentencePieceProcessor(model_file=prefix + '.model')


class FullVocab:
    """fairseq / Hugging Face MBartTokenizer ids over a SentencePiece model (spec §10.1)."""

    def __init__(self, sp):
        self.sp = sp
        self.pieces = sp.get_piece_size()
        self.size = self.pieces + 1 + len(LANGUAGE_CODES) + 1
        self.mask = self.size - 1

    def lang(self, code):
        return self.pieces + 1 + LANGUAGE_CODES.index(code)

    def encode(self, text):
        return [UNK if i == 0 else i + 1 for i in self.sp.encode(text)]

    def decode(self, full_ids):
        return self.sp.decode([i - 1 for i in full_ids if UNK < i < self.pieces + 1])


def hf_cleanup(text, dataset='phoenix-2014t'):
    """transformers 4.x `clean_up_tokenization` (batch_decode's default), then what SLRT scores (§8.4): Phoenix-2014T's
    German final-period fix, or CSL-Daily's characters joined by single spaces (whitespace dropped, punctuation kept)."""
    for a, b in ((' .', '.'), (' ?', '?'), (' !', '!'), (' ,', ','), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
                 (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
        text = text.replace(a, b)
    if dataset == 'csl-daily':
        return ' '.join(c for c in text if not c.isspace())
    if len(text) > 2 and text[-1] == '.' and text[-2] != ' ':
        text = text[:-1] + ' .'
    return text


# ---------------------------------------------------------------- weights

def rnd(g, *shape, std):
    return torch.randn(*shape, generator=g) * std


def sinusoid(d, n=PE_LEN):
    pos = torch.arange(n, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * -(math.log(10000.0) / d))
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe[None]  # (1, 5000, d)


def head_weights(g, din, vocab, pe):
    """One visual head (spec §3) with official key names, eval-mode BN statistics included."""
    w = {}
    w['fc1.weight'] = rnd(g, HIDDEN, din, std=1.0 / math.sqrt(din))
    w['fc1.bias'] = rnd(g, HIDDEN, std=0.1)
    w['bn1.norm.weight'] = 1.0 + rnd(g, HIDDEN, std=0.1)
    w['bn1.norm.bias'] = rnd(g, HIDDEN, std=0.1)
    w['bn1.norm.running_mean'] = rnd(g, HIDDEN, std=0.2)
    w['bn1.norm.running_var'] = 0.5 + torch.rand(HIDDEN, generator=g)
    w['bn1.norm.num_batches_tracked'] = torch.tensor(35480, dtype=torch.long)
    w['pe.pe'] = pe
    w['feedforward.layer_norm.weight'] = 1.0 + rnd(g, HIDDEN, std=0.1)
    w['feedforward.layer_norm.bias'] = rnd(g, HIDDEN, std=0.1)
    w['feedforward.pwff_layer.0.weight'] = rnd(g, FF, HIDDEN, KERNEL, std=1.0 / math.sqrt(HIDDEN * KERNEL))
    w['feedforward.pwff_layer.0.bias'] = rnd(g, FF, std=0.1)
    w['feedforward.pwff_layer.3.weight'] = rnd(g, HIDDEN, FF, KERNEL, std=1.0 / math.sqrt(FF * KERNEL))
    w['feedforward.pwff_layer.3.bias'] = rnd(g, HIDDEN, std=0.1)
    w['layer_norm.weight'] = 1.0 + rnd(g, HIDDEN, std=0.1)
    w['layer_norm.bias'] = rnd(g, HIDDEN, std=0.1)
    w['gloss_output_layer.weight'] = rnd(g, vocab, HIDDEN, std=2.0 / math.sqrt(HIDDEN))
    w['gloss_output_layer.bias'] = rnd(g, vocab, std=0.2)
    return w


def network_state(a, system, gloss_vocab, text_vocab, pe, gloss_rows):
    """model_state of one S2T network: three heads (+ SPN heads), VL-mapper, translation network (spec §12)."""
    g = torch.Generator().manual_seed(a.seed * 1000 + NETWORK_SEED[system])
    sd = {}
    heads = {'visual_head': a.feature_size, 'visual_head_keypoint': a.feature_size, 'visual_head_fuse': 2 * a.feature_size}
    if a.with_remain_heads:
        for stream in ('visual_head_remain', 'visual_head_keypoint_remain'):
            heads[f'{stream}.0'], heads[f'{stream}.1'] = 192, 480
    for head, din in heads.items():
        for k, v in head_weights(g, din, gloss_vocab, pe).items():
            sd[f'recognition_network.{head}.{k}'] = v
    if a.mapper == 'projection':
        sd['vl_mapper.mapping.0.weight'] = rnd(g, a.d, HIDDEN, std=2.0 / math.sqrt(HIDDEN))
        sd['vl_mapper.mapping.0.bias'] = rnd(g, a.d, std=0.1)
        sd['vl_mapper.mapping.2.weight'] = rnd(g, a.d, a.d, std=1.0 / math.sqrt(a.d))
        sd['vl_mapper.mapping.2.bias'] = rnd(g, a.d, std=0.1)
    else:
        sd['vl_mapper.mapping.weight'] = rnd(g, a.d, gloss_vocab, std=1.0)
    mb = mbart_ref.make_weights(SimpleNamespace(vocab=text_vocab, d=a.d, layers=a.layers, ffn=a.ffn, max_pos=a.max_pos), g)
    mb['model.shared.weight'].mul_(EMBEDDING_SCALE)  # in place: the 4 tied names keep sharing this storage
    mb['final_logits_bias'].mul_(BIAS_SCALE)
    for n in range(a.layers):
        mb[f'model.decoder.layers.{n}.encoder_attn.out_proj.weight'].mul_(CROSS_SCALE)
        mb[f'model.decoder.layers.{n}.encoder_attn.k_proj.weight'].mul_(KEY_SCALE)
    # layernorm_embedding keeps dimension 0 (the </s> timing) while COPY_SCALE damps the rest
    keep = torch.full((a.d,), COPY_SCALE)
    keep[0] = 1.0
    mb['model.decoder.layernorm_embedding.weight'].mul_(keep)
    mb['model.decoder.layernorm_embedding.bias'].mul_(keep)
    mb['model.decoder.embed_positions.weight'].mul_(POS_SCALE)
    mb['model.decoder.embed_positions.weight'][:, 0] += (torch.arange(a.max_pos + 2.0) - 2).clamp(min=0) * EOS_RAMP
    mb['model.shared.weight'][EOS, 0] += EOS_ALIGN
    for k, v in mb.items():
        sd['translation_network.model.' + k] = v  # the tied embedding keeps one storage under its 4 names
    ge = rnd(g, gloss_rows, a.d, std=0.5)
    ge[a.gloss_pad] = 0.0  # nn.Embedding padding_idx row
    sd['translation_network.gloss_embedding.weight'] = ge
    return sd


# ---------------------------------------------------------------- forward (eval)

def visual_head(sd, prefix, x):
    """(T', D_in) -> (gloss feature (T', 512) = final layer_norm output, probabilities (T', V))."""
    p = lambda k: sd[prefix + k]  # noqa: E731
    h = F.linear(x, p('fc1.weight'), p('fc1.bias'))
    h = F.batch_norm(h, p('bn1.norm.running_mean'), p('bn1.norm.running_var'), p('bn1.norm.weight'), p('bn1.norm.bias'),
                     training=False, eps=1e-5)
    h = F.relu(h) + p('pe.pe')[0, :h.shape[0]]
    y = F.layer_norm(h, (HIDDEN,), p('feedforward.layer_norm.weight'), p('feedforward.layer_norm.bias'), 1e-6)
    y = y.t()[None]  # (T', C) -> (1, C, T')
    y = F.conv1d(y, p('feedforward.pwff_layer.0.weight'), p('feedforward.pwff_layer.0.bias'), padding=1)
    y = F.conv1d(F.relu(y), p('feedforward.pwff_layer.3.weight'), p('feedforward.pwff_layer.3.bias'), padding=1)
    h = h + y[0].t()  # (1, C, T') -> (T', C)
    feat = F.layer_norm(h, (HIDDEN,), p('layer_norm.weight'), p('layer_norm.bias'), 1e-6)
    return feat, F.linear(feat, p('gloss_output_layer.weight'), p('gloss_output_layer.bias')).softmax(-1)


class Network:
    """One trained S2T network in eval mode: features -> encoder states; prefixes -> next-word log-probs."""

    def __init__(self, a, system, sd):
        self.a, self.system, self.sd = a, system, sd
        self.w = {k[len('translation_network.model.'):]: v for k, v in sd.items() if k.startswith('translation_network.model.')}
        self.cfg = SimpleNamespace(d=a.d, layers=a.layers, heads=a.heads)

    def source(self, rgb, kp, eps=0.0):
        """The source head's output the mapper reads: gloss feature (T', 512) or probabilities (T', V)."""
        x = {'video': rgb, 'keypoint': kp, 'joint': torch.cat([kp, rgb], dim=1)}[self.system] + eps
        feat, probs = visual_head(self.sd, f'recognition_network.{SOURCE_HEAD[self.system]}.', x)
        return feat if self.a.mapper == 'projection' else probs

    def encode(self, rgb, kp, eps=0.0, source=None):
        src = self.source(rgb, kp, eps) if source is None else source
        if self.a.mapper == 'projection':
            m = F.linear(F.relu(F.linear(src, self.sd['vl_mapper.mapping.0.weight'], self.sd['vl_mapper.mapping.0.bias'])),
                         self.sd['vl_mapper.mapping.2.weight'], self.sd['vl_mapper.mapping.2.bias'])
        else:
            m = F.linear(src, self.sd['vl_mapper.mapping.weight'])
        ge = self.sd['translation_network.gloss_embedding.weight']
        x = torch.cat([m, ge[self.a.gloss_eos][None], ge[self.a.gloss_sign][None]], dim=0) * math.sqrt(self.a.d)
        return mbart_ref.encode(self.w, self.cfg, x[None], None)  # (1, T'+2, d)

    def step(self, enc, prefixes):
        logits = mbart_ref.decode(self.w, self.cfg, prefixes, enc.expand(prefixes.shape[0], -1, -1), None)
        return logits[:, -1].log_softmax(-1)


# ---------------------------------------------------------------- beam search

def beam_search(step, start, forbidden, k, max_length, alpha=1.0, hf_max_length=False, final_len_words=False,
                hf_early_stop=False):
    """Hugging Face-style beam search (the contract at the top). Returns (ids without start and </s>, score, steps,
    margin = the smallest score gap any decision depended on).

    Defaults are the convention the C# port documents; the flags are the alternative readings checked for
    sensitivity: hf_max_length (at most max_length-1 words, as generate counts the start token), final_len_words
    (live beams at the maximum length are normalised by their word count, not words + start), hf_early_stop
    (generate's test: best of all 2k candidate scores / the prefix length before this step's word)."""
    live = [([start], 0.0)]
    finished = []  # (normalised score, ids)
    steps = max_length - 1 if hf_max_length else max_length
    margin = [float('inf')]  # the closest call: float noise smaller than this cannot change the result
    t = 0
    for t in range(1, steps + 1):
        lp = step(torch.tensor([ids for ids, _ in live]))  # (n, V)
        lp[:, forbidden] = float('-inf')
        vocab = lp.shape[1]
        cand = (torch.tensor([s for _, s in live], dtype=lp.dtype)[:, None] + lp).reshape(-1)
        scores, idx = cand.topk(min(2 * k + 1, cand.numel()))
        extra = scores[2 * k].item() if scores.numel() > 2 * k else float('-inf')
        scores, idx = scores[:2 * k], idx[:2 * k]
        ranked = scores.tolist()
        words = [i % vocab for i in idx.tolist()]
        if len(ranked) > k and math.isfinite(ranked[k]) and EOS in (words[k - 1], words[k]):
            margin.append(ranked[k - 1] - ranked[k])  # which </s> candidates may finish
        nxt = []
        for rank, (s, i) in enumerate(zip(ranked, idx.tolist())):
            beam, word = divmod(i, vocab)
            if word == EOS:
                if rank < k:
                    finished.append((s / t ** alpha, live[beam][0][1:]))  # |y| = t words incl. </s>
                continue
            nxt.append((live[beam][0] + [word], s))
            if len(nxt) == k:
                following = [r for r, j in zip(ranked[rank + 1:], idx.tolist()[rank + 1:]) if j % vocab != EOS] + [extra]
                if math.isfinite(following[0]):
                    margin.append(s - following[0])  # which words stay live
                break
        finished = sorted(finished, key=lambda f: -f[0])[:k]
        live = nxt
        if len(finished) >= k:
            if hf_early_stop:
                best = scores.max().item() / t ** alpha
            else:
                best = max(s for _, s in live) / (t + 1) ** alpha
            margin.append(abs(best - finished[-1][0]))
            if best <= finished[-1][0]:
                margin.append(finished[0][0] - finished[1][0] if k > 1 else float('inf'))
                return finished[0][1], finished[0][0], t, min(margin)
    for ids, s in live:  # the maximum length: live beams are finished as they are
        n = len(ids) - 1 if final_len_words else len(ids)
        finished.append((s / n ** alpha, ids[1:]))
    finished.sort(key=lambda f: -f[0])
    if len(finished) > 1:
        margin.append(finished[0][0] - finished[1][0])
    return finished[0][1], finished[0][0], t, min(margin)


# ---------------------------------------------------------------- fixture

def features(a, name, frames, stream):
    """name: the record name of SLRT's files (Phoenix-2014T `<split>/<name>`, CSL-Daily `<name>`)."""
    g = torch.Generator().manual_seed(a.seed * 7919 + zlib.crc32(f'{stream}:{name}'.encode()))
    return torch.randn(max(3, frames // 4), a.feature_size, generator=g).abs()


def calibrate_eos(net, clips, start, forbidden, a):
    """Bisects a shift of final_logits_bias[</s>] until the median beam hypothesis over `clips` has TARGET_LENGTH
    pieces (random weights otherwise end at once or run to the maximum length, which tests little)."""
    bias = net.sd['translation_network.model.final_logits_bias']
    base = bias[0, EOS].item()
    cap = min(a.max_length, 3 * TARGET_LENGTH)
    lo, hi = -12.0, 12.0
    with torch.no_grad():
        encs = [net.encode(rgb, kp) for rgb, kp in clips]
        for _ in range(10):
            mid = (lo + hi) / 2
            bias[0, EOS] = base + mid
            lengths = sorted(len(beam_search(lambda p, e=e: net.step(e, p), start, forbidden, a.beam, cap)[0]) for e in encs)
            if lengths[len(lengths) // 2] > TARGET_LENGTH:
                lo = mid
            else:
                hi = mid
    bias[0, EOS] = base + (lo + hi) / 2
    return (lo + hi) / 2


def train_translation(net, clips, targets, start, steps, lr):
    """Teacher-forced cross-entropy, Adam, on (clip, pruned text ids) pairs: the VL-mapper, gloss embedding and mBART
    learn to say corpus sentences (the heads stay random, as SLRT's S2T heads start, spec §10.4). A few steps
    are enough for sentence-like, clip-dependent output that ends by itself and scores above zero."""
    params = {}
    for k, v in net.sd.items():
        if (k.startswith('vl_mapper.') or k.startswith('translation_network.')) and not k.endswith('final_logits_bias'):
            params[id(v)] = v  # the tied embedding once
    params = list(params.values())
    for p in params:
        p.requires_grad_(True)
    opt = torch.optim.Adam(params, lr=lr)
    losses = []
    with torch.no_grad():
        sources = [net.source(rgb, kp) for rgb, kp in clips]  # the heads are not trained
    for _ in range(steps):
        opt.zero_grad()
        loss = 0.0
        for src, ids in zip(sources, targets):
            enc = net.encode(None, None, source=src)
            logits = mbart_ref.decode(net.w, net.cfg, torch.tensor([[start] + ids]), enc, None)[0]  # (L, V)
            loss = loss + F.cross_entropy(logits, torch.tensor(ids + [EOS]))
        (loss / len(clips)).backward()
        opt.step()
        losses.append(loss.item() / len(clips))
    for p in params:
        p.requires_grad_(False)
    return losses[0], losses[-1]


def write_pickle(path, obj, gz=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with (gzip.open(path, 'wb') if gz else open(path, 'wb')) as f:
        pickle.dump(obj, f)


def decode_all(nets, clips, start, forbidden, a, **variant):
    """{system: [(ids, steps, margin)]} for the three networks and their ensemble."""
    out = {s: [] for s in SYSTEMS + ['ensemble']}
    if a.beam_rule == 'hf':
        variant = {'hf_max_length': True, 'hf_early_stop': True, **variant}
    eps = variant.pop('eps', 0.0)
    log_sum = variant.pop('log_sum', True)
    for rgb, kp in clips:
        encs = {s: nets[s].encode(rgb, kp, eps) for s in SYSTEMS}
        for s in SYSTEMS:
            ids, _, t, m = beam_search(lambda p, s=s: nets[s].step(encs[s], p), start, forbidden, a.beam, a.max_length, **variant)
            out[s].append((ids, t, m))

        def ens(p):
            probs = torch.stack([nets[s].step(encs[s], p).exp() for s in SYSTEMS])
            return (probs.sum(0) if log_sum else probs.mean(0)).log()
        ids, _, t, m = beam_search(ens, start, forbidden, a.beam, a.max_length, **variant)
        out['ensemble'].append((ids, t, m))
    return out


def fixture(a):
    t0 = time.time()
    torch.set_num_threads(1)
    ds = DATASETS[a.dataset]
    corpus = ds.read(a.data)
    for split in a.splits:
        if split not in corpus:
            sys.exit(f'{a.data}: no {a.dataset} split {split} (have {", ".join(corpus)})')
    if a.max_length + 1 > a.max_pos:
        sys.exit(f'--max-length {a.max_length} needs --max-pos > {a.max_length} (decoder positions)')
    mb = os.path.join(a.out, ds.mbart)
    os.makedirs(mb, exist_ok=True)

    # SentencePiece and the full mBART id layout; pruning (spec §10.1)
    lines = sentences(corpus)
    words = sorted({w for line in lines for w in line.split()})
    vocab = a.spm_vocab
    sp = train_sentencepiece(lines, os.path.join(mb, 'sentencepiece.bpe'), vocab)
    os.unlink(os.path.join(mb, 'sentencepiece.bpe.vocab'))
    full = FullVocab(sp)
    multi = [w for w in words if len(w) > 1 and len(sp.encode(w)) > 1]
    if not multi:
        sys.exit(f'SentencePiece with {vocab} pieces keeps every word whole; pass a smaller --spm-vocab')
    used = {i for line in lines for i in full.encode(line)}
    if UNK in used:
        sys.exit('a translation or gloss encodes to <unk>; the SentencePiece model should cover every character')
    kept = sorted(set(range(4)) | {full.lang(c) for c in LANGUAGE_CODES} | {full.mask} | used)
    old2new = {old: new for new, old in enumerate(kept)}
    new2old = {new: old for old, new in old2new.items()}
    write_pickle(os.path.join(mb, 'map_ids.pkl'), old2new)
    target_id = old2new[full.lang(ds.target)]  # the decoder's start token (de_DE or zh_CN)

    # gloss vocabulary (spec §6, the corpus's layout)
    gloss2ids = {g: i for i, g in enumerate(ds.gloss_specials)}
    for _, orth, _, _ in corpus['train']:
        for gl in orth.lower().split():
            gloss2ids.setdefault(gl, len(gloss2ids))
    write_pickle(os.path.join(mb, 'gloss2ids.pkl'), gloss2ids)
    V = len(gloss2ids)
    # The gloss embedding's rows: gloss2ids, then </s> and the sign-language code when it lacks them (CSL-Daily's has no
    # zh_CSL), appended after the recognition ids as the port's TranslationVocabulary.FromMBart does. The heads keep V.
    gloss_rows = dict(gloss2ids)
    for token in ('</s>', ds.sign):
        gloss_rows.setdefault(token, len(gloss_rows))
    a.gloss_eos, a.gloss_sign, a.gloss_pad = gloss_rows['</s>'], gloss_rows[ds.sign], gloss2ids['<pad>']

    config = {
        'model_type': 'mbart', 'architectures': ['MBartForConditionalGeneration'], 'vocab_size': len(kept),
        'd_model': a.d, 'encoder_layers': a.layers, 'decoder_layers': a.layers,
        'encoder_attention_heads': a.heads, 'decoder_attention_heads': a.heads,
        'encoder_ffn_dim': a.ffn, 'decoder_ffn_dim': a.ffn, 'max_position_embeddings': a.max_pos,
        'scale_embedding': True, 'pad_token_id': PAD, 'bos_token_id': BOS, 'eos_token_id': EOS,
        'activation_function': 'gelu', 'normalize_before': True, 'add_final_layer_norm': True,
        'dropout': 0.1, 'attention_dropout': 0.0, 'activation_dropout': 0.0, 'init_std': 0.02,
        'encoder_layerdrop': 0.0, 'decoder_layerdrop': 0.0, 'is_encoder_decoder': True, 'use_cache': True,
        'num_hidden_layers': a.layers,
    }
    with open(os.path.join(mb, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)

    # networks (saved after the </s> calibration below)
    pe = sinusoid(HIDDEN)
    nets = {s: Network(a, s, network_state(a, s, V, len(kept), pe, len(gloss_rows))) for s in SYSTEMS}

    # features (extract_feature.py: name, gloss, text, num_frames, sign)
    feats = {}
    for split in sorted(set(a.splits) | {'dev'}):
        recs = {'rgb': [], 'keypoint': []}
        for name, orth, text, frames in corpus[split]:
            key = ds.record(split, name)
            for stream in recs:
                recs[stream].append({'name': key, 'gloss': orth, 'text': text, 'num_frames': frames,
                                     'sign': features(a, key, frames, stream)})
        for stream, r in recs.items():
            write_pickle(os.path.join(a.out, 'extract_feature', f'head_{stream}_input', f'{split}.pkl'), r, gz=True)
        feats[split] = recs

    start, forbidden = target_id, [BOS, PAD, target_id]
    first = feats[a.splits[0]]
    calibration_clips = [(r['sign'], k['sign']) for r, k in zip(first['rgb'], first['keypoint'])]
    train_clips, train_ids = [], []
    for split in ('train', 'dev'):
        for name, _, text, frames in corpus[split]:
            key = ds.record(split, name)
            train_clips.append((features(a, key, frames, 'rgb'), features(a, key, frames, 'keypoint')))
            train_ids.append([old2new[i] for i in full.encode(text)])
    eos_shift, training = {}, {}
    for s in SYSTEMS:
        if a.train_steps > 0:
            training[s] = train_translation(nets[s], train_clips, train_ids, start, a.train_steps, a.lr)
        else:
            eos_shift[s] = calibrate_eos(nets[s], calibration_clips, start, forbidden, a)
        path = os.path.join(a.out, f's2t_{s}', 'best.ckpt')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        torch.save({'epoch': 40, 'global_step': 35480, 'model_state': nets[s].sd, 'optimizer_state': {},
                    'scheduler_state': {}, 'best_score': 0.0, 'current_score': 0.0}, path)

    # reference translations
    summary, sensitive = {}, {}
    if a.beam_rule == 'port':
        variants = {'hf_max_length': {'hf_max_length': True}, 'hf_early_stop': {'hf_early_stop': True}}
    else:
        variants = {'port_max_length': {'hf_max_length': False}, 'port_early_stop': {'hf_early_stop': False}}
    variants.update({'final_len_words': {'final_len_words': True}, 'features_plus_1e-8': {'eps': 1e-8},
                     'ensemble_log_mean': {'log_sum': False}})
    os.makedirs(os.path.join(a.out, 'reference'), exist_ok=True)
    with torch.no_grad():
        for split in a.splits:
            recs = feats[split]
            clips = [(r['sign'], k['sign']) for r, k in zip(recs['rgb'], recs['keypoint'])]
            out = decode_all(nets, clips, start, forbidden, a)
            for system, hyps in out.items():
                with open(os.path.join(a.out, 'reference', f'{split}.{system}.tsv'), 'w', encoding='utf-8') as f:
                    f.write('name\thypothesis_ids\thypothesis\tspm_decode\n')
                    for rec, (ids, _, _) in zip(recs['rgb'], hyps):
                        raw = full.decode([new2old[i] for i in ids])
                        f.write(f"{rec['name']}\t{' '.join(map(str, ids))}\t{hf_cleanup(raw, a.dataset)}\t{raw}\n")
                summary[f'{split}.{system}'] = {'words': [len(h[0]) for h in hyps], 'steps': [h[1] for h in hyps],
                                                'min_margin': min(h[2] for h in hyps),
                                                'distinct': len({tuple(h[0]) for h in hyps})}
            if not a.no_sensitivity:
                for vname, v in variants.items():
                    alt = decode_all(nets, clips, start, forbidden, a, **v)
                    diff = [f'{split}.{s}:{i}' for s in out for i in range(len(clips)) if alt[s][i][0] != out[s][i][0]]
                    sensitive.setdefault(vname, []).extend(diff)

    info = {
        'dataset': a.dataset, 'gloss_embedding_rows': len(gloss_rows), 'd': a.d, 'layers': a.layers, 'heads': a.heads, 'ffn': a.ffn, 'max_pos': a.max_pos,
        'feature_size': a.feature_size, 'gloss_vocab': V, 'pruned_vocab': len(kept), 'full_vocab': full.size,
        'spm_pieces': full.pieces, 'beam': a.beam, 'max_length': a.max_length, 'length_penalty': 1.0,
        'beam_rule': a.beam_rule, 'mapper': a.mapper, ds.target: target_id, ds.target + '_full': full.lang(ds.target),
        ds.sign + '_gloss_id': a.gloss_sign,
        'eos': EOS, 'train_steps': a.train_steps, 'train_loss_first_last': training, 'eos_bias_shift': eos_shift,
        'forbidden': forbidden, 'with_remain_heads': a.with_remain_heads, 'seed': a.seed,
        'splits': a.splits, 'feature_splits': sorted(feats), 'multi_piece_words': multi,
        'systems': SYSTEMS + ['ensemble'], 'source_head': SOURCE_HEAD, 'decoded': summary,
        'sensitive_to': sensitive if not a.no_sensitivity else None,
    }
    with open(os.path.join(a.out, 'fixture.json'), 'w') as f:
        json.dump(info, f, indent=1)
    print(f'slt_ref: V={V} pruned={len(kept)} pieces={full.pieces} {ds.target}={target_id}; '
          + '; '.join(f"{k} words {v['words']}" for k, v in summary.items()) + f'; {time.time() - t0:.1f} s')
    close = {k: v['min_margin'] for k, v in summary.items() if v['min_margin'] < 1e-4}
    if close:
        print('slt_ref: warning: decisions closer than 1e-4 (float noise may flip them): '
              + ' '.join(f'{k} {m:.1e}' for k, m in close.items()))
    for vname, diff in sensitive.items():
        if diff:
            print(f'slt_ref: warning: the {vname} reading changes {len(diff)} hypotheses: {" ".join(diff)}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['fixture'])
    ap.add_argument('out')
    ap.add_argument('--data', required=True)
    ap.add_argument('--dataset', choices=sorted(DATASETS), default='phoenix-2014t',
                    help='the layout of --data and the release it mimics (mBart_de or mBart_zh, gloss2ids layout, defaults)')
    ap.add_argument('--splits', default='test', type=lambda s: s.split(','))
    ap.add_argument('--feature-size', type=int, default=16)
    ap.add_argument('--d', type=int, default=32)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--ffn', type=int, default=64)
    ap.add_argument('--max-pos', type=int, default=None, help='decoder positions (default: 128 Phoenix-2014T, 512 CSL-Daily)')
    ap.add_argument('--beam', type=int, default=5)
    ap.add_argument('--max-length', type=int, default=None, help='default: 100 Phoenix-2014T, 500 CSL-Daily (spec §10.5)')
    ap.add_argument('--mapper', choices=['projection', 'probabilities'], default=None,
                    help='default: projection Phoenix-2014T, probabilities CSL-Daily (all three networks)')
    ap.add_argument('--seed', type=int, default=5)
    ap.add_argument('--with-remain-heads', action='store_true',
                    help='also the SPN heads visual_head_remain.{0,1} / visual_head_keypoint_remain.{0,1} (192, 480 in)')
    ap.add_argument('--beam-rule', choices=['port', 'hf'], default='port',
                    help="port: at most max_length words, early stop on the best live beam / (its length incl. the start "
                         "token); hf: transformers' generate (max_length counts the start token, early stop on the best "
                         "of the 2k candidates / the length before this step)")
    ap.add_argument('--spm-vocab', type=int, default=100, help='SentencePiece vocab_size (a soft limit)')
    ap.add_argument('--train-steps', type=int, default=60,
                    help='Adam steps on the train+dev clips (0: random weights, </s> bias calibrated instead)')
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--no-sensitivity', action='store_true', help='skip re-decoding under the alternative readings')
    a = ap.parse_args()
    ds = DATASETS[a.dataset]
    a.max_length = ds.max_length if a.max_length is None else a.max_length
    a.max_pos = ds.max_pos if a.max_pos is None else a.max_pos
    a.mapper = ds.mapper if a.mapper is None else a.mapper
    fixture(a)


if __name__ == '__main__':
    main()
