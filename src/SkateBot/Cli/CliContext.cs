using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SkateBot.Configuration;
using SkateBot.Features.Models;
using SkateBot.Storage;
using SkateBot.Vision;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Imaging;

namespace SkateBot.Cli;

/// <summary>
/// What a CLI command works with: the services of a host built exactly as <c>serve</c> builds it
/// (<see cref="ServeCommand.CreateBuilder"/>, the same registrations and validators) but never started, so no background
/// service runs and a command cannot be configured differently from <c>serve</c>. Services are created on first use.
/// </summary>
public sealed class CliContext : IDisposable
{
    private readonly IHost host;

    private CliContext(IHost host, TextWriter output, TextWriter error)
    {
        this.host = host;
        Output = output;
        Error = error;
    }

    /// <param name="time">The clock votes, registrations and retrains are stamped with (tests move it to age labels).</param>
    public static CliContext Create(IConfiguration configuration, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        var builder = ServeCommand.CreateBuilder(configuration);
        // The command's own output (tables, --json) owns stdout: the host's log lines go to stderr, warnings and worse only.
        builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (time is not null) builder.Services.AddSingleton(time); // registered last, so it is the TimeProvider everything gets
        return new CliContext(builder.Build(), output, error);
    }

    public IServiceProvider Services => host.Services;
    public IConfiguration Configuration => Get<IConfiguration>();
    public TimeProvider Time => Get<TimeProvider>();
    public TextWriter Output { get; }
    public TextWriter Error { get; }
    public StorageOptions Storage => Options<StorageOptions>();
    public ModelOptions Model => Options<ModelOptions>();
    public TrainingOptions Training => Options<TrainingOptions>();
    public Features.Retraining.RetrainingOptions Retraining => Options<Features.Retraining.RetrainingOptions>();
    public ImageLoader Loader => Get<ImageLoader>();
    public SkateDatabase Database => Get<SkateDatabase>();
    public ModelCatalog Catalog => Get<ModelCatalog>();
    public ComputeDevice Device => Get<ComputeDevice>();

    /// <summary>Interactive terminal: draw progress bars; otherwise (pipes, CI) print only whole lines.</summary>
    public bool Interactive => ReferenceEquals(Output, Console.Out) && !Console.IsOutputRedirected;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A section's options as serve sees them: bound and validated by serve's registration (a bad value throws
    /// <see cref="OptionsValidationException"/> naming the key).</summary>
    public T Options<T>() where T : class => Get<IOptions<T>>().Value;

    public void Dispose() => host.Dispose();
}
