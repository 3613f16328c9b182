using SignNotebooks.Data;
using SignNotebooks.Synthetic;
using SignNotebooks.Util;

namespace SignNotebooks.Corpora;

/// <summary>The two on-disk forms a real corpus comes in.</summary>
public enum CorpusForm
{
    /// <summary>The release as unpacked from its download (<see cref="FolderCorpus"/>).</summary>
    Original,
    /// <summary>SLRT's preprocessed data/&lt;ds&gt;/ folder: gzip-pickled lists, keypoint pickle, videos zip (<see cref="SlrtCorpus"/>).</summary>
    Slrt,
}

/// <summary>A corpus opened from a data root: the dataset, the vocabulary to train or decode with, and the files found.</summary>
/// <param name="Vocabulary">SLRT's gloss2ids.pkl in the root when present (the official ids), else built from the train split (spec §6).</param>
/// <param name="GlossIds">The gloss2ids.pkl used, or null.</param>
/// <param name="Keypoints">The keypoint pickle used, or null (then only the video stream can run).</param>
/// <param name="Frames">SLRT form: the videos zip or frame folder used, or null.</param>
public sealed record OpenedCorpus(string Dataset, string Root, CorpusForm Form, ISignDataset Corpus, Vocabulary Vocabulary,
    string? GlossIds, string? Keypoints, string? Frames)
{
    /// <summary>Runs the matching validator (`signnb data check`) on the same files.</summary>
    public CheckReport Check(bool decode = false) => Form == CorpusForm.Original
        ? CorpusCheck.Run(Dataset, Root, Keypoints, decode, GlossIds)
        : CorpusCheck.RunSlrt(Dataset, Root, Frames, Keypoints, GlossIds, decode);

    /// <summary>One line: what was opened.</summary>
    public string Describe() =>
        $"{CorpusLayout.Get(Dataset).Title} ({(Form == CorpusForm.Original ? "original layout" : "SLRT preprocessed")}) at {Root}: " +
        $"V = {Vocabulary.Count} ({(GlossIds is null ? "built from the train split" : GlossIds)}), " +
        $"keypoints {Keypoints ?? "none"}{(Form == CorpusForm.Slrt ? $", frames {Frames ?? "none"}" : "")}";
}

/// <summary>
/// Opens a real corpus by name and folder, so every notebook and command switches from SynthSign to Phoenix or
/// CSL-Daily by one parameter (the data root). It recognises the form and picks up the files SLRT keeps beside the
/// annotations: <c>gloss2ids.pkl</c>, <c>&lt;ds&gt;-keypoints.pkl</c>, <c>&lt;ds&gt;-videos.zip</c> or the folder
/// <c>&lt;ds&gt;-videos/</c> with the same inner paths.
/// </summary>
public static class CorpusSource
{
    /// <summary>The side CSL-Daily frames are resized to at load (spec §7.4: csl_resize [320, 320]).</summary>
    public const int CslFrameSize = 320;

    /// <summary>True for the names of real corpora (phoenix-2014, phoenix-2014t, csl-daily).</summary>
    public static bool IsReal(string dataset) => CorpusLayout.Names.Contains(dataset);

    /// <summary>The gloss clean-up a corpus is scored with (spec §8.3); none for SynthSign.</summary>
    public static Evaluation.GlossCleanup Cleanup(string? dataset) =>
        dataset is not null && IsReal(dataset) ? Evaluation.GlossCleaner.Parse(dataset)!.Value : Evaluation.GlossCleanup.None;

    /// <summary>The form of the corpus at <paramref name="root"/>, or null when neither form is there.</summary>
    public static CorpusForm? DetectForm(string dataset, string root)
    {
        var layout = CorpusLayout.Get(dataset);
        if (File.Exists(Path.Combine(root, $"{dataset}.train"))) return CorpusForm.Slrt;
        if (File.Exists(Path.Combine(root, layout.AnnotationFile("train")))) return CorpusForm.Original;
        return null;
    }

    /// <summary>
    /// Runs `data check` on whatever form is at <paramref name="root"/> (the original-layout check when neither is
    /// found, which then lists the missing annotation files), with the companion files found beside it.
    /// </summary>
    public static CheckReport Check(string dataset, string root, bool decode = false)
    {
        var (glossIds, keypoints, frames) = FindCompanions(dataset, root);
        return Directory.Exists(root) && DetectForm(dataset, root) == CorpusForm.Slrt
            ? CorpusCheck.RunSlrt(dataset, root, frames, keypoints, glossIds, decode)
            : CorpusCheck.Run(dataset, root, keypoints, decode, glossIds);
    }

    /// <summary>The files SLRT keeps beside the annotations, when present.</summary>
    public static (string? GlossIds, string? Keypoints, string? Frames) FindCompanions(string dataset, string root)
    {
        string? Existing(string p) => File.Exists(p) || Directory.Exists(p) ? p : null;
        return (Existing(Path.Combine(root, "gloss2ids.pkl")), Existing(Path.Combine(root, $"{dataset}-keypoints.pkl")),
            Existing(Path.Combine(root, $"{dataset}-videos.zip")) ?? Existing(Path.Combine(root, $"{dataset}-videos")));
    }

    /// <summary>
    /// Opens <paramref name="dataset"/> at <paramref name="root"/>. Explicit files override the ones found beside
    /// the annotations. A missing root or one holding neither form is a <see cref="UserFacingException"/> that says
    /// what was looked for.
    /// </summary>
    public static OpenedCorpus Open(string dataset, string root, string? keypoints = null, string? frames = null, string? glossIds = null)
    {
        var layout = CorpusLayout.Get(dataset);
        if (!Directory.Exists(root))
            throw new UserFacingException($"{root}: the {layout.Title} data folder does not exist. Fix: pass the folder of the unpacked release " +
                                          $"(with {layout.AnnotationFile("train")}) or SLRT's data/{dataset}/ folder (with {dataset}.train).");
        var form = DetectForm(dataset, root) ?? throw new UserFacingException(
            $"{root}: no {layout.Title} annotations there (looked for {layout.AnnotationFile("train")} and {dataset}.train). " +
            $"Fix: pass the folder of the unpacked release or SLRT's data/{dataset}/ folder; `signnb data check --dataset {dataset} --root DIR` lists what is missing.");
        var found = FindCompanions(dataset, root);
        glossIds ??= found.GlossIds;
        keypoints ??= found.Keypoints;
        ISignDataset corpus;
        IReadOnlyList<string> trainGlosses;
        if (form == CorpusForm.Original)
        {
            var folder = new FolderCorpus(dataset, root, keypoints);
            (corpus, trainGlosses) = (folder, folder.Glosses);
            frames = null;
        }
        else
        {
            frames ??= found.Frames;
            var slrt = new SlrtCorpus(dataset, root, frames, keypoints);
            (corpus, trainGlosses) = (slrt, slrt.Glosses);
        }
        var vocabulary = glossIds is null ? layout.BuildVocabulary(trainGlosses) : GlossIdsFile.Read(glossIds, dataset);
        // spec §7.4: SLRT loads CSL-Daily's 512² frames at 320², and its crop and map sizes assume that size.
        if (dataset == "csl-daily") corpus = new ResizedDataset(corpus, CslFrameSize, CslFrameSize);
        return new OpenedCorpus(dataset, root, form, corpus, vocabulary, glossIds, keypoints, frames);
    }

    /// <summary>
    /// The corpus a training or evaluation run reads: SynthSign (the config's profile and seed) when
    /// <paramref name="dataset"/> is null or "synthsign", else the real corpus at <paramref name="dataRoot"/>.
    /// </summary>
    public static (ISignDataset Corpus, Vocabulary Vocabulary, string Description) ForRun(string? dataset, string? dataRoot, string synthProfile, int synthSeed)
    {
        if (dataset is null or "synthsign")
        {
            if (dataRoot is not null)
                throw new UserFacingException("--data-root was given without --dataset. Fix: add --dataset phoenix-2014|phoenix-2014t|csl-daily (SynthSign needs no data root).");
            var synth = new SynthSignDataset(synthProfile, synthSeed);
            return (synth, Vocabulary.SynthSign(synth.Glosses), $"SynthSign {synthProfile} (seed {synthSeed})");
        }
        if (!IsReal(dataset))
            throw new UserFacingException($"unknown dataset '{dataset}'. Fix: use synthsign or one of {string.Join(", ", CorpusLayout.Names)}.");
        if (dataRoot is null)
            throw new UserFacingException($"--dataset {dataset} needs --data-root DIR (the unpacked release or SLRT's data/{dataset}/ folder).");
        var opened = Open(dataset, dataRoot);
        return (opened.Corpus, opened.Vocabulary, opened.Describe());
    }
}
