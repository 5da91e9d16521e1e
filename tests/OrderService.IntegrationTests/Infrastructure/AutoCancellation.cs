using System.Reflection;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>Drives the server's automatic cancellation pass (R4, R5) directly.
/// <para>The issue names the service <c>OrderService.Server.Cancellations.AutoCancellationService</c>,
/// registered as a singleton and as a hosted service, with
/// <c>Task&lt;AutoCancelPass&gt; RunOnceAsync(CancellationToken)</c> and
/// <c>record AutoCancelPass(int Expired, int AutoCanceled, int Warned)</c>. It is being
/// written in parallel with these tests, so it is reached by name: the suite compiles
/// before it exists, and until it does these calls fail saying what is missing. Once it
/// has landed this can become a plain
/// <c>server.Services.GetRequiredService&lt;AutoCancellationService&gt;().RunOnceAsync(...)</c>.</para></summary>
public static class AutoCancellation
{
    public const string ServiceTypeName = "OrderService.Server.Cancellations.AutoCancellationService";

    /// <summary>What one pass did: PENDING orders canceled for payment (R4), orders whose
    /// unshipped units were canceled for a missed ship date (R5), warnings given.</summary>
    public sealed record Pass(int Expired, int AutoCanceled, int Warned);

    /// <summary>Runs one pass at the server clock's "now".</summary>
    public static async Task<Pass> RunOnceAsync(ServerFixture server)
    {
        var serviceType = typeof(Program).Assembly.GetType(ServiceTypeName);
        Assert.True(serviceType is not null, $"{ServiceTypeName} does not exist in the server yet.");
        var service = server.Services.GetService(serviceType);
        Assert.True(service is not null, $"{ServiceTypeName} is not registered in the server's services.");
        var runOnce = serviceType.GetMethod("RunOnceAsync", BindingFlags.Public | BindingFlags.Instance, [typeof(CancellationToken)]);
        Assert.True(runOnce is not null, $"{ServiceTypeName} has no public RunOnceAsync(CancellationToken).");

        var task = runOnce.Invoke(service, [CancellationToken.None]) as Task;
        Assert.True(task is not null, "RunOnceAsync did not return a Task.");
        await task;
        var result = task.GetType().GetProperty(nameof(Task<int>.Result))?.GetValue(task);
        Assert.True(result is not null, "RunOnceAsync returned no AutoCancelPass.");

        int Count(string name) =>
            result.GetType().GetProperty(name)?.GetValue(result) is int value
                ? value
                : throw new Xunit.Sdk.XunitException($"AutoCancelPass has no int property {name}.");
        return new Pass(Count(nameof(Pass.Expired)), Count(nameof(Pass.AutoCanceled)), Count(nameof(Pass.Warned)));
    }
}
