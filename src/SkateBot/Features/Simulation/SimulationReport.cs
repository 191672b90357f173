namespace SkateBot.Features.Simulation;

/// <summary>One evaluation folder measured on the serving model.</summary>
public sealed record FolderFigures(string Folder, int Images, double ErrorRate, int Errors, int WrongAnswers,
    double SkateUnsureRate, double OtherFlaggedRate, double SkateClassRightRate, double OtherAuc);

/// <summary>The state after one round of a strategy: how much was posted and labelled, what the gate did, what the model scores.</summary>
public sealed record SimulationRow(string Strategy, int Round, int PhotosPosted, int ImagesLabelled, int Votes,
    string ServingVersion, string Outcome, IReadOnlyList<FolderFigures> Figures);

public sealed record SimulationReport(IReadOnlyList<SimulationRow> Rows, string JsonPath, string CurvePath, double Seconds);
