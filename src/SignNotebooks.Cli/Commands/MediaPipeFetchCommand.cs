using SignNotebooks.Pose.Holistic;

namespace SignNotebooks.Cli.Commands;

public sealed class MediaPipeFetchCommand : ICommand
{
    public string Name => "mediapipe fetch";
    public string Summary => "Fetch @mediapipe/holistic (pinned, SHA-256 checked) with npm and convert its models to ONNX.";
    public string Usage => $"""
        signnb mediapipe fetch
          npm pack {HolisticAssets.Package}@{HolisticAssets.Version} into {HolisticAssets.CacheRoot} (SIGNNB_MEDIAPIPE_CACHE overrides),
          check the archive's SHA-256, unpack the .tflite files (loose and packed) and convert the pipeline's models to ONNX.
          Each step is skipped when its result is already there.
        """;

    public int Run(CliArgs args)
    {
        args.EnsureAllUsed();
        HolisticAssets.Prepare(Console.WriteLine);
        Console.WriteLine(HolisticAssets.Status().Detail);
        return 0;
    }
}
