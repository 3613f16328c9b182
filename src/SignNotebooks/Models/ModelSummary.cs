using static TorchSharp.torch;

namespace SignNotebooks.Models;

/// <summary>Key/shape listings and parameter counts of a model, in the format of the golden files.</summary>
public static class ModelSummary
{
    /// <summary>One line per state-dict entry: <c>key&lt;TAB&gt;d0,d1,...</c> (scalars have an empty shape).</summary>
    public static IEnumerable<string> KeyShapeLines(nn.Module model) =>
        model.state_dict().Select(kv => $"{kv.Key}\t{string.Join(",", kv.Value.shape)}");

    /// <summary>Number of parameter elements (trainable and frozen).</summary>
    public static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());

    /// <summary>Number of trainable parameter elements.</summary>
    public static long TrainableCount(nn.Module model) => model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
}
