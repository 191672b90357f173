namespace SkateBot.Vision.Training;

public sealed record EpochResult(
    string Phase, int Epoch, int TotalEpochs, double TrainLoss, double ValidLoss, double ErrorRate, TimeSpan Duration);

/// <summary>Progress callbacks, called on the training thread. The CLI draws fast.ai-style bars and tables from them.</summary>
public interface ITrainingObserver
{
    void Message(string text) { }
    void ImageSkipped(string id, string reason) { }
    void PhaseStarted(string phase, int epochs, int batchesPerEpoch) { }
    void BatchCompleted(string phase, int epoch, int batch, int batches, double loss) { }
    void EpochCompleted(EpochResult result) { }
}

public sealed class NullTrainingObserver : ITrainingObserver
{
    public static readonly NullTrainingObserver Instance = new();
}
