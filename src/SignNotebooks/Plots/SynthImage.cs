using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using SignNotebooks.Synthetic;

namespace SignNotebooks.Plots;

/// <summary>
/// An RGB picture made by the SynthSign views; saves as PNG or embeds in HTML. It is <see cref="IHtmlContent"/>,
/// so a notebook cell that ends with one displays the picture.
/// </summary>
public sealed record SynthImage(int Width, int Height, byte[] Data) : IHtmlContent
{
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => writer.Write(ToHtml());

    public byte[] ToPng() => PngEncoder.Encode(Data, 0, Width, Height);
    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());
    public string ToDataUri() => "data:image/png;base64," + Convert.ToBase64String(ToPng());
    /// <summary>An &lt;img&gt; tag with the picture inlined (notebooks display it as HTML).</summary>
    public string ToHtml(int? displayWidth = null) =>
        $"<img src=\"{ToDataUri()}\" width=\"{displayWidth ?? Width}\" style=\"image-rendering:pixelated\"/>";
}
