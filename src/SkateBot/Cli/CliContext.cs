using Microsoft.Extensions.Configuration;
using SkateBot.Configuration;
using SkateBot.Features.Models;
using SkateBot.Storage;
using SkateBot.Vision.Devices;
using SkateBot.Vision.Imaging;
using TorchSharp;

namespace SkateBot.Cli;

/// <summary>What every CLI command needs, built from configuration on first use.</summary>
public sealed class CliContext : IDisposable
{
    private readonly Lazy<SkateDatabase> database;
    private readonly Lazy<torch.Device> device;

    public CliContext(IConfiguration configuration, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        Configuration = configuration;
        Time = time ?? TimeProvider.System;
        Output = output;
        Error = error;
        Storage = OptionsBinding.Bind<StorageOptions>(configuration, StorageOptions.Section);
        Model = OptionsBinding.Bind<ModelOptions>(configuration, ModelOptions.Section);
        Images = OptionsBinding.Bind<ImagesOptions>(configuration, ImagesOptions.Section);
        Training = OptionsBinding.Bind<TrainingOptions>(configuration, TrainingOptions.Section);
        Loader = new ImageLoader(new ImageLimits(Images.MaxPixels, Images.MaxBytes));
        database = new Lazy<SkateDatabase>(() => SkateDatabase.Open(Storage.FullDataDirectory, Time));
        device = new Lazy<torch.Device>(() => TorchDevices.Resolve(Model.Device));
    }

    public IConfiguration Configuration { get; }
    /// <summary>The clock votes, registrations and retrains are stamped with (tests move it to age labels).</summary>
    public TimeProvider Time { get; }
    public TextWriter Output { get; }
    public TextWriter Error { get; }
    public StorageOptions Storage { get; }
    public ModelOptions Model { get; }
    public ImagesOptions Images { get; }
    public TrainingOptions Training { get; }
    public ImageLoader Loader { get; }
    public SkateDatabase Database => database.Value;
    public ModelCatalog Catalog => new(Database, Storage);
    public torch.Device Device => device.Value;

    /// <summary>Interactive terminal: draw progress bars; otherwise (pipes, CI) print only whole lines.</summary>
    public bool Interactive => ReferenceEquals(Output, Console.Out) && !Console.IsOutputRedirected;

    public T Bind<T>(string section) where T : class, new() => OptionsBinding.Bind<T>(Configuration, section);

    public void Dispose()
    {
        if (database.IsValueCreated) database.Value.Dispose();
    }
}
