using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>
/// One allow-listed pickle global: a name and the C# function that stands in for it. Razorvine's constructor
/// registry is process-wide and TorchSharp.PyBridge registers some of the same names (torch's tensor rebuild,
/// OrderedDict) for checkpoints, so the stand-in is used only while <see cref="SafeUnpickler"/> is reading on this
/// thread; any other reader gets the constructor that was registered before (<see cref="Fallback"/>).
/// </summary>
internal sealed class AllowedConstructor(string name, Func<object[], object?> body) : IObjectConstructor
{
    [ThreadStatic] internal static bool Active;

    public string Name { get; } = name;
    /// <summary>The constructor registered under <see cref="Name"/> before ours, if any.</summary>
    public IObjectConstructor? Fallback { get; set; }

    public object construct(object[] args)
    {
        if (!Active)
        {
            if (Fallback is not null) return Fallback.construct(args);
            int dot = Name.LastIndexOf('.');
            return new ClassDictConstructor(Name[..dot], Name[(dot + 1)..]).construct(args);   // Razorvine's default for unknown names
        }
        try { return body(args)!; }
        catch (Exception e) when (e is InvalidCastException or IndexOutOfRangeException or FormatException)
        {
            throw new UserFacingException($"{Name}: unexpected arguments ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "None"))}). " +
                                          "Fix: the file was written by an unsupported numpy/torch version; re-save it with plain numpy arrays.", e);
        }
    }
}
