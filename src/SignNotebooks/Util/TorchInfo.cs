using TorchSharp;

namespace SignNotebooks.Util;

/// <summary>Versions and device facts of the TorchSharp backend actually loaded.</summary>
public static class TorchInfo
{
    /// <summary>Loads the native backend (throws with TorchSharp's message when it cannot) and describes it.</summary>
    public static string Describe()
    {
        var t = torch.ones(2, 2);
        var sum = t.sum().item<float>();
        return $"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, " +
               $"device {(torch.cuda.is_available() ? "cuda" : "cpu")}, threads {torch.get_num_threads()}, check {sum}";
    }
}
