using SignNotebooks.Keypoints;
using SignNotebooks.Pose;

namespace SignNotebooks.Tests.Pose;

public sealed class PoseAccuracyTests
{
    private const int K = WholeBody.Count, V = WholeBody.Values, W = 100, H = 100;

    // Every keypoint on a 50×50 box inside the frame (box side 50), right hand moving 5 px per frame.
    private static float[] Truth(int frames)
    {
        var kp = new float[frames * K * V];
        for (int t = 0; t < frames; t++)
            for (int k = 0; k < K; k++)
            {
                int o = (t * K + k) * V;
                kp[o] = 20 + (k % 11) * 5 + (k >= 112 ? t : 0);
                kp[o + 1] = 20 + (k % 11) * 5;
                kp[o + 2] = 1;
            }
        return kp;
    }

    [Fact]
    public void Perfect_shifted_and_out_of_frame_keypoints_score_as_defined()
    {
        var truth = Truth(4);
        var shifted = (float[])truth.Clone();
        for (int i = 0; i < shifted.Length; i += V) shifted[i] += 4;   // 4 px = 0.08 box sides (box side = 50 + hand motion)
        var outside = (float[])truth.Clone();
        outside[1] = -10;   // keypoint 0 of frame 0 outside the frame: not counted
        var report = PoseAccuracy.Score(new Dictionary<string, IReadOnlyList<PosePair>>
        {
            ["perfect"] = [new PosePair(truth, truth, 4, W, H)],
            ["shifted"] = [new PosePair(shifted, truth, 4, W, H)],
            ["outside"] = [new PosePair(truth, outside, 4, W, H)],
        });
        Assert.Equal(1.0, report.Pck("perfect", "all", 0.02));
        Assert.Equal(0.0, report.Pck("shifted", "all", 0.05));
        Assert.Equal(1.0, report.Pck("shifted", "all", 0.1));
        long all = report.Cells.First(c => c.Method == "perfect" && c.Part == "all").Count;
        Assert.Equal(4 * K, all);
        Assert.Equal(4 * K - 1, report.Cells.First(c => c.Method == "outside" && c.Part == "all").Count);
        Assert.Equal(2 * 21 * 4, report.Cells.First(c => c.Method == "perfect" && c.Part == "hands").Count);
        Assert.Equal(20 * 4, report.Cells.First(c => c.Method == "perfect" && c.Part == "mouth").Count);
        Assert.Contains("PCK@0.1", report.Table().Headers);
    }

    [Fact]
    public void Speed_thirds_separate_moving_from_still_keypoints()
    {
        var truth = Truth(6);
        var lagging = (float[])truth.Clone();
        // The prediction lags one frame behind: error = speed, so only the moving right hand is wrong.
        for (int t = 1; t < 6; t++)
            for (int k = 112; k < K; k++)
                lagging[(t * K + k) * V] = truth[((t - 1) * K + k) * V];
        var report = PoseAccuracy.Score(new Dictionary<string, IReadOnlyList<PosePair>> { ["lag"] = [new PosePair(lagging, truth, 6, W, H)] }, speedThreshold: 0.005);
        var bins = report.BySpeed.Where(b => b.Part == "all").ToList();
        Assert.Equal(["slow", "medium", "fast"], bins.Select(b => b.Bin));
        Assert.Equal(1.0, bins[0].Pck);
        Assert.True(bins[2].Pck < bins[0].Pck);
        Assert.True(bins[2].SpeedFrom >= bins[0].SpeedTo);
        Assert.Equal(6 * K / 3, bins[0].Count);
        Assert.Equal(3, report.SpeedTable().Rows.Count(r => r[1] == "all"));
    }

    [Fact]
    public void Mean_pose_and_repeat_are_the_frame_average()
    {
        var a = Truth(2);
        var mean = PoseAccuracy.MeanPose([a]);
        Assert.Equal(K * V, mean.Length);
        Assert.Equal((a[112 * V] + a[(K + 112) * V]) / 2, mean[112 * V], 4);
        var rep = PoseAccuracy.Repeat(mean, 3);
        Assert.Equal(mean[5], rep[2 * K * V + 5]);
    }

    [Fact]
    public void Pairs_of_the_wrong_size_are_refused()
    {
        var t = Truth(2);
        Assert.Throws<ArgumentException>(() => PoseAccuracy.Score(new Dictionary<string, IReadOnlyList<PosePair>> { ["x"] = [new PosePair(t, t, 3, W, H)] }));
    }
}

public sealed class PoseFailuresTests
{
    [Fact]
    public void Exchanged_hands_are_a_swap_and_straight_ones_are_not()
    {
        const int K = 133, V = 3;
        var truth = new float[K * V];
        for (int k = 0; k < K; k++) { truth[k * V] = 50; truth[k * V + 1] = 50; truth[k * V + 2] = 1; }
        for (int j = 0; j < 21; j++)
        {
            truth[(91 + j) * V] = 70 + j * 0.2f;    // left hand on the image's right (the signer faces us)
            truth[(112 + j) * V] = 30 + j * 0.2f;
        }
        var swapped = (float[])truth.Clone();
        for (int j = 0; j < 21; j++) (swapped[(91 + j) * V], swapped[(112 + j) * V]) = (truth[(112 + j) * V], truth[(91 + j) * V]);
        var (l, r, s) = PoseFailures.Hands(swapped, truth, 0, 100, 100);
        Assert.True(s);
        Assert.Equal(0.4, l, 3);   // 40 px in a 100 px frame
        Assert.Equal(0.4, r, 3);
        var (l0, r0, s0) = PoseFailures.Hands(truth, truth, 0, 100, 100);
        Assert.False(s0);
        Assert.Equal(0, l0 + r0, 9);
    }
}
