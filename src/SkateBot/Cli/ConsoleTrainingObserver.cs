using System.Diagnostics;
using SkateBot.Vision.Training;

namespace SkateBot.Cli;

/// <summary>
/// fast.ai's terminal experience: a progress bar per epoch (batch, loss, ETA) redrawn in place on a terminal, and after
/// each epoch a table row (phase, epoch, train loss, valid loss, error rate, time). Quiet in --json mode.
/// </summary>
public sealed class ConsoleTrainingObserver(TextWriter output, bool interactive) : ITrainingObserver
{
    private readonly Stopwatch epochClock = new();
    private bool headerPrinted;

    public List<string> Skipped { get; } = [];

    public void Message(string text) => output.WriteLine(text);

    public void ImageSkipped(string id, string reason)
    {
        Skipped.Add(reason);
        output.WriteLine($"skipped {reason}");
    }

    public void PhaseStarted(string phase, int epochs, int batchesPerEpoch)
    {
        if (!headerPrinted)
        {
            output.WriteLine($"{"phase",-10}{"epoch",-7}{"train_loss",-12}{"valid_loss",-12}{"error_rate",-12}{"time",-8}");
            headerPrinted = true;
        }
        epochClock.Restart();
    }

    public void BatchCompleted(string phase, int epoch, int batch, int batches, double loss)
    {
        if (!interactive) return;
        var elapsed = epochClock.Elapsed;
        var eta = batch == 0 ? TimeSpan.Zero : elapsed / batch * (batches - batch);
        const int width = 30;
        var filled = (int)Math.Round((double)batch / batches * width);
        output.Write($"\r{phase} {epoch}: [{new string('█', filled)}{new string('░', width - filled)}] {batch}/{batches} loss {loss:0.0000} eta {eta:mm\\:ss}   ");
        output.Flush();
    }

    public void EpochCompleted(EpochResult r)
    {
        if (interactive) output.Write("\r" + new string(' ', 90) + "\r");
        output.WriteLine($"{r.Phase,-10}{r.Epoch,-7}{r.TrainLoss,-12:0.000000}{r.ValidLoss,-12:0.000000}{r.ErrorRate,-12:0.000000}{r.Duration:mm\\:ss}");
        epochClock.Restart();
    }
}
