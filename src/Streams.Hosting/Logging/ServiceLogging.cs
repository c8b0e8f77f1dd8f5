using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Streams.Hosting.Logging;

/// <summary>The services' loggers: Microsoft.Extensions.Logging's JSON console formatter (one object per line, UTC timestamps) or plain text.</summary>
public static class ServiceLogging
{
    public static ILoggerFactory Create(ServiceOptions options) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(options.LogLevel);

        // librdkafka's debug chatter is relayed at Debug; keep ASP.NET's request logs out unless asked for.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (options.LogFormat == ServiceOptions.JsonFormat)
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                json.IncludeScopes = false;
                json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(text =>
            {
                text.UseUtcTimestamp = true;
                text.TimestampFormat = "HH:mm:ss.fff ";
                text.SingleLine = true;
                text.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
