using Microsoft.Extensions.DependencyInjection;
using OrderService.Application.Cancellations;

namespace OrderService.IntegrationTests.Infrastructure;

/// <summary>Drives the server's automatic cancellation pass (R4, R5) directly, at the
/// server clock's "now".</summary>
public static class AutoCancellation
{
    /// <summary>What one pass did: PENDING orders canceled for payment (R4), orders whose
    /// unshipped units were canceled for a missed ship date (R5), warnings given; or nothing,
    /// because another runner held the pass's lock.</summary>
    public sealed record Pass(int Expired, int AutoCanceled, int Warned, bool HeldByAnotherRunner = false);

    public static async Task<Pass> RunOnceAsync(ServerFixture server)
    {
        var pass = await server.Services.GetRequiredService<AutoCancellationService>().RunOnceAsync(CancellationToken.None);
        Assert.False(pass.LockLost, "the pass's lock session broke");
        return new Pass(pass.Expired, pass.AutoCanceled, pass.Warned, pass.HeldByAnotherRunner);
    }
}
