using System.Net;
using System.Text;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Plots;

/// <summary>
/// The lexicon at a glance: each sign drawn at mid-movement by one signer, with the dominant hand's path
/// dotted in red, and (in the HTML version) its phonological parameters under the picture.
/// </summary>
public static class SynthLexiconSheet
{
    /// <summary>One picture of one sign at phase 0.5, <paramref name="tile"/> pixels square.</summary>
    public static SynthImage Sign(SignEntry sign, SynthSigner signer, int tile = 96)
    {
        var data = new byte[tile * tile * 3];
        var c = new Canvas(data, 0, tile, tile);
        c.FillRect(0, 0, tile, tile, new Rgb(225, 228, 232));
        var body = new BodyFrame(signer, 0.5, 0.41);
        var s = new double[ArticulatorState.Size];
        var pts = new double[2 * SynthLayout.Count];
        SignPerformer.State(sign, body, 0.5, s);
        PoseBuilder.Build(s, body, default, pts);
        for (int i = 0; i < pts.Length; i++) pts[i] *= tile;
        SignerRenderer.Draw(c, pts, null, signer, tile, 0);
        var path = new double[2 * SynthLayout.Count];
        for (int k = 0; k <= 16; k++)
        {
            SignPerformer.State(sign, body, k / 16.0, s);
            PoseBuilder.Build(s, body, default, path);
            int palm = SynthLayout.RightHandStart + 9;
            c.FillCircle(path[2 * palm] * tile, path[2 * palm + 1] * tile, Math.Max(0.6, tile / 140.0), new Rgb(220, 30, 30), 0.6f);
        }
        return new SynthImage(tile, tile, data);
    }

    /// <summary>All signs in a grid (lexicon order, row by row); no text, so it is a plain picture.</summary>
    public static SynthImage Image(SynthCorpus corpus, int columns = 8, int tile = 64, int signer = 0)
    {
        var entries = corpus.Lexicon.Entries;
        int rows = (entries.Count + columns - 1) / columns, W = columns * tile, H = rows * tile;
        var data = new byte[W * H * 3];
        Array.Fill(data, (byte)255);
        for (int i = 0; i < entries.Count; i++)
        {
            var img = Sign(entries[i], corpus.Signers[signer], tile);
            int x0 = i % columns * tile, y0 = i / columns * tile;
            for (int y = 0; y < tile; y++) Array.Copy(img.Data, y * tile * 3, data, ((y0 + y) * W + x0) * 3, tile * 3);
        }
        return new SynthImage(W, H, data);
    }

    /// <summary>HTML grid: picture, gloss, and its parameters (handshape, location, movement, hands, face).</summary>
    public static string Html(SynthCorpus corpus, int tile = 96, int signer = 0)
    {
        var sb = new StringBuilder("<div style=\"display:flex;flex-wrap:wrap;gap:6px;font-family:sans-serif;font-size:11px\">");
        foreach (var e in corpus.Lexicon.Entries)
        {
            var mv = e.Movement;
            string hands = e.Hands switch
            {
                HandUse.TwoSymmetric => "two hands, symmetric",
                HandUse.DominantPassive => $"dominant + passive {e.Passive?.Name ?? "B"}",
                _ => "one hand",
            };
            sb.Append($"<div style=\"width:{tile + 40}px\">{Sign(e, corpus.Signers[signer], tile).ToHtml()}<br/>");
            sb.Append($"<b>{E(e.Gloss)}</b> <span style=\"color:#888\">{E(e.Category)}</span><br/>");
            sb.Append($"handshape {E(e.Dominant.Name)} · {e.Location}<br/>{mv.Shape}{(mv.Repeats > 1 ? $" ×{mv.Repeats}" : "")}");
            sb.Append($"{(mv.Speed != 1 ? $" speed {mv.Speed:0.#}" : "")} · {hands}<br/>mouth {e.Mouth} · brows {e.Brows}</div>");
        }
        sb.Append("</div>");
        return sb.ToString();
    }

    /// <summary><see cref="Html"/> as HTML content for notebook display.</summary>
    public static Notebooks.HtmlView View(SynthCorpus corpus, int tile = 96, int signer = 0) => new(Html(corpus, tile, signer), $"lexicon sheet: {corpus.Lexicon.Glosses.Count} glosses");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
