using System.Reflection;
using OrderService.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

#if POSTGRES_SUITE
[assembly: TestFramework("OrderService.IntegrationTests.Infrastructure.TestRunFramework", "OrderService.IntegrationTests.Postgres")]
#else
[assembly: TestFramework("OrderService.IntegrationTests.Infrastructure.TestRunFramework", "OrderService.IntegrationTests")]
#endif

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>xunit's own framework plus one step at the end of the assembly's run: stop the
/// throwaway PostgreSQL server and delete its folder after the last test (and the fixtures'
/// disposal), before the run is reported finished. Process exit alone is too late: once the
/// results are in, `dotnet test` kills the test host 100 ms after asking it to stop
/// (VSTEST_TESTHOST_SHUTDOWN_TIMEOUT), which leaves the folder behind. The exit handler stays,
/// for runs that end some other way.</summary>
public sealed class TestRunFramework(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            PostgresServer.StopThrowaway();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
