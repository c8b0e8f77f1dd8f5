using Streams.Contracts.Curated;
using Streams.Topology.Normalising;
using CuratedLaravelException = Streams.Contracts.Curated.LaravelException;

namespace Streams.Topology.Laravel;

/// <summary>Turns a parsed Laravel (Monolog) log entry into the curated ECS record.</summary>
public static class LaravelNormaliser
{
    public const string Module = "laravel";
    public const string Dataset = "laravel.log";

    public static LaravelCurated Normalise(LaravelEntry entry, CurationContext context)
    {
        var exception = entry.Exception;
        var isError = exception is not null || entry.Level >= MonologLevel.Error;
        var channel = CuratedEvents.NullIfEmpty(entry.Channel);
        return new LaravelCurated
        {
            timestamp = CuratedEvents.Utc(entry.EventTime),
            @event = CuratedEvents.Event(
                context,
                Dataset,
                Module,
                [Ecs.CategoryWeb],
                [isError ? Ecs.TypeError : Ecs.TypeInfo],
                // A logged exception is an operation that failed; other entries do not say.
                exception is null ? null : Ecs.OutcomeFailure),
            // Monolog's channel is the logger's name.
            log = CuratedEvents.Log(LogLevels.FromMonolog(entry.Level), channel),
            message = CuratedEvents.NullIfEmpty(entry.Message),
            error = exception is null ? null : new Error
            {
                type = CuratedEvents.NullIfEmpty(exception.ClassName),
                message = CuratedEvents.NullIfEmpty(exception.Message),
                stack_trace = CuratedEvents.NullIfEmpty(exception.StackTrace),
            },
            labels = CuratedEvents.Labels(context),
            laravel = new LaravelFields
            {
                channel = channel,
                context = CuratedEvents.NullIfEmpty(entry.Context),
                extra = CuratedEvents.NullIfEmpty(entry.Extra),
                exception = exception is null ? null : new CuratedLaravelException
                {
                    @class = CuratedEvents.NullIfEmpty(exception.ClassName),
                    code = CuratedEvents.NullIfEmpty(exception.Code),
                    file = CuratedEvents.NullIfEmpty(exception.File),
                    line = exception.Line is >= 0 and <= int.MaxValue ? (int)exception.Line.Value : null,
                },
            },
        };
    }
}
