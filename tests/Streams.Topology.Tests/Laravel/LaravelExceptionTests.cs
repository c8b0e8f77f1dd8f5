using NUnit.Framework;
using Streams.Topology.Laravel;

namespace Streams.Topology.Tests.Laravel;

public sealed class LaravelExceptionTests
{
    private static LaravelException? ExceptionOf(string entry) => LaravelLogParser.ParseEntry(entry).Value?.Exception;

    [Test]
    public void Context_exception_on_one_line_with_previous_exception_is_read()
    {
        var exception = ExceptionOf("[2024-01-01 10:00:00] local.ERROR: Undefined variable: user {\"exception\":\"[object] (ErrorException(code: 0): "
            + "Undefined variable: user at /var/www/app/Http/Controllers/HomeController.php:25)\n[stacktrace]\n#0 /var/www/app/x.php(3): f()\n#1 {main}\n"
            + "[previous exception] [object] (PDOException(code: HY000): gone at /var/www/vendor/y.php:70)\n[stacktrace]\n#0 {main}\n\"} []");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception?.ClassName, Is.EqualTo("ErrorException"));
            Assert.That(exception?.Message, Is.EqualTo("Undefined variable: user"));
            Assert.That(exception?.Code, Is.EqualTo("0"));
            Assert.That(exception?.File, Is.EqualTo("/var/www/app/Http/Controllers/HomeController.php"));
            Assert.That(exception?.Line, Is.EqualTo(25));
            Assert.That(exception?.StackTrace, Does.StartWith("#0 /var/www/app/x.php(3): f()\n#1 {main}\n[previous exception] [object] (PDOException"));
        }
    }

    [TestCase("{\"exception\":\"\\ud800\"}")]
    [TestCase("{\"exception\":{\"class\":\"\\udc00\",\"message\":\"m\"}}")]
    public void Context_exception_with_a_lone_surrogate_escape_is_no_exception_and_no_error(string context)
    {
        // \ud800 is valid JSON text, but no string can be read from it.
        var result = LaravelLogParser.ParseEntry("[2024-01-01 10:00:00] local.ERROR: boom " + context);
        Assert.That(result.Value, Is.Not.Null, result.Error);
        Assert.That(result.Value!.Exception, Is.Null);
    }

    [Test]
    public void Message_with_at_in_it_splits_at_the_last_at()
    {
        var exception = ExceptionOf("[2024-01-01 10:00:00] local.ERROR: x {\"exception\":\"[object] (RuntimeException(code: 3): "
            + "failed at step 2 at /app/Job.php:9)\"}");

        Assert.That(exception, Is.EqualTo(new LaravelException("RuntimeException", "failed at step 2", "3", "/app/Job.php", 9, null)));
    }

    [Test]
    public void Php_exception_string_in_the_message_is_read_with_file_line_and_trace()
    {
        var exception = ExceptionOf("[2024-01-01 10:00:00] production.ERROR: Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException: "
            + "No query results in /var/www/vendor/laravel/framework/src/Illuminate/Routing/RouteCollection.php:179\nStack trace:\n"
            + "#0 /var/www/public/index.php(55): handle()\n#1 {main}");

        Assert.That(exception, Is.EqualTo(new LaravelException(
            @"Symfony\Component\HttpKernel\Exception\NotFoundHttpException",
            "No query results",
            null,
            "/var/www/vendor/laravel/framework/src/Illuminate/Routing/RouteCollection.php",
            179,
            "#0 /var/www/public/index.php(55): handle()\n#1 {main}")));
    }

    [Test]
    public void Php5_exception_string_of_old_laravel_is_read()
    {
        var exception = ExceptionOf("[2016-03-01 09:00:00] local.ERROR: exception 'ErrorException' with message 'Undefined variable: user' in "
            + "/var/www/app/Http/Controllers/HomeController.php:25\nStack trace:\n#0 /var/www/app/x.php(25): handleError(8)\n#1 {main} [] []");

        Assert.That(exception, Is.EqualTo(new LaravelException(
            "ErrorException",
            "Undefined variable: user",
            null,
            "/var/www/app/Http/Controllers/HomeController.php",
            25,
            "#0 /var/www/app/x.php(25): handleError(8)\n#1 {main}")));
    }

    [Test]
    public void Json_formatter_exception_object_is_read()
    {
        var exception = ExceptionOf("[2024-01-01 10:00:00] local.ERROR: boom {\"exception\":{\"class\":\"RuntimeException\",\"message\":\"boom\","
            + "\"code\":0,\"file\":\"/app/Job.php:12\",\"trace\":[\"/app/Kernel.php:3\",\"/app/index.php:1\"]}}");

        Assert.That(exception, Is.EqualTo(new LaravelException("RuntimeException", "boom", "0", "/app/Job.php", 12, "/app/Kernel.php:3\n/app/index.php:1")));
    }

    [TestCase("[2024-01-01 10:00:00] local.INFO: Cache: miss for key users")]
    [TestCase("[2024-01-01 10:00:00] local.INFO: Retry Error: tried 3 times")]
    [TestCase("[2024-01-01 10:00:00] local.ERROR: x {\"exception\":\"not an object dump\"}")]
    [TestCase("[2024-01-01 10:00:00] local.ERROR: x {\"exception\":\"[object] (NoCodeHere)\"}")]
    [TestCase("[2024-01-01 10:00:00] local.ERROR: x {\"exception\":42}")]
    [TestCase("[2024-01-01 10:00:00] local.ERROR: exception 'Broken")]
    public void Text_that_only_looks_like_an_exception_is_not_one(string entry)
    {
        var result = LaravelLogParser.ParseEntry(entry);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.Value?.Exception, Is.Null);
        }
    }

    [Test]
    public void Exception_without_location_keeps_its_whole_message()
    {
        var exception = ExceptionOf("[2024-01-01 10:00:00] local.ERROR: x {\"exception\":\"[object] (LogicException(code: 0): no place)\"}");

        Assert.That(exception, Is.EqualTo(new LaravelException("LogicException", "no place", "0", null, null, null)));
    }
}
