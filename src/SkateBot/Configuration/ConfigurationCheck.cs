using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkateBot.Cli;

namespace SkateBot.Configuration;

/// <summary>
/// What <c>serve</c> would refuse at start, without starting anything: the services are registered by the same code
/// <c>serve</c> uses (<see cref="ServeCommand.AddServeServices"/>), and each options class is created through those
/// registrations (binding plus every validator, ValidateOnStart's included). One line per problem, each naming its key.
/// </summary>
public static class ConfigurationCheck
{
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        ServiceProvider services;
        try
        {
            services = Register(configuration, serve: true);
        }
        catch (InvalidOperationException ex)
        {
            // A front end binds its section while registering (to see whether it is on); serve fails the same way.
            problems.Add(ex.Message);
            services = Register(configuration, serve: false);
        }
        using (services)
        {
            foreach (var section in OptionsCatalog.Listed)
                problems.AddRange(section.Problems(services));
            if (problems.Count == 0)
            {
                // Anything serve validates at start that the catalogue does not know about yet.
                try { services.GetService<IStartupValidator>()?.Validate(); }
                catch (OptionsValidationException ex) { problems.AddRange(ex.Failures); }
                catch (AggregateException ex) { problems.AddRange(ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)); }
            }
        }
        return problems.Select(p => p.ReplaceLineEndings(" ")).Distinct().ToArray();
    }

    private static ServiceProvider Register(IConfiguration configuration, bool serve)
    {
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        if (serve) services.AddServeServices(configuration);
        else Features.CoreServices.AddSkateBotCore(services);
        return services.BuildServiceProvider();
    }
}
