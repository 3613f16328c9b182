using SignNotebooks.Corpora;
using SignNotebooks.Tests.Corpora;

namespace SignNotebooks.Tests.Pose;

/// <summary>
/// `extract-keypoints --corpus` on small trees in the original layouts: the pickle it writes has SLRT's keys and frame
/// counts, so `data check --keypoints` accepts it and the corpus loader reads keypoints from it.
/// </summary>
[Collection("Console")]
public sealed class PoseCorpusExtractionTests : IDisposable
{
    private const int K = 133;
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-corpus-extract-").FullName;
    private readonly string _model;

    public PoseCorpusExtractionTests()
    {
        _model = Path.Combine(_dir, "constant.onnx");
        var centres = Enumerable.Range(0, K).Select(k => (4.0 + k % 8, 4.0 + k % 8)).ToList();
        PoseTestGraphs.WriteConstant(_model, [1, 3, 64, 48], new PoseTestGraphs.Output("heatmaps", [1, K, 16, 12], PoseTestGraphs.GaussianHeatmaps(16, 12, 2.0, centres)));
    }

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Phoenix_2014T_and_2014_pickles_pass_data_check_and_load()
    {
        var p14t = Path.Combine(_dir, "p14t");
        CorpusFixtures.ExportPhoenix2014T(p14t);
        var pkl = Path.Combine(_dir, "p14t.pkl");
        var (code, stdout, stderr) = CliCapture.Run("extract-keypoints", "--model", _model, "--corpus", "phoenix-2014t", "--root", p14t, "--out", pkl);
        Assert.True(code == 0, stderr);
        Assert.Contains("6 clips", stdout);
        (code, stdout, stderr) = CliCapture.Run("data", "check", "--dataset", "phoenix-2014t", "--root", p14t, "--keypoints", pkl);
        Assert.True(code == 0, stdout + stderr);
        var corpus = new FolderCorpus("phoenix-2014t", p14t, pkl);
        var clip = corpus.Load("dev", corpus.ClipNames("dev")[0], withFrames: false);
        Assert.Equal(clip.FrameCount * K * 3, clip.Keypoints.Length);

        var p14 = Path.Combine(_dir, "p14");
        CorpusFixtures.WritePhoenix2014(p14);
        var pkl14 = Path.Combine(_dir, "p14.pkl");
        (code, _, stderr) = CliCapture.Run("extract-keypoints", "--model", _model, "--corpus", "phoenix-2014", "--root", p14, "--split", "train", "--out", pkl14);
        Assert.True(code == 0, stderr);
        Assert.Equal([CorpusFixtures.P14Key(0), CorpusFixtures.P14Key(1)], KeypointFile.Read(pkl14).Names.Order(StringComparer.Ordinal).ToArray());
    }
}
