using SignNotebooks.Notebooks;
using SignNotebooks.Util;

namespace SignNotebooks.Cli.Commands;

public sealed class WorkbookCommand : ICommand
{
    public string Name => "workbook";
    public string Summary => "Run the numbered notebooks in order, in-process; executed copies (.ipynb and .html) go to artifacts/notebooks/.";
    public string Usage => """
        signnb workbook [--profile tiny|standard|paper] [--only NN[,NN]] [--out DIR]
          --profile  size of corpus and models (default: standard)
          --only     run only these notebooks, by their two-digit prefix (e.g. 00,02)
          --out      where executed copies with outputs are written, each also as a self-contained NN_topic.html
                     page (plotly.js inline, no network needed) (default: artifacts/notebooks)
          --dataset, --data-root   a real corpus for the notebooks that read these parameters (00 and 01 look at it,
                     02-05 and 08 train on it; 07 reads <data-root>/<dataset>/ for every card); default SynthSign
          --pose-model             notebook 01: an ONNX pose model to extract with (default: SynthSign's own)
          --dictionary             notebook 08: your sign dictionary (gloss,part,weight CSV), needed on a real corpus
          --checkpoints            notebook 07: where the cards' checkpoint paths start (default <data-root>/checkpoints)
          --device   cpu (default) or cuda for every notebook's training and evaluation (needs a CUDA build; untested here)
        Exit code 1 when a cell fails; the notebook, cell number and error are printed.
        """;

    public int Run(CliArgs args)
    {
        var profile = args.GetOr("profile", "standard");
        var only = args.Get("only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var outDir = Path.GetFullPath(args.GetOr("out", Path.Combine(RepoPaths.Artifacts, "notebooks")));
        var parameters = new Dictionary<string, string>();
        // The runner switches to the notebooks' folder, so folders are passed as absolute paths.
        foreach (var (option, name) in new[] { ("dataset", "dataset"), ("data-root", "data_root"), ("checkpoints", "checkpoints"), ("device", "device"), ("dictionary", "dictionary"), ("pose-model", "pose_model") })
            if (args.Get(option) is { } v) parameters[name] = option is "dataset" or "device" ? v : Path.GetFullPath(v);
        args.EnsureAllUsed();
        var notebooks = Workbook.Select(RepoPaths.Notebooks, only);
        if (notebooks.Count == 0) throw new UserFacingException($"no NN_topic.ipynb notebooks in {RepoPaths.Notebooks}.");
        var run = Workbook.RunAsync(notebooks, profile, outDir, Console.Out, parameters: parameters,
            liveProgress: SignNotebooks.Util.ProgressBar.IsTerminal(Console.Out)).GetAwaiter().GetResult();
        Console.WriteLine();
        foreach (var n in run.Notebooks)
            Console.WriteLine($"{(n.Ok ? "ok     " : n.OnlyOutcomesFailed ? "OUTCOME" : "FAILED ")} {Path.GetFileName(n.Notebook),-32} {n.Elapsed.TotalSeconds,7:F1} s");
        var outcomes = run.Notebooks.SelectMany(n => n.Cells.Where(c => c.OutcomeFailed).Select(c => (n, c))).ToList();
        foreach (var (n, c) in outcomes)
            Console.Error.WriteLine($"workbook: {Path.GetFileName(n.Notebook)} code cell {c.CodeCellNumber}: the outcome check failed: {NotebookRunner.OutcomeText(c.Error ?? "")}");
        var failed = run.Notebooks.FirstOrDefault(n => !n.Ok && !n.OnlyOutcomesFailed);
        if (failed is not null)
        {
            var c = failed.Failed!;
            Console.Error.WriteLine($"workbook: {Path.GetFileName(failed.Notebook)} failed at code cell {c.CodeCellNumber} (cell #{c.CellIndex + 1} in the file):");
            Console.Error.WriteLine(Workbook.ErrorText(c.Error ?? ""));
            Console.Error.WriteLine($"The executed copy with the error is {failed.OutputPath}.");
            return 1;
        }
        Console.WriteLine($"workbook: {run.Notebooks.Count} notebook(s) at profile {profile} in {run.Elapsed.TotalMinutes:F1} min" +
            (outcomes.Count > 0 ? $"; {outcomes.Count} outcome check(s) failed (above): the method's claim does not hold on this run." : "."));
        return outcomes.Count > 0 ? 1 : 0;
    }
}
