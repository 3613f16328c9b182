using Razorvine.Pickle;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>One allow-listed pickle global: a name and the C# function that stands in for it.</summary>
internal sealed class AllowedConstructor(string name, Func<object[], object?> body) : IObjectConstructor
{
    public string Name { get; } = name;

    public object construct(object[] args)
    {
        try { return body(args)!; }
        catch (Exception e) when (e is InvalidCastException or IndexOutOfRangeException or FormatException)
        {
            throw new UserFacingException($"{Name}: unexpected arguments ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "None"))}). " +
                                          "Fix: the file was written by an unsupported numpy/torch version; re-save it with plain numpy arrays.", e);
        }
    }
}
