using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SignNotebooks.Translation;

/// <summary>
/// Hugging Face's <c>MBartModel</c> tree: <c>shared</c> (the token embedding, padding row = pad id), <c>encoder</c>
/// and <c>decoder</c>, both of which hold the same embedding as <c>embed_tokens</c>, so the state dict lists it
/// three times, as Hugging Face's does.
/// </summary>
public sealed class MBartModel : nn.Module<Tensor, Tensor>
{
    private readonly Embedding shared;
    private readonly MBartEncoder encoder;
    private readonly MBartDecoder decoder;

    public MBartModel(MBartConfig c) : base(nameof(MBartModel))
    {
        shared = nn.Embedding(c.VocabularySize, c.DModel, padding_idx: c.PadTokenId);
        encoder = new MBartEncoder(c, shared);
        decoder = new MBartDecoder(c, shared);
        RegisterComponents();
    }

    public Embedding Shared => shared;
    public MBartEncoder Encoder => encoder;
    public MBartDecoder Decoder => decoder;

    public override Tensor forward(Tensor ids) => encoder.call(ids);
}
